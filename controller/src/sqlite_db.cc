// SqlDatabase over SQLite in WAL mode: readers never block the writer, and a crash loses at
// most the transaction in flight.
#include <sqlite3.h>

#include <string>

#include "sql.h"

namespace sluice::controller {

int64_t SqlRow::integer(size_t i) const {
  const auto& v = cols.at(i);
  if (!v || v->empty()) return 0;
  return std::stoll(*v);
}

namespace {

class SqliteDatabase : public SqlDatabase {
 public:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  ~SqliteDatabase() override { sqlite3_close_v2(db_); }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  std::string dialect() const override { return "sqlite"; }

  Result<int64_t> exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    SLUICE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, prepare(sql, params));
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return failure(sql);
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Result<std::vector<SqlRow>> query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    SLUICE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, prepare(sql, params));
    std::vector<SqlRow> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      SqlRow row;
      int n = sqlite3_column_count(stmt);
      for (int i = 0; i < n; ++i) {
        if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
          row.cols.emplace_back(std::nullopt);
        } else {
          const auto* text = sqlite3_column_text(stmt, i);
          row.cols.emplace_back(std::string(reinterpret_cast<const char*>(text),
                                            static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return failure(sql);
    return rows;
  }

  Status script(std::string_view sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return internalError("sqlite: " + msg);
    }
    return okStatus();
  }

  Status begin(std::string_view /*exclusive_table*/) override { return script("BEGIN IMMEDIATE"); }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view sql, const std::vector<SqlValue>& params) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      return failure(sql);
    }
    for (size_t i = 0; i < params.size(); ++i) {
      std::string name = "$" + std::to_string(i + 1);
      int idx = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (idx == 0) continue;
      const SqlValue& v = params[i];
      if (std::holds_alternative<int64_t>(v)) {
        sqlite3_bind_int64(stmt, idx, std::get<int64_t>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        const auto& s = std::get<std::string>(v);
        sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(stmt, idx);
      }
    }
    return stmt;
  }

  Error failure(std::string_view sql) const {
    int code = sqlite3_extended_errcode(db_);
    std::string msg =
        "sqlite: " + std::string(sqlite3_errmsg(db_)) + " in: " + std::string(sql.substr(0, 80));
    if ((code & 0xff) == SQLITE_CONSTRAINT) return Error(ErrorCode::kAlreadyExists, msg);
    if ((code & 0xff) == SQLITE_BUSY) return unavailable(msg);
    return internalError(msg);
  }

  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<SqlDatabase>> openSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return unavailable("cannot open SQLite database " + path + ": " + msg);
  }
  auto out = std::make_unique<SqliteDatabase>(db);
  sqlite3_busy_timeout(db, 5000);
  // WAL: concurrent readers, one writer; NORMAL sync is durable across process crashes.
  SLUICE_RETURN_IF_ERROR(
      out->script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                  "PRAGMA foreign_keys=ON;"));
  return std::unique_ptr<SqlDatabase>(std::move(out));
}

}  // namespace sluice::controller
