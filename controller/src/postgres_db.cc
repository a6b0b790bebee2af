// SqlDatabase over libpq. One connection, serialised by SqlStorage's mutex; parameters are
// sent as text so that the same SQL works on both backends.
#include <libpq-fe.h>

#include <string>

#include "sql.h"

namespace sluice::controller {
namespace {

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

class PostgresDatabase : public SqlDatabase {
 public:
  explicit PostgresDatabase(PGconn* conn) : conn_(conn) {}
  ~PostgresDatabase() override { PQfinish(conn_); }
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  std::string dialect() const override { return "postgres"; }

  Result<int64_t> exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    SLUICE_ASSIGN_OR_RETURN(PgResult res, run(sql, params));
    const char* n = PQcmdTuples(res.get());
    return static_cast<int64_t>(n && *n ? std::stoll(n) : 0);
  }

  Result<std::vector<SqlRow>> query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    SLUICE_ASSIGN_OR_RETURN(PgResult res, run(sql, params));
    std::vector<SqlRow> rows;
    int nrows = PQntuples(res.get());
    int ncols = PQnfields(res.get());
    rows.reserve(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      SqlRow row;
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          row.cols.emplace_back(std::nullopt);
        } else {
          row.cols.emplace_back(std::string(PQgetvalue(res.get(), r, c),
                                            static_cast<size_t>(PQgetlength(res.get(), r, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status script(std::string_view sql) override {
    PgResult res(PQexec(conn_, std::string(sql).c_str()), PQclear);
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return failure(res.get(), sql);
    return okStatus();
  }

  Status begin(std::string_view exclusive_table) override {
    SLUICE_RETURN_IF_ERROR(script("BEGIN"));
    if (!exclusive_table.empty()) {
      return script("LOCK TABLE " + std::string(exclusive_table) + " IN EXCLUSIVE MODE");
    }
    return okStatus();
  }

 private:
  Result<PgResult> run(std::string_view sql, const std::vector<SqlValue>& params) {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<int64_t>(params[i])) {
        texts[i] = std::to_string(std::get<int64_t>(params[i]));
        values[i] = texts[i].c_str();
      } else if (std::holds_alternative<std::string>(params[i])) {
        values[i] = std::get<std::string>(params[i]).c_str();
      }
    }
    PgResult res(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(params.size()),
                              nullptr, values.data(), nullptr, nullptr, 0),
                 PQclear);
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return failure(res.get(), sql);
    return res;
  }

  Error failure(PGresult* res, std::string_view sql) const {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = "postgres: " + std::string(PQerrorMessage(conn_)) +
                      " in: " + std::string(sql.substr(0, 80));
    if (state && std::string(state) == "23505") return Error(ErrorCode::kAlreadyExists, msg);
    if (PQstatus(conn_) != CONNECTION_OK) return unavailable(msg);
    return internalError(msg);
  }

  PGconn* conn_;
};

}  // namespace

Result<std::unique_ptr<SqlDatabase>> openPostgres(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return unavailable("cannot connect to PostgreSQL: " + msg);
  }
  auto db = std::make_unique<PostgresDatabase>(conn);
  // Schema creation is idempotent but noisy on PostgreSQL ("relation exists, skipping").
  SLUICE_RETURN_IF_ERROR(db->script("SET client_min_messages = warning"));
  return std::unique_ptr<SqlDatabase>(std::move(db));
}

}  // namespace sluice::controller
