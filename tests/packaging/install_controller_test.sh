#!/usr/bin/env bash
# `dpkg -i` installs the controller package: it creates the unprivileged `sluice` system user
# and a data directory only that user can write, `sluice-controller --version` prints the
# package version, the data directory can be initialised as that user, nothing is started,
# and `dpkg -P` removes every file and the data. Same sandbox and cleanup as install_test.sh;
# the `sluice` user, which packages keep on purge, is deleted again if this test created it.
source "$(dirname "$0")/lib.sh"
need_tools dpkg unshare runuser useradd userdel
need_root

deb="$(deb_of "$OUT_A" sluice-controller "$VERSION_A")"

if [[ "${1:-}" != "--in-sandbox" ]]; then
  user_existed=0
  getent passwd sluice >/dev/null && user_existed=1
  rc=0
  (run_in_sandbox "$0" "$deb") || rc=$?
  if [[ $user_existed -eq 0 ]] && getent passwd sluice >/dev/null; then userdel sluice; fi
  exit $rc
fi

cleanup_on_exit "/nonexistent"
before="$(sluice_paths)"

dpkg -i "$deb" </dev/null || fail "dpkg -i $(basename "$deb") failed"
pass "dpkg -i $(basename "$deb")"
got="$(/usr/bin/sluice-controller --version)"
[[ "$got" =~ ^sluice-controller\ ${VERSION_A//+/\\+}\ \(git\ [0-9a-f]{7,40}\)$ ]] ||
  fail "sluice-controller --version prints '$got'"
pass "/usr/bin/sluice-controller --version: $got"

uid="$(id -u sluice)" || fail "the package did not create the sluice user"
[[ $uid -lt 1000 ]] || fail "sluice is not a system user (uid $uid)"
[[ "$(getent passwd sluice | cut -d: -f7)" == /usr/sbin/nologin ]] || fail "sluice has a login shell"
[[ "$(stat -c '%U:%G %a' /var/lib/sluice-controller)" == "sluice:sluice 750" ]] ||
  fail "/var/lib/sluice-controller is $(stat -c '%U:%G %a' /var/lib/sluice-controller)"
pass "system user sluice (uid $uid) owns /var/lib/sluice-controller (0750)"
dpkg-query -W -f='${Conffiles}\n' sluice-controller | grep -q '^ /etc/sluice/controller.yaml ' ||
  fail "/etc/sluice/controller.yaml is not a conffile"

# The service user can initialise its data directory (as docs/install.md says to).
runuser -u sluice -- /usr/bin/sluice-controller init --data-dir /var/lib/sluice-controller \
  --san localhost > /dev/null || fail "sluice-controller init as the sluice user failed"
[[ -f /var/lib/sluice-controller/ca.crt ]] || fail "init wrote no CA (the unit's start condition)"
pass "sluice-controller init as the sluice user"
sleep 1
[[ -z "$(installed_daemon_pids)" ]] || fail "an installed Sluice daemon is running"
pass "nothing was started"

dpkg -P sluice-controller </dev/null || fail "dpkg -P failed"
[[ ! -e /var/lib/sluice-controller && ! -e /etc/sluice ]] || fail "dpkg -P left data or configuration"
after="$(sluice_paths)"
if [[ "$before" != "$after" ]]; then
  diff -u <(echo "$before") <(echo "$after") >&2 || true
  fail "dpkg -P left Sluice paths behind (+ lines)"
fi
pass "dpkg -P: data, configuration and every file gone"
