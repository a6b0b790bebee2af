#!/usr/bin/env bash
# `dpkg -i` installs the agent package on this machine, the installed binaries print the
# package version, nothing is started, `dpkg -r` keeps configuration and pinned enforcement,
# and `dpkg -P` removes the pins, the state and every file: the machine's list of Sluice paths
# is the same before and after.
#
# Safety: the dpkg steps run in_sandbox (lib.sh), where /run/systemd is hidden so the
# maintainer scripts start nothing, and the machine's own /var/lib/sluice is out of reach.
# The agent's bpffs is pointed at a test directory holding a test map; the real
# /sys/fs/bpf/sluice is never touched. An EXIT trap purges the package even on failure.
source "$(dirname "$0")/lib.sh"
need_tools dpkg bpftool unshare
need_root

deb="$(deb_of "$OUT_A" sluice-agent "$VERSION_A")"

if [[ "${1:-}" != "--in-sandbox" ]]; then
  run_in_sandbox "$0" "$deb"
  exit $?
fi

pins="/sys/fs/bpf/sluice-pkgtest-install-$$"
cleanup_on_exit "$pins"

[[ ! -d /run/systemd/system ]] || fail "the sandbox still shows a running systemd"
before="$(sluice_paths)"

dpkg -i "$deb" </dev/null || fail "dpkg -i $(basename "$deb") failed"
pass "dpkg -i $(basename "$deb")"
[[ "$(dpkg-query -W -f='${Status} ${Version}' sluice-agent)" == "install ok installed $VERSION_A-1" ]] ||
  fail "dpkg does not show sluice-agent $VERSION_A-1 installed"

for bin in /usr/sbin/sluice-agent /usr/bin/sluicectl; do
  got="$("$bin" --version)" || fail "$bin --version failed"
  [[ "$got" =~ ^$(basename "$bin")\ ${VERSION_A//+/\\+}\ \(git\ [0-9a-f]{7,40}\)$ ]] ||
    fail "$bin --version prints '$got'"
  pass "$bin --version: $got"
done

# Installed, configured, and not started.
dpkg-query -W -f='${Conffiles}\n' sluice-agent | grep -q '^ /etc/sluice/agent.yaml ' ||
  fail "/etc/sluice/agent.yaml is not a conffile"
[[ "$(stat -c %a /var/lib/sluice)" == 750 ]] || fail "/var/lib/sluice is not mode 0750"
[[ -f /lib/systemd/system/sluice-agent.service ]] || fail "the unit is not installed"
[[ -f /usr/share/sluice/policy/hipaa-default.yaml ]] || fail "the policy pack is not installed"
sleep 1
[[ -z "$(installed_daemon_pids)" ]] || fail "an installed Sluice daemon is running: $(installed_daemon_pids)"
[[ ! -e /var/lib/sluice/agent.sock ]] || fail "the agent was started (agent.sock exists)"
pass "installed and not started (no systemd as PID 1): no daemon, no agent.sock"

# Stand-in enforcement where the (edited) config says the agent pins.
sed -i "s|^bpffs:.*|bpffs: $pins|" /etc/sluice/agent.yaml
make_test_pins "$pins"

dpkg -r sluice-agent </dev/null || fail "dpkg -r failed"
[[ ! -e /usr/sbin/sluice-agent && ! -e /usr/bin/sluicectl ]] || fail "dpkg -r left the binaries"
[[ -f /etc/sluice/agent.yaml ]] || fail "dpkg -r removed the conffile"
[[ -e "$pins/maps/pkgtest" ]] || fail "dpkg -r removed the pinned enforcement"
[[ "$(cat /var/lib/sluice/.removed-bpffs-dir)" == "$pins" ]] ||
  fail "dpkg -r did not record the configured bpffs directory for purge"
pass "dpkg -r: binaries gone; configuration and pinned enforcement kept"

dpkg -P sluice-agent </dev/null || fail "dpkg -P failed"
[[ ! -e "$pins" ]] || fail "dpkg -P left the pins: $(find "$pins")"
[[ ! -e /var/lib/sluice ]] || fail "dpkg -P left /var/lib/sluice: $(find /var/lib/sluice)"
[[ ! -e /etc/sluice ]] || fail "dpkg -P left /etc/sluice: $(find /etc/sluice)"
! dpkg-query -W sluice-agent >/dev/null 2>&1 || fail "dpkg still knows sluice-agent"
after="$(sluice_paths)"
if [[ "$before" != "$after" ]]; then
  diff -u <(echo "$before") <(echo "$after") >&2 || true
  fail "dpkg -P left Sluice paths behind (+ lines)"
fi
pass "dpkg -P: pins, state, configuration and every file gone; Sluice paths as before"
