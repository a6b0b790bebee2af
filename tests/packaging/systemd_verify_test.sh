#!/usr/bin/env bash
# `systemd-analyze verify` passes on both units as the .deb and the .rpm ship them, and the
# hardening does not regress (`systemd-analyze security` exposure thresholds).
#
# verify needs the unit's dependencies (sysinit.target, ...) and every ExecStart= binary to
# exist. Without installing anything, each package is unpacked into a scratch root next to
# this machine's own units and the shell and kill the units call, and verified with --root.
source "$(dirname "$0")/lib.sh"
need_tools systemd-analyze rpm2cpio cpio

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

make_root() {  # make_root DIR PACKAGE-FILE...
  local root="$1" f
  shift
  mkdir -p "$root/usr/lib/systemd" "$root/usr/bin" "$root/usr/sbin"
  ln -s usr/bin "$root/bin"
  ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"
  cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
  cp /bin/sh /bin/kill "$root/usr/bin/"
  for f in "$@"; do
    if [[ "$f" == *.deb ]]; then dpkg-deb -x "$f" "$root"; else
      (cd "$root" && rpm2cpio "$f" | cpio -idm --quiet); fi
  done
}

verify() {  # verify ROOT UNIT: passes with no diagnostics at all
  local out
  # MANPATH: verify checks that the Documentation= manual pages exist, in the package.
  if ! out="$(cd "$1" && MANPATH="$1/usr/share/man" systemd-analyze verify --root="$1" "$2" 2>&1)" ||
     [[ -n "$out" ]]; then
    printf '%s\n' "$out" >&2
    return 1
  fi
}

for fmt in deb rpm; do
  root="$tmp/$fmt"
  if [[ $fmt == deb ]]; then
    files=("$(deb_of "$OUT_A" sluice-agent "$VERSION_A")" "$(deb_of "$OUT_A" sluice-controller "$VERSION_A")")
  else
    files=("$(rpm_of "$OUT_A" sluice-agent "$VERSION_A")" "$(rpm_of "$OUT_A" sluice-controller "$VERSION_A")")
  fi
  need_packages "${files[@]}"
  make_root "$root" "${files[@]}"
  for unit in sluice-agent.service sluice-controller.service; do
    verify "$root" "$unit" || fail "systemd-analyze verify $unit ($fmt) reported problems (above)"
    pass "systemd-analyze verify $unit ($fmt)"
  done
done

# The check can fail: without the binary its ExecStart= names, verify must object.
rm "$tmp/deb/usr/sbin/sluice-agent"
if verify "$tmp/deb" sluice-agent.service 2>/dev/null; then
  fail "systemd-analyze verify accepted sluice-agent.service without /usr/sbin/sluice-agent"
fi
pass "verify fails when the ExecStart= binary is missing"

# Exposure scores (0 best, 10 worst) as of this unit; raise them only with a reason.
security() {  # security UNIT MAX-TIMES-10
  local out
  out="$(cd "$tmp/rpm" && systemd-analyze security --offline=yes --root="$tmp/rpm" \
           --threshold="$2" "$1" 2>&1)" ||
    { printf '%s\n' "$out" | grep -v '✓' >&2; fail "$1 exposure is above $(($2 / 10)).$(($2 % 10))"; }
  pass "$1: $(grep -o 'Overall exposure level.*' <<<"$out")"
}
security sluice-agent.service 35
security sluice-controller.service 20
