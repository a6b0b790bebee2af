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
#  - RPM has no separate purge: its erase does what `dpkg --purge` does, except that it keeps
#    the controller's data directory (CA, keys, database).
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
# The scripts' fixed paths (/etc/sluice, /var/lib/sluice*, the agent binary, the systemd
# check) are redirected into $sb; systemctl/deb-systemd-*, useradd, getent and chown are
# stand-ins that record what they are asked to do. The agent's pins are a real test map on
# bpffs (the controller's scripts must leave them alone).
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
# The state after a step: the unit state changes, service actions and users created since the
# last step, and whether the pins, the state directory and a state file exist. The stand-ins
# record effects, not calls: enabling an enabled unit changes nothing and is not logged, and
# deb-systemd-invoke / deb-systemd-helper calls are logged as the systemctl action they cause.
# (How the agent's pins go differs: the .rpm asks the binary, the .deb, whose binary is gone
# by purge time, unlinks them; the outcome, pins=no, is what is compared.)
observe() {  # observe STEP STATE-DIR STATE-FILE
  local log=""
  [[ -f "$sb/log" ]] && log="$(xargs echo < "$sb/log")"
  rm -f "$sb/log"
  echo "$1: [$log] pins=$([[ -e "$pins/maps/pkgtest" ]] && echo yes || echo no)" \
       "state=$([[ -d "$sb$2" ]] && echo yes || echo no)" \
       "statefile=$([[ -f "$sb$2/$3" ]] && echo yes || echo no)"
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
  printf '#!/bin/sh\n[ -e "%s/user" ]\n' "$sb" > "$sb/bin/getent"
  printf '#!/bin/sh\ntouch "%s/user"\necho "useradd ${*##* }" >> "%s/log"\n' "$sb" "$sb" > "$sb/bin/useradd"
  printf '#!/bin/sh\n[ -e "%s/user" ] || { echo "chown: no such user" >&2; exit 1; }\n' "$sb" > "$sb/bin/chown"
  printf '#!/bin/sh\nexit 0\n' > "$sb/bin/sluice-agent"
  chmod +x "$sb/bin/"*
  [[ "$1" == yes ]] && mkdir -p "$sb/run/systemd/system"
  printf 'policy: /usr/share/sluice/policy/hipaa-default.yaml\nbpffs: %s\n' "$pins" \
    > "$sb/etc/sluice/agent.yaml"
  touch "$sb/etc/sluice/controller.yaml"
  make_test_pins "$pins"
}

# One lifecycle per format for package $1, whose state lives in $2 (file $3 stands in for
# what the package must keep: enrolment, or the controller's CA). Scripts of A and B are in
# $tmp/<format>-<a|b>-<package>.
lifecycle_deb() {  # PACKAGE STATE-DIR STATE-FILE
  local a="$tmp/deb-a-$1" b="$tmp/deb-b-$1"
  run_script "$a/postinst" configure; observe install "$2" "$3"
  touch "$sb$2/$3"
  # dpkg -i B over A: old prerm upgrade, new postinst configure A
  run_script "$a/prerm" upgrade "$VERSION_B-1"
  run_script "$b/postinst" configure "$VERSION_A-1"; observe upgrade "$2" "$3"
  # dpkg -P: prerm remove, files removed, postrm remove, conffiles deleted, postrm purge
  run_script "$b/prerm" remove
  [[ $1 == sluice-agent ]] && rm -f "$sb/bin/sluice-agent"
  run_script "$b/postrm" remove
  rm -f "$sb/etc/sluice/${1#sluice-}.yaml"
  run_script "$b/postrm" purge; observe purge "$2" "$3"
}
lifecycle_rpm() {  # PACKAGE STATE-DIR STATE-FILE
  local a="$tmp/rpm-a-$1" b="$tmp/rpm-b-$1"
  run_script "$a/pre" 1
  run_script "$a/post" 1; observe install "$2" "$3"
  touch "$sb$2/$3"
  # rpm -U B: new %pre 2, new %post 2, old %preun 1, old %postun 1
  run_script "$b/pre" 2
  run_script "$b/post" 2
  run_script "$a/preun" 1
  run_script "$a/postun" 1; observe upgrade "$2" "$3"
  # rpm -e: %preun 0, files (and unmodified config) removed, %postun 0
  run_script "$b/preun" 0
  [[ $1 == sluice-agent ]] && rm -f "$sb/bin/sluice-agent"
  rm -f "$sb/etc/sluice/${1#sluice-}.yaml"
  run_script "$b/postun" 0; observe purge "$2" "$3"
}

for p in sluice-agent sluice-controller; do
  extract_deb_scripts "$tmp/deb-a-$p" "$(deb_of "$OUT_A" "$p" "$VERSION_A")"
  extract_deb_scripts "$tmp/deb-b-$p" "$(deb_of "$OUT_B" "$p" "$VERSION_B")"
  extract_rpm_scripts "$tmp/rpm-a-$p" "$(rpm_of "$OUT_A" "$p" "$VERSION_A")"
  extract_rpm_scripts "$tmp/rpm-b-$p" "$(rpm_of "$OUT_B" "$p" "$VERSION_B")"
  for s in post preun postun; do
    [[ -s "$tmp/rpm-a-$p/$s" ]] || fail "$p.rpm has no %$s scriptlet"
  done
done

compare() {  # compare PACKAGE STATE-DIR STATE-FILE
  local systemd deb_obs rpm_obs
  for systemd in no yes; do
    setup_sandbox "$systemd"; deb_obs="$(lifecycle_deb "$@")"
    setup_sandbox "$systemd"; rpm_obs="$(lifecycle_rpm "$@")"
    if [[ $1 == sluice-controller ]]; then
      # The one intended difference: dpkg --purge deletes the controller's data (CA, keys,
      # database), rpm -e keeps it, as RPM has no purge (docs/install.md).
      grep -q '^purge: .* state=no statefile=no$' <<<"$deb_obs" || fail "deb purge kept the data: $deb_obs"
      grep -q '^purge: .* state=yes statefile=yes$' <<<"$rpm_obs" || fail "rpm -e lost the data: $rpm_obs"
      rpm_obs="$(sed '/^purge: /s/state=yes statefile=yes$/state=no statefile=no/' <<<"$rpm_obs")"
    fi
    if [[ "$deb_obs" != "$rpm_obs" ]]; then
      diff -u <(echo "$deb_obs") <(echo "$rpm_obs") >&2 || true
      fail "$1: the .deb and .rpm scripts behave differently (systemd running: $systemd; - deb, + rpm)"
    fi
    pass "$1: same scriptlet behaviour, systemd running: $systemd"$'\n'"$(sed 's/^/      /' <<<"$deb_obs")"
  done
}
compare sluice-agent /var/lib/sluice enrolment
compare sluice-controller /var/lib/sluice-controller ca.crt

# What both must do, spelled out (the comparison above would also pass if both did nothing).
expect() { grep -q "$1" <<<"$obs" || fail "$2: $obs"; }  # expect PATTERN MESSAGE
setup_sandbox yes
obs="$(lifecycle_deb sluice-agent /var/lib/sluice enrolment)"
expect '^install: \[systemctl enable sluice-agent.service systemctl start sluice-agent.service\] pins=yes state=yes' \
  "install with systemd must enable and start the agent"
expect '^upgrade: \[systemctl try-restart sluice-agent.service\] pins=yes state=yes statefile=yes' \
  "upgrade must restart the agent and keep pins and state"
expect '^purge: \[systemctl stop sluice-agent.service systemctl disable sluice-agent.service\] pins=no state=no' \
  "purge must stop and disable the agent and remove pins and state"
setup_sandbox no
obs="$(lifecycle_rpm sluice-agent /var/lib/sluice enrolment)"
expect '^install: \[systemctl enable sluice-agent.service\] pins=yes' \
  "without systemd running, install must not start anything"
setup_sandbox yes
obs="$(lifecycle_rpm sluice-controller /var/lib/sluice-controller ca.crt)"
expect '^install: \[useradd sluice systemctl enable sluice-controller.service systemctl start sluice-controller.service\] pins=yes state=yes' \
  "controller install must create the user, enable and start"
expect '^upgrade: \[systemctl try-restart sluice-controller.service\] pins=yes state=yes statefile=yes' \
  "controller upgrade must restart it and keep its data"
pass "install enables/starts, upgrade restarts keeping pins and state, erase/purge unpins;" \
     "the controller's scripts create its user and never touch the agent's pins"
