#!/usr/bin/env bash
# Installing a rebuilt version B over version A keeps the administrator's conffile edit, the
# agent's state in /var/lib/sluice (enrolment, spool) and the pinned enforcement, and the
# binaries report version B. Same sandbox and cleanup as install_test.sh.
source "$(dirname "$0")/lib.sh"
need_tools dpkg bpftool unshare
need_root

deb_a="$(deb_of "$OUT_A" sluice-agent "$VERSION_A")"
deb_b="$(deb_of "$OUT_B" sluice-agent "$VERSION_B")"

if [[ "${1:-}" != "--in-sandbox" ]]; then
  run_in_sandbox "$0" "$deb_a" "$deb_b"
  exit $?
fi

pins="/sys/fs/bpf/sluice-pkgtest-upgrade-$$"
cleanup_on_exit "$pins"

dpkg -i "$deb_a" </dev/null || fail "dpkg -i $(basename "$deb_a") failed"
/usr/sbin/sluice-agent --version | grep -q "^sluice-agent $VERSION_A " || fail "A is not installed"

# The administrator's edit, the agent's state, and enforcement pinned where the config says.
sed -i -e "s|^bpffs:.*|bpffs: $pins|" -e 's|^logLevel:.*|logLevel: debug  # edited by the upgrade test|' \
  /etc/sluice/agent.yaml
mkdir -p /var/lib/sluice/spool
echo "enrolled-by-upgrade-test" > /var/lib/sluice/enrolment
echo "spooled-event" > /var/lib/sluice/spool/0001
make_test_pins "$pins"
conf_before="$(sha256sum /etc/sluice/agent.yaml)"

# stdin is /dev/null: a conffile prompt would fail the upgrade instead of waiting.
dpkg -i "$deb_b" </dev/null || fail "dpkg -i $(basename "$deb_b") over A failed"
[[ "$(dpkg-query -W -f='${Version}' sluice-agent)" == "$VERSION_B-1" ]] || fail "B is not installed"
got="$(/usr/sbin/sluice-agent --version)"
[[ "$got" == "sluice-agent $VERSION_B (git "* ]] || fail "after the upgrade --version prints '$got'"
got="$(/usr/bin/sluicectl --version)"
[[ "$got" == "sluicectl $VERSION_B (git "* ]] || fail "after the upgrade sluicectl prints '$got'"
pass "upgraded to $VERSION_B: $got"

[[ "$(sha256sum /etc/sluice/agent.yaml)" == "$conf_before" ]] || fail "the conffile edit was lost"
grep -q 'edited by the upgrade test' /etc/sluice/agent.yaml || fail "the conffile edit was lost"
[[ ! -e /etc/sluice/agent.yaml.dpkg-new && ! -e /etc/sluice/agent.yaml.dpkg-old ]] ||
  fail "dpkg left .dpkg-new/.dpkg-old files"
pass "the edited /etc/sluice/agent.yaml survived"
[[ "$(cat /var/lib/sluice/enrolment)" == "enrolled-by-upgrade-test" ]] || fail "enrolment lost"
[[ "$(cat /var/lib/sluice/spool/0001)" == "spooled-event" ]] || fail "spool lost"
pass "the enrolment and the spool in /var/lib/sluice survived"
[[ -e "$pins/maps/pkgtest" ]] || fail "the upgrade removed the pinned enforcement"
pass "the pinned enforcement survived the upgrade"
[[ -z "$(installed_daemon_pids)" ]] || fail "the upgrade started a daemon"

dpkg -P sluice-agent </dev/null || fail "dpkg -P failed"
[[ ! -e "$pins" && ! -e /var/lib/sluice && ! -e /etc/sluice ]] || fail "purge after upgrade left files"
pass "purge after the upgrade removes pins, state and configuration"
