#!/usr/bin/env bash
# The .rpm and the .deb of each package hold the same files with the same modes and the same
# configuration files (rpm: %config(noreplace); deb: conffiles), and their scriptlets behave
# the same: one lifecycle (install, upgrade, removal/purge), with and without systemd running,
# is played through each format's scripts in a scratch sandbox, and the commands they issue
# and the state they leave are compared step by step.
#
# Known, intended differences, normalised before comparing:
#  - Debian 12 installs units under /lib/systemd/system, RPM under /usr/lib/systemd/system;
#  - /usr/share/doc/<package> (copyright, changelog) exists only in the .deb; the .rpm carries
#    the licence in its header; /usr/share/lintian is Debian's;
#  - RPM has no separate purge: its erase does what `dpkg --purge` does.
source "$(dirname "$0")/lib.sh"
need_tools rpm rpm2cpio cpio bpftool
need_root

tmp="$(mktemp -d)"
pins="/sys/fs/bpf/sluice-pkgtest-formats-$$"
trap 'rm -rf "$tmp" "$pins"' EXIT

deb_files() {  # "mode path" for regular files, normalised
  dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $1, $6 }' | sed -e 's| \./| /|' \
    -e 's| /lib/systemd/| /usr/lib/systemd/|' | grep -v -e ' /usr/share/doc/' -e ' /usr/share/lintian/' |
    LC_ALL=C sort
}
rpm_files() {
  rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$1" | awk '$1 !~ /^d/' | LC_ALL=C sort
}
deb_conffiles() { dpkg-deb --ctrl-tarfile "$1" | tar -xO ./conffiles | LC_ALL=C sort; }
rpm_conffiles() {  # only files that are both %config and noreplace
  rpm -qp --qf '[%{FILEFLAGS:fflags}|%{FILENAMES}\n]' "$1" | awk -F'|' '$1 ~ /c/ && $1 ~ /n/ { print $2 }' |
    LC_ALL=C sort
}

for p in sluice-agent sluice-controller; do
  deb="$(deb_of "$OUT_A" "$p" "$VERSION_A")" rpm="$(rpm_of "$OUT_A" "$p" "$VERSION_A")"
  need_packages "$deb" "$rpm"
  if ! diff -u <(deb_files "$deb") <(rpm_files "$rpm") > "$tmp/files.diff"; then
    cat "$tmp/files.diff" >&2
    fail "$p: the .deb and .rpm file lists differ (- deb, + rpm)"
  fi
  pass "$p: same $(deb_files "$deb" | wc -l) files with the same modes in .deb and .rpm"
  if ! diff -u <(deb_conffiles "$deb") <(rpm_conffiles "$rpm"); then
    fail "$p: deb conffiles and rpm %config(noreplace) files differ"
  fi
  [[ -n "$(deb_conffiles "$deb")" ]] || fail "$p has no configuration files"
  pass "$p: configuration files kept on upgrade in both: $(deb_conffiles "$deb" | xargs)"
  # Owned directories: the state directory and /etc/sluice, with the same modes.
  deb_list="$(dpkg-deb -c "$deb")"
  rpm_list="$(rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm")"
  while read -r kind d mode owner; do
    [[ "$kind" == dir ]] || continue
    grep -q "^d.* \.$d/\$" <<<"$deb_list" || fail "$p.deb does not create $d"
    grep -q "^d.* $d\$" <<<"$rpm_list" || fail "$p.rpm does not own $d"
    deb_mode="$(awk -v d=".$d/" '$6 == d { print $1 }' <<<"$deb_list")"
    rpm_mode="$(awk -v d="$d" '$2 == d { print $1 }' <<<"$rpm_list")"
    [[ "$deb_mode" == "$rpm_mode" ]] || fail "$d: mode $deb_mode in the .deb, $rpm_mode in the .rpm"
  done < <(grep -v '^#' "$SRC/packaging/files/$p.list")
  pass "$p: both create $(awk '$1 == "dir" { print $2 }' "$SRC/packaging/files/$p.list" | xargs)"
done

# --- scriptlets, played in a sandbox --------------------------------------------------------
# The scripts' fixed paths (/etc/sluice/agent.yaml, /var/lib/sluice, the agent binary, the
# systemd check) are redirected into $sb, and systemctl/deb-systemd-* are stand-ins that log
# what they are asked to do. The agent's pins are a real test map on bpffs.
extract_deb_scripts() {  # DIR DEB
  mkdir -p "$1"; dpkg-deb -e "$2" "$1"
}
extract_rpm_scripts() {  # DIR RPM: one file per scriptlet (pre, post, preun, postun)
  mkdir -p "$1"
  rpm -qp --scripts "$2" | awk -v dir="$1" '
    /^(preinstall|postinstall|preuninstall|postuninstall) scriptlet/ {
      name = $1; sub(/install$/, "", name)
      file = dir "/" name; printf "" > file; next }
    file { print >> file }'
}

sb="$tmp/sb"
run_script() {  # run_script FILE ARGS...: one maintainer script or scriptlet, sandboxed
  [[ -f "$1" ]] || return 0
  local script="$1"
  shift
  sed -e "s|/etc/sluice|$sb/etc/sluice|g" -e "s|/var/lib/sluice|$sb/var/lib/sluice|g" \
      -e "s|/usr/sbin/sluice-agent|$sb/bin/sluice-agent|g" \
      -e "s|/run/systemd/system|$sb/run/systemd/system|g" "$script" > "$sb/script"
  PATH="$sb/bin:$PATH" sh -e "$sb/script" "$@" >> "$sb/out" 2>&1 ||
    { cat "$sb/out" >&2; fail "$(basename "$script") $* failed"; }
}
# The state after a step: the unit state changes and service actions since the last step,
# whether the pins, the state directory and a state file exist. The service stand-ins record
# effects, not calls: enabling an enabled unit changes nothing and is not logged, and
# deb-systemd-invoke / deb-systemd-helper calls are logged as the systemctl action they cause.
# (How the pins go differs: the .rpm asks the binary, the .deb, whose binary is gone by purge
# time, unlinks them; the outcome, pins=no, is what is compared.)
observe() {
  local log=""
  [[ -f "$sb/log" ]] && log="$(xargs echo < "$sb/log")"
  rm -f "$sb/log"
  echo "$1: [$log] pins=$([[ -e "$pins/maps/pkgtest" ]] && echo yes || echo no)" \
       "state=$([[ -d "$sb/var/lib/sluice" ]] && echo yes || echo no)" \
       "statefile=$([[ -f "$sb/var/lib/sluice/enrolment" ]] && echo yes || echo no)"
}
setup_sandbox() {  # setup_sandbox SYSTEMD(yes|no)
  rm -rf "$sb" "$pins"
  mkdir -p "$sb/bin" "$sb/etc/sluice"
  # One stand-in for systemctl, deb-systemd-helper and deb-systemd-invoke.
  cat > "$sb/bin/systemctl" <<STUB
#!/bin/sh
log() { echo "systemctl \$*" >> "$sb/log"; }
while [ "\${1#-}" != "\$1" ]; do shift; done   # --no-reload, --system, --quiet
case "\$1" in
  enable) [ -e "$sb/enabled" ] || { touch "$sb/enabled"; log enable "\$2"; } ;;
  disable | purge) [ ! -e "$sb/enabled" ] || { rm -f "$sb/enabled"; log disable "\$2"; } ;;
  start | stop | restart | try-restart) log "\$1" "\$2" ;;
  was-enabled) [ -e "$sb/enabled" ] || [ ! -e "$sb/seen" ]; rc=\$?; touch "$sb/seen"; exit \$rc ;;
esac
exit 0
STUB
  cp "$sb/bin/systemctl" "$sb/bin/deb-systemd-helper"
  cp "$sb/bin/systemctl" "$sb/bin/deb-systemd-invoke"
  printf '#!/bin/sh\nexit 0\n' > "$sb/bin/sluice-agent"
  chmod +x "$sb/bin/"*
  [[ "$1" == yes ]] && mkdir -p "$sb/run/systemd/system"
  printf 'policy: /usr/share/sluice/policy/hipaa-default.yaml\nbpffs: %s\n' "$pins" \
    > "$sb/etc/sluice/agent.yaml"
  make_test_pins "$pins"
}

deb_a="$tmp/deb-a" deb_b="$tmp/deb-b" rpm_a="$tmp/rpm-a" rpm_b="$tmp/rpm-b"
extract_deb_scripts "$deb_a" "$(deb_of "$OUT_A" sluice-agent "$VERSION_A")"
extract_deb_scripts "$deb_b" "$(deb_of "$OUT_B" sluice-agent "$VERSION_B")"
extract_rpm_scripts "$rpm_a" "$(rpm_of "$OUT_A" sluice-agent "$VERSION_A")"
extract_rpm_scripts "$rpm_b" "$(rpm_of "$OUT_B" sluice-agent "$VERSION_B")"
for s in post preun postun; do [[ -s "$rpm_a/$s" ]] || fail "sluice-agent.rpm has no %$s scriptlet"; done

lifecycle_deb() {
  run_script "$deb_a/postinst" configure; observe install
  touch "$sb/var/lib/sluice/enrolment"
  # dpkg -i B over A: old prerm upgrade, new postinst configure A
  run_script "$deb_a/prerm" upgrade "$VERSION_B-1"
  run_script "$deb_b/postinst" configure "$VERSION_A-1"; observe upgrade
  # dpkg -P: prerm remove, postrm remove, conffiles deleted, postrm purge
  run_script "$deb_b/prerm" remove
  rm -f "$sb/bin/sluice-agent"
  run_script "$deb_b/postrm" remove
  rm -f "$sb/etc/sluice/agent.yaml"
  run_script "$deb_b/postrm" purge; observe purge
}
lifecycle_rpm() {
  run_script "$rpm_a/post" 1; observe install
  touch "$sb/var/lib/sluice/enrolment"
  # rpm -U B: new %post 2, old %preun 1, old %postun 1
  run_script "$rpm_b/post" 2
  run_script "$rpm_a/preun" 1
  run_script "$rpm_a/postun" 1; observe upgrade
  # rpm -e: %preun 0, files (and unmodified config) removed, %postun 0
  run_script "$rpm_b/preun" 0
  rm -f "$sb/bin/sluice-agent" "$sb/etc/sluice/agent.yaml"
  run_script "$rpm_b/postun" 0; observe purge
}

for systemd in no yes; do
  setup_sandbox "$systemd"; deb_obs="$(lifecycle_deb)"
  setup_sandbox "$systemd"; rpm_obs="$(lifecycle_rpm)"
  if [[ "$deb_obs" != "$rpm_obs" ]]; then
    diff -u <(echo "$deb_obs") <(echo "$rpm_obs") >&2 || true
    fail "the .deb and .rpm scripts behave differently (systemd running: $systemd; - deb, + rpm)"
  fi
  pass "same scriptlet behaviour, systemd running: $systemd"$'\n'"$(sed 's/^/      /' <<<"$deb_obs")"
done

# What both must do, spelled out (the comparison above would also pass if both did nothing).
setup_sandbox yes
obs="$(lifecycle_deb)"
grep -q '^install: \[systemctl enable sluice-agent.service systemctl start sluice-agent.service\] pins=yes state=yes' <<<"$obs" ||
  fail "install with systemd must enable and start the agent: $obs"
grep -q '^upgrade: \[systemctl try-restart sluice-agent.service\] pins=yes state=yes statefile=yes' <<<"$obs" ||
  fail "upgrade must restart the agent and keep pins and state: $obs"
grep -q '^purge: \[systemctl stop sluice-agent.service systemctl disable sluice-agent.service\] pins=no state=no' <<<"$obs" ||
  fail "purge must stop and disable the agent and remove pins and state: $obs"
setup_sandbox no
obs="$(lifecycle_rpm)"
grep -q '^install: \[systemctl enable sluice-agent.service\] pins=yes' <<<"$obs" ||
  fail "without systemd running, install must not start anything: $obs"
pass "install enables/starts, upgrade restarts keeping pins and state, erase/purge unpins"
