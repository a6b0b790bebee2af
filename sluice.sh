#!/usr/bin/env bash
# sluice.sh: one entry point for running, testing and demonstrating Sluice.
#
#   sudo ./sluice.sh up [--scope CGROUP] [--policy FILE]   start the agent (whole host by default)
#   sudo ./sluice.sh down [--keep-enforcement]             stop it (and, by default, unpin)
#   sudo ./sluice.sh status                                what the running agent enforces
#   sudo ./sluice.sh test [CTEST ARGS...]                  the whole suite: unit, privileged, e2e
#   sudo ./sluice.sh demo                                  a denied and an allowed connection,
#                                                          inside a child cgroup, on loopback
#   sudo ./sluice.sh build                                 install dependencies and build
#   sudo ./sluice.sh package [--version V] [--out DIR]      build the .deb and .rpm packages
#                                                          (default: build/packages/)
#
# Every subcommand installs dependencies and builds first when needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_DIR="${SLUICE_BUILD_DIR:-$ROOT/build}"
STATE_DIR="${SLUICE_STATE_DIR:-/var/lib/sluice}"
BPFFS_DIR="${SLUICE_BPFFS_DIR:-/sys/fs/bpf/sluice}"
DEFAULT_POLICY="$ROOT/policy/packs/hipaa-default.yaml"
JOBS="${SLUICE_JOBS:-$(nproc)}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'sluice.sh: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

need_root() {
  if [[ ${EUID} -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      exec sudo -E "${BASH_SOURCE[0]}" "$@"
    fi
    die "must run as root (BPF programs, cgroups and bpffs need it)"
  fi
}

ensure_built() {
  "$ROOT/scripts/install-deps.sh"
  if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    say "configuring $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
  fi
  say "building (${JOBS} jobs)"
  local targets=()
  # SLUICE_BUILD_TARGETS="sluice-agent sluicectl" builds only those (e.g. on an agent-only host).
  for t in ${SLUICE_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
  cmake --build "$BUILD_DIR" -j "$JOBS" "${targets[@]}"
}

agent_bin() { echo "$BUILD_DIR/agent/sluice-agent"; }
ctl_bin() { echo "$BUILD_DIR/cli/sluicectl"; }

cgroup2_mount() { awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts; }

# The PID in the pid file, only if it is still our sluice-agent.
running_agent_pid() {
  local pidfile="$STATE_DIR/agent.pid" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ -n "$pid" && -r "/proc/$pid/comm" && "$(cat "/proc/$pid/comm")" == "sluice-agent" ]] || return 1
  echo "$pid"
}

wait_enforcing() {
  local socket="$1" tries="${2:-100}"
  for ((i = 0; i < tries; i++)); do
    if "$(ctl_bin)" agent status --socket "$socket" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

cmd_build() { need_root build "$@"; ensure_built "$@"; }

cmd_up() {
  local scope="" policy="$DEFAULT_POLICY"
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --scope) scope="${2:?--scope needs a cgroup path}"; shift 2 ;;
      --policy) policy="${2:?--policy needs a file}"; shift 2 ;;
      *) die "up: unknown argument '$1'" ;;
    esac
  done
  need_root up ${scope:+--scope "$scope"} --policy "$policy"
  ensure_built
  if pid="$(running_agent_pid)"; then
    say "sluice-agent already running (pid $pid)"
    exec "$(ctl_bin)" agent status --state-dir "$STATE_DIR"
  fi
  if [[ -n "$scope" ]]; then
    local mount; mount="$(cgroup2_mount)"
    [[ -n "$mount" ]] || die "no cgroup2 mount found in /proc/mounts"
    if [[ ! -d "$mount/${scope#/}" ]]; then
      say "creating cgroup $scope"
      mkdir -p "$mount/${scope#/}"
    fi
  else
    say "no --scope given: enforcing on the WHOLE HOST (every process on this machine)"
  fi
  mkdir -p "$STATE_DIR"
  local args=(--policy "$policy" --state-dir "$STATE_DIR" --bpffs "$BPFFS_DIR")
  [[ -n "$scope" ]] && args+=(--scope "$scope")
  say "starting sluice-agent ${args[*]}"
  setsid "$(agent_bin)" "${args[@]}" >>"$STATE_DIR/agent.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/agent.pid"
  printf 'BPFFS_DIR=%q\n' "$BPFFS_DIR" > "$STATE_DIR/up.env"
  if ! wait_enforcing "$STATE_DIR/agent.sock" 200; then
    tail -n 20 "$STATE_DIR/agent.log" >&2 || true
    die "the agent did not start enforcing; log: $STATE_DIR/agent.log"
  fi
  "$(ctl_bin)" agent status --state-dir "$STATE_DIR"
  say "Sluice is enforcing. Events: $(ctl_bin) agent events --follow --state-dir $STATE_DIR"
  say "Log: $STATE_DIR/agent.log   Stop: ./sluice.sh down"
}

cmd_down() {
  local keep=0
  [[ "${1:-}" == "--keep-enforcement" ]] && keep=1
  need_root down "$@"
  [[ -f "$STATE_DIR/up.env" ]] && source "$STATE_DIR/up.env"
  if pid="$(running_agent_pid)"; then
    say "stopping sluice-agent (pid $pid)"
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
  else
    say "no running sluice-agent recorded in $STATE_DIR/agent.pid"
  fi
  rm -f "$STATE_DIR/agent.pid"
  if [[ $keep -eq 1 ]]; then
    say "enforcement stays pinned under $BPFFS_DIR"
  elif [[ -d "$BPFFS_DIR" ]]; then
    [[ -x "$(agent_bin)" ]] || ensure_built
    "$(agent_bin)" --uninstall --bpffs "$BPFFS_DIR"
    say "enforcement removed"
  fi
}

cmd_status() {
  need_root status "$@"
  [[ -x "$(ctl_bin)" ]] || ensure_built
  if ! "$(ctl_bin)" agent status --state-dir "$STATE_DIR"; then
    [[ -f "$STATE_DIR/up.env" ]] && source "$STATE_DIR/up.env"
    if [[ -d "$BPFFS_DIR/links" ]]; then
      echo "agent not running; enforcement pinned under $BPFFS_DIR: $(ls "$BPFFS_DIR/links" | xargs)"
    fi
    return 3
  fi
}

cmd_test() {
  need_root test "$@"
  ensure_built -DSLUICE_BUILD_TESTS=ON
  # The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer, in their own
  # build tree (SLUICE_SKIP_SANITIZE=1 skips this locally; CI always runs it).
  if [[ "${SLUICE_SKIP_SANITIZE:-0}" != "1" ]]; then
    local asan_dir="${SLUICE_ASAN_BUILD_DIR:-$ROOT/build-asan}"
    say "unit tests under ASan+UBSan ($asan_dir)"
    if [[ ! -f "$asan_dir/build.ninja" ]]; then
      cmake -S "$ROOT" -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON \
        -DSLUICE_BUILD_BENCH=OFF -DSLUICE_BUILD_CONSOLE=OFF
    fi
    cmake --build "$asan_dir" -j "$JOBS"
    (cd "$asan_dir" && ctest -L unit --output-on-failure -j "$JOBS" --timeout 900)
  fi
  say "running the suite: unit, privileged, e2e"
  cd "$BUILD_DIR"
  ctest --output-on-failure -j "$JOBS" --timeout 900 "$@"
}

cmd_package() {
  need_root package "$@"
  "$ROOT/scripts/install-deps.sh"
  "$ROOT/packaging/build-packages.sh" --build-dir "${SLUICE_PACKAGE_BUILD_DIR:-$ROOT/build-package}" \
    --out "$BUILD_DIR/packages" --jobs "$JOBS" "$@"
}

cmd_demo() {
  need_root demo "$@"
  ensure_built
  "$ROOT/scripts/demo.sh" "$BUILD_DIR"
}

main() {
  local sub="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$sub" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    test) cmd_test "$@" ;;
    demo) cmd_demo "$@" ;;
    build) cmd_build "$@" ;;
    package) cmd_package "$@" ;;
    -h|--help|help|"") usage ;;
    *) usage >&2; die "unknown subcommand '$sub'" ;;
  esac
}

main "$@"
