# Shared by the packaging tests: paths, assertions, and the root/skip rule.
set -euo pipefail

SRC="${SLUICE_SOURCE_DIR:?SLUICE_SOURCE_DIR is not set (run through ctest)}"
WORK="${PKG_WORK:?PKG_WORK is not set (run through ctest)}"
VERSION_A="${PKG_VERSION_A:?}"
VERSION_B="${PKG_VERSION_B:?}"
OUT_A="$WORK/out/a"
OUT_B="$WORK/out/b"
ARCH_DEB="$(dpkg --print-architecture)"
ARCH_RPM="$(uname -m)"

deb_of() { echo "$1/${2}_${3}-1_${ARCH_DEB}.deb"; }   # deb_of OUT PACKAGE VERSION
rpm_of() { echo "$1/${2}-${3}-1.${ARCH_RPM}.rpm"; }   # rpm_of OUT PACKAGE VERSION

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'ok: %s\n' "$*"; }

# Exit 77 (ctest: skipped) with a reason, except under CI=true, where a test that cannot run
# is a failure.
skip() {
  if [[ "${CI:-}" == "true" ]]; then fail "cannot run under CI=true: $*"; fi
  printf 'SKIP: %s\n' "$*"
  exit 77
}

need_tools() {
  local t
  for t in "$@"; do command -v "$t" >/dev/null || skip "$t is not installed (scripts/install-deps.sh)"; done
}

need_packages() {
  local f
  for f in "$@"; do [[ -f "$f" ]] || fail "$f is missing: the packaging_build test did not produce it"; done
}

need_root() {
  [[ ${EUID} -eq 0 ]] || skip "needs root (dpkg, bpffs, mount namespaces)"
}

# Runs "$@" in a private mount namespace that keeps the package tests from touching what
# other users of this machine run:
#  - /var/lib is covered by an overlay, so the machine's own /var/lib/sluice (`sluice.sh up`
#    keeps its state there) is hidden and a purge cannot delete it; /var/lib/dpkg and
#    /var/lib/systemd are bound back in, so dpkg's database and the unit enablement records
#    are the real ones and `dpkg -i` really installs;
#  - /run/systemd is hidden, so the maintainer scripts see no running systemd and start
#    nothing, even on a machine booted with systemd.
# Everything else (/usr, /etc, bpffs) is the machine's own.
in_sandbox() {
  local scratch="$WORK/sandbox.$$" rc=0
  mkdir -p "$scratch"
  unshare --mount --propagation private -- bash -c '
    set -euo pipefail
    scratch=$1; shift
    mount -t tmpfs tmpfs "$scratch"
    mkdir -p "$scratch/upper" "$scratch/work" "$scratch/real"
    mount --bind /var/lib "$scratch/real"
    mount -t overlay overlay \
      -o "lowerdir=/var/lib,upperdir=$scratch/upper,workdir=$scratch/work" /var/lib
    for d in dpkg systemd; do
      if [ -d "$scratch/real/$d" ]; then mount --bind "$scratch/real/$d" "/var/lib/$d"; fi
    done
    rm -rf /var/lib/sluice
    if [ -d /run/systemd ]; then mount -t tmpfs tmpfs /run/systemd; fi
    exec "$@"' sandbox "$scratch" "$@" || rc=$?
  rmdir "$scratch" 2>/dev/null || true
  return $rc
}

# Every path on the machine whose name mentions sluice, outside the build trees and bpffs.
sluice_paths() {
  find /etc /usr /var/lib /var/cache /var/log \( -path /var/lib/dpkg/info -prune -o \
    -iname '*sluice*' \) -print 2>/dev/null | LC_ALL=C sort
  find /var/lib/dpkg/info -name 'sluice-*' 2>/dev/null | LC_ALL=C sort
}

# PIDs of processes running an installed Sluice daemon.
installed_daemon_pids() {
  local exe pid
  for exe in /proc/[0-9]*/exe; do
    pid="${exe#/proc/}" pid="${pid%/exe}"
    case "$(readlink "$exe" 2>/dev/null)" in
      /usr/sbin/sluice-agent* | /usr/bin/sluice-controller*) echo "$pid" ;;
    esac
  done
}

# A test-only bpffs directory with one pinned map (never attached to anything), standing in
# for the agent's pinned enforcement.
make_test_pins() {
  local dir="$1"
  mkdir -p "$dir/maps" "$dir/links"
  [[ "$(stat -f -c %T "$dir")" == "bpf_fs" ]] || fail "$dir is not on a bpffs"
  bpftool map create "$dir/maps/pkgtest" type array key 4 value 4 entries 1 name pkgtest ||
    fail "bpftool could not pin a test map under $dir"
}

# Refuse to run where Sluice is already installed: the test would take it over.
need_no_installed_sluice() {
  local p
  for p in sluice-agent sluice-controller; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed\|config-files'; then
      skip "$p is already installed on this machine; the package tests would replace it"
    fi
  done
  [[ ! -e /etc/sluice ]] || skip "/etc/sluice exists; the package tests would overwrite it"
}

purge_sluice_packages() {
  local p
  for p in sluice-agent sluice-controller; do
    if dpkg-query -W "$p" >/dev/null 2>&1; then dpkg --purge "$p" >/dev/null || true; fi
  done
}

# The outer half of a dpkg test: check the preconditions, run SCRIPT again inside in_sandbox
# with --in-sandbox, and purge whatever it left installed, however it ended.
run_in_sandbox() {  # run_in_sandbox SCRIPT PACKAGE-FILE...
  local script="$1"
  shift
  need_packages "$@"
  need_no_installed_sluice
  trap 'in_sandbox bash -c "$(declare -f purge_sluice_packages); purge_sluice_packages"' EXIT
  in_sandbox bash "$script" --in-sandbox
}

# The inner half: on exit, purge the package and remove the test pins under DIR.
cleanup_on_exit() {  # cleanup_on_exit DIR
  TEST_PINS="$1"
  trap 'purge_sluice_packages; rm -rf "$TEST_PINS"' EXIT
}
