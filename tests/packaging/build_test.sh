#!/usr/bin/env bash
# Both packages build, in both formats, for version A and for a rebuilt version B (the
# upgrade test installs B over A), and the binaries inside print their package version and
# the git revision.
source "$(dirname "$0")/lib.sh"
need_tools cmake dpkg-deb dpkg-shlibdeps rpmbuild rpm2cpio cpio

rm -rf "$WORK/out"
for v in A B; do
  version_var="VERSION_$v" out_var="OUT_$v"
  "$SRC/packaging/build-packages.sh" --version "${!version_var}" --build-dir "$WORK/build" \
    --out "${!out_var}" --jobs "${SLUICE_JOBS:-2}" || fail "building version ${!version_var} failed"
done

check_version() {  # check_version PACKAGE-FILE BINARY VERSION
  local file="$1" bin="$2" version="$3" dir got
  dir="$(mktemp -d)"
  if [[ "$file" == *.deb ]]; then dpkg-deb -x "$file" "$dir"; else
    (cd "$dir" && rpm2cpio "$file" | cpio -idm --quiet); fi
  got="$("$dir$bin" --version)"
  rm -rf "$dir"
  [[ "$got" =~ ^$(basename "$bin")\ ${version//+/\\+}\ \(git\ [0-9a-f]{7,40}\)$ ]] ||
    fail "$(basename "$file"): $bin --version prints '$got', want '$(basename "$bin") $version (git <rev>)'"
  pass "$(basename "$file"): $got"
}

for v in A B; do
  version_var="VERSION_$v" out_var="OUT_$v"
  version="${!version_var}" out="${!out_var}"
  for p in sluice-agent sluice-controller; do
    need_packages "$(deb_of "$out" "$p" "$version")" "$(rpm_of "$out" "$p" "$version")"
  done
  for f in "$(deb_of "$out" sluice-agent "$version")" "$(rpm_of "$out" sluice-agent "$version")"; do
    check_version "$f" /usr/sbin/sluice-agent "$version"
    check_version "$f" /usr/bin/sluicectl "$version"
  done
  for f in "$(deb_of "$out" sluice-controller "$version")" \
           "$(rpm_of "$out" sluice-controller "$version")"; do
    check_version "$f" /usr/bin/sluice-controller "$version"
  done
done
pass "sluice-agent and sluice-controller built as .deb and .rpm, versions $VERSION_A and $VERSION_B"
