// File: controller_test_support.h
//
// Shared by the controller's unit and e2e tests: a temporary directory that removes itself, a
// clock the test moves by hand, and a throw-away PostgreSQL server (initdb + pg_ctl on a
// private unix socket, run as an unprivileged user because initdb refuses root) so that the
// storage suite runs against both backends on any machine with the postgresql package.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "privileged.h"
#include "sluice/common/result.h"
#include "sluice/controller/clock.h"

namespace sluice::controller::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'800'000'000'000) : now_ms_(start_ms) {}
  int64_t nowMs() const override { return now_ms_.load(); }
  void advanceSeconds(int64_t s) { now_ms_ += s * 1000; }

 private:
  std::atomic<int64_t> now_ms_;
};

class TempPostgres {
 public:
  // kUnavailable when the PostgreSQL server binaries are not installed.
  static Result<std::unique_ptr<TempPostgres>> start();
  ~TempPostgres();
  TempPostgres(const TempPostgres&) = delete;
  TempPostgres& operator=(const TempPostgres&) = delete;

  // Creates an empty database and returns its postgres:// URL.
  Result<std::string> newDatabase();

 private:
  TempPostgres() = default;
  std::string bin_dir_;
  std::string dir_;
  std::string run_as_;  // empty when not root
  int counter_ = 0;
};

// Runs one SQL statement on a PostgreSQL database (tests that tamper with storage directly).
Status execPostgres(const std::string& url, const std::string& sql);

// Runs a shell command; returns its exit status.
int runCommand(const std::string& command);

}  // namespace sluice::controller::testing

// For suites that need PostgreSQL: skip without it, except under CI=true.
#define SLUICE_REQUIRE_POSTGRES(result) \
  SLUICE_REQUIRE((result), "PostgreSQL unavailable: " << (result).error().toString())
