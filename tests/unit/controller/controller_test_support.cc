#include "controller_test_support.h"

#include <glob.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <libpq-fe.h>

namespace sluice::controller::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "sluice-ctl-XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  path_ = made ? made : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

int runCommand(const std::string& command) {
  int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

Result<std::unique_ptr<TempPostgres>> TempPostgres::start() {
  glob_t g{};
  std::string bin;
  if (::glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &g) == 0 && g.gl_pathc > 0) {
    bin = std::filesystem::path(g.gl_pathv[g.gl_pathc - 1]).parent_path().string();
  }
  ::globfree(&g);
  if (bin.empty()) {
    return unavailable(
        "no /usr/lib/postgresql/*/bin/initdb (install the postgresql package; "
        "scripts/install-deps.sh does)");
  }
  std::unique_ptr<TempPostgres> pg(new TempPostgres());
  pg->bin_dir_ = bin;
  std::string tmpl = "/tmp/sluice-pg-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) return internalError("mkdtemp failed");
  pg->dir_ = tmpl;
  if (::geteuid() == 0) {
    // initdb refuses to run as root: hand the directory to an unprivileged account.
    const char* user = ::getpwnam("postgres") ? "postgres" : "nobody";
    const passwd* pw = ::getpwnam(user);
    if (pw == nullptr || ::chown(pg->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return internalError("cannot hand " + pg->dir_ + " to user " + user);
    }
    pg->run_as_ = std::string("runuser -u ") + user + " -- ";
  }
  std::string data = pg->dir_ + "/data";
  std::string log = pg->dir_ + "/server.log";
  if (runCommand(pg->run_as_ + bin + "/initdb -D " + data +
                 " -A trust -U postgres -E UTF8 --no-sync > " + pg->dir_ + "/initdb.log 2>&1") !=
      0) {
    return unavailable("initdb failed; see " + pg->dir_ + "/initdb.log");
  }
  // Unix socket only, in the private directory; no TCP port to collide with anything.
  std::string opts = "-k " + pg->dir_ + " -c listen_addresses='' -p 5432 -F";
  if (runCommand(pg->run_as_ + bin + "/pg_ctl -D " + data + " -l " + log + " -w -t 60 -o \"" +
                 opts + "\" start > /dev/null 2>&1") != 0) {
    return unavailable("pg_ctl start failed; see " + log);
  }
  return pg;
}

TempPostgres::~TempPostgres() {
  if (!bin_dir_.empty()) {
    runCommand(run_as_ + bin_dir_ + "/pg_ctl -D " + dir_ +
               "/data -m immediate stop > /dev/null 2>&1");
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status execPostgres(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string msg;
  bool ok = false;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* res = PQexec(conn, sql.c_str());
    ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    PQclear(res);
  }
  msg = PQerrorMessage(conn);
  PQfinish(conn);
  if (!ok) return internalError("postgres: " + msg);
  return okStatus();
}

Result<std::string> TempPostgres::newDatabase() {
  std::string base = "postgresql://postgres@/";
  std::string params = "?host=" + dir_ + "&port=5432";
  PGconn* conn = PQconnectdb((base + "postgres" + params).c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return unavailable("cannot connect to the test PostgreSQL: " + msg);
  }
  std::string name = "sluice_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter_);
  PGresult* res = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string msg = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (!ok) return internalError("CREATE DATABASE failed: " + msg);
  return base + name + params;
}

}  // namespace sluice::controller::testing
