#!/usr/bin/env bash
# sluice.sh: one entry point for running, testing and demonstrating Sluice.
#
#   sudo ./sluice.sh up [--scope CGROUP] [--policy FILE]   start the controller (on 127.0.0.1)
#                                                          and the agent enrolled with it, the
#                                                          policy pushed (whole host by default)
#   sudo ./sluice.sh down [--keep-enforcement]             stop both (and, by default, unpin)
#   sudo ./sluice.sh status                                what the running agent enforces
#   sudo ./sluice.sh test [CTEST ARGS...]                  the whole suite: unit, privileged, e2e
#   sudo ./sluice.sh demo                                  denied and allowed connections and
#                                                          the openai SDK's PHI request blocked,
#                                                          in a child cgroup, on loopback (its
#                                                          alerts go to the `up` controller)
#   sudo ./sluice.sh totp                                  the admin's TOTP code, for the console
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
CONTROLLER_DIR="${SLUICE_CONTROLLER_DIR:-/var/lib/sluice-controller}"
CONTROLLER_PORT="${SLUICE_CONTROLLER_PORT:-7443}"
CONTROLLER_ADDR="127.0.0.1:$CONTROLLER_PORT"
CONSOLE_ADDR="127.0.0.1:${SLUICE_CONSOLE_PORT:-8443}"
JOBS="${SLUICE_JOBS:-$(nproc)}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'sluice.sh: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,/^# Every subcommand/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

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
controller_bin() { echo "$BUILD_DIR/controller/sluice-controller"; }

cgroup2_mount() { awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts; }

# The PID in a pid file, only if it is still the named program (comm is cut at 15 bytes).
running_pid() {
  local pidfile="$1" comm="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ -n "$pid" && -r "/proc/$pid/comm" && "$(cat "/proc/$pid/comm")" == "${comm:0:15}" ]] || return 1
  echo "$pid"
}
running_agent_pid() { running_pid "$STATE_DIR/agent.pid" sluice-agent; }
running_controller_pid() { running_pid "$CONTROLLER_DIR/controller.pid" sluice-controller; }

# SIGTERM to a PID we started, then wait up to 10 s for it to go.
stop_pid() {
  local pid="$1" name="$2"
  say "stopping $name (pid $pid)"
  kill -TERM "$pid"
  for ((i = 0; i < 100; i++)); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
}

# sluicectl as the admin `init` created, against the local controller. The TOTP code is
# computed from the stored secret (RFC 6238: HMAC-SHA1, 30 s, 6 digits).
totp_code() {
  local secret
  secret="$(awk '/TOTP secret:/ { print $3 }' "$CONTROLLER_DIR/admin-credentials")"
  python3 -c 'import base64,hmac,hashlib,struct,sys,time
s = sys.argv[1]; key = base64.b32decode(s + "=" * (-len(s) % 8))
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$secret"
}
admin_ctl() {
  local token
  token="$(awk '/API token:/ { print $3 }' "$CONTROLLER_DIR/admin-credentials")"
  "$(ctl_bin)" "$@" --controller "$CONTROLLER_ADDR" --ca "$CONTROLLER_DIR/data/ca.crt" \
    --token "$token" --totp "$(totp_code)"
}

# Starts sluice-controller serving on 127.0.0.1 (initialising its data directory the first
# time; the admin credentials are kept in $CONTROLLER_DIR/admin-credentials, mode 0600).
# Extra `serve` flags (e.g. exports) come from SLUICE_CONTROLLER_SERVE_ARGS.
start_controller() {
  local pid extra=()
  read -r -a extra <<< "${SLUICE_CONTROLLER_SERVE_ARGS:-}"
  if pid="$(running_controller_pid)"; then
    say "sluice-controller already running (pid $pid) on $CONTROLLER_ADDR"
    return 0
  fi
  mkdir -p "$CONTROLLER_DIR"
  chmod 0700 "$CONTROLLER_DIR"
  if [[ ! -f "$CONTROLLER_DIR/data/ca.crt" ]]; then
    say "initialising the controller in $CONTROLLER_DIR"
    (umask 077; "$(controller_bin)" init --data-dir "$CONTROLLER_DIR/data" \
      > "$CONTROLLER_DIR/admin-credentials")
  fi
  local args=(serve --data-dir "$CONTROLLER_DIR/data" --listen "$CONTROLLER_ADDR"
              --web-listen "$CONSOLE_ADDR" ${extra[@]+"${extra[@]}"})
  say "starting sluice-controller ${args[*]}"
  setsid "$(controller_bin)" "${args[@]}" >>"$CONTROLLER_DIR/controller.log" 2>&1 < /dev/null &
  echo $! > "$CONTROLLER_DIR/controller.pid"
  for ((i = 0; i < 100; i++)); do
    if admin_ctl agents list >/dev/null 2>&1; then return 0; fi
    running_controller_pid >/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$CONTROLLER_DIR/controller.log" >&2 || true
  die "the controller did not start; log: $CONTROLLER_DIR/controller.log"
}

# Agent flags to reach the controller: the enrolled identity, or a one-time token to enrol.
controller_agent_args() {
  if [[ -f "$STATE_DIR/controller/identity.json" ]]; then
    echo "--controller $CONTROLLER_ADDR"
    return
  fi
  local token fp
  token="$(admin_ctl enroll-token create --ttl 10m --labels host="$(hostname -s)" | head -n 1)"
  fp="$(awk '/CA fingerprint/ { print $NF }' "$CONTROLLER_DIR/admin-credentials")"
  echo "--enroll https://$CONTROLLER_ADDR --token $token --ca-sha256 $fp"
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
  local scope="" policy="$DEFAULT_POLICY" policy_given=0
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --scope) scope="${2:?--scope needs a cgroup path}"; shift 2 ;;
      --policy) policy="${2:?--policy needs a file}"; policy_given=1; shift 2 ;;
      *) die "up: unknown argument '$1'" ;;
    esac
  done
  local again=(up)
  [[ -n "$scope" ]] && again+=(--scope "$scope")
  [[ $policy_given -eq 1 ]] && again+=(--policy "$policy")
  need_root "${again[@]}"
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
  start_controller
  # The first `up` pushes the default policy; later ones only a policy named with --policy.
  if [[ $policy_given -eq 1 ]] || ! admin_ctl policy history --json | grep -q '"version"'; then
    say "pushing $policy to the fleet"
    admin_ctl policy push "$policy"
  fi
  mkdir -p "$STATE_DIR"
  local args=(--policy "$policy" --state-dir "$STATE_DIR" --bpffs "$BPFFS_DIR")
  [[ -n "$scope" ]] && args+=(--scope "$scope")
  # shellcheck disable=SC2207  # the flags are single words
  args+=($(controller_agent_args))
  say "starting sluice-agent $(sed -E 's/(--token )[^ ]+/\1.../' <<< "${args[*]}")"
  setsid "$(agent_bin)" "${args[@]}" >>"$STATE_DIR/agent.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/agent.pid"
  printf 'BPFFS_DIR=%q\n' "$BPFFS_DIR" > "$STATE_DIR/up.env"
  if ! wait_enforcing "$STATE_DIR/agent.sock" 200; then
    tail -n 20 "$STATE_DIR/agent.log" >&2 || true
    die "the agent did not start enforcing; log: $STATE_DIR/agent.log"
  fi
  "$(ctl_bin)" agent status --state-dir "$STATE_DIR"
  admin_ctl agents list
  say "Sluice is enforcing. Events: $(ctl_bin) agent events --follow --state-dir $STATE_DIR"
  say "Alerts: sluicectl alerts list (admin credentials: $CONTROLLER_DIR/admin-credentials)"
  say "Console: https://$CONSOLE_ADDR/  (sign in with the API token from the credentials file" \
      "and a TOTP code: ./sluice.sh totp; the certificate is signed by $CONTROLLER_DIR/data/ca.crt)"
  say "Logs: $STATE_DIR/agent.log $CONTROLLER_DIR/controller.log   Stop: ./sluice.sh down"
}

cmd_down() {
  local keep=0
  [[ "${1:-}" == "--keep-enforcement" ]] && keep=1
  need_root down "$@"
  [[ -f "$STATE_DIR/up.env" ]] && source "$STATE_DIR/up.env"
  if pid="$(running_agent_pid)"; then
    stop_pid "$pid" sluice-agent
  else
    say "no running sluice-agent recorded in $STATE_DIR/agent.pid"
  fi
  rm -f "$STATE_DIR/agent.pid"
  if pid="$(running_controller_pid)"; then
    stop_pid "$pid" sluice-controller
  fi
  rm -f "$CONTROLLER_DIR/controller.pid"
  if [[ $keep -eq 1 ]]; then
    say "enforcement stays pinned under $BPFFS_DIR"
  elif [[ -d "$BPFFS_DIR" ]]; then
    [[ -x "$(agent_bin)" ]] || ensure_built
    "$(agent_bin)" --uninstall --bpffs "$BPFFS_DIR"
    say "enforcement removed"
  fi
}

# The admin's current TOTP code, for signing in to the console (an authenticator app with the
# secret from the credentials file gives the same codes).
cmd_totp() {
  need_root totp "$@"
  [[ -f "$CONTROLLER_DIR/admin-credentials" ]] || die "no controller set up yet: run ./sluice.sh up"
  totp_code
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
  # With a controller from `up` running, the demo's agent enrols with it, so the demo's alerts
  # can be triaged in the console.
  if running_controller_pid >/dev/null; then
    local token
    token="$(awk '/API token:/ { print $3 }' "$CONTROLLER_DIR/admin-credentials")"
    export SLUICE_DEMO_CTL_ARGS="--controller $CONTROLLER_ADDR --ca $CONTROLLER_DIR/data/ca.crt --token $token"
    SLUICE_DEMO_CA_SHA256="$(awk '/CA fingerprint/ { print $NF }' "$CONTROLLER_DIR/admin-credentials")"
    export SLUICE_DEMO_CA_SHA256 SLUICE_DEMO_CONTROLLER="$CONTROLLER_ADDR" SLUICE_DEMO_CONSOLE="$CONSOLE_ADDR"
  fi
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
    totp) cmd_totp "$@" ;;
    build) cmd_build "$@" ;;
    package) cmd_package "$@" ;;
    -h|--help|help|"") usage ;;
    *) usage >&2; die "unknown subcommand '$sub'" ;;
  esac
}

main "$@"
