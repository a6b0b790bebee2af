// File: sql.h
//
// The small SQL surface SqlStorage needs, implemented once for SQLite and once for libpq. SQL
// text is shared between the two: parameters are written $1, $2, ..., values travel as text
// or 64-bit integers, and results come back as text (integers are parsed by the caller).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sluice/common/result.h"

namespace sluice::controller {

using SqlValue = std::variant<std::nullptr_t, int64_t, std::string>;

struct SqlRow {
  std::vector<std::optional<std::string>> cols;
  std::string text(size_t i) const { return cols.at(i).value_or(""); }
  int64_t integer(size_t i) const;
};

class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;
  virtual std::string dialect() const = 0;
  // Runs one statement; returns the number of rows it changed.
  virtual Result<int64_t> exec(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  virtual Result<std::vector<SqlRow>> query(std::string_view sql,
                                            const std::vector<SqlValue>& params) = 0;
  // Several statements without parameters (the schema).
  virtual Status script(std::string_view sql) = 0;
  // Begins a transaction. `exclusive_table` names a table that no other writer may append to
  // until commit (SQLite: BEGIN IMMEDIATE; PostgreSQL: LOCK TABLE).
  virtual Status begin(std::string_view exclusive_table) = 0;
};

// Row conversion helpers: the first row (if any) or every row, through `convert`.
template <typename T, typename F>
Result<std::optional<T>> firstRow(Result<std::vector<SqlRow>> rows, F convert) {
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(convert(rows->front()));
}

template <typename T, typename F>
Result<std::vector<T>> allRows(Result<std::vector<SqlRow>> rows, F convert) {
  if (!rows) return std::move(rows).error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(convert(r));
  return out;
}

Result<std::unique_ptr<SqlDatabase>> openSqlite(const std::string& path);
Result<std::unique_ptr<SqlDatabase>> openPostgres(const std::string& conninfo);

}  // namespace sluice::controller
