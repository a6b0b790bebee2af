#!/usr/bin/env bash
# build-packages.sh: build the sluice-agent and sluice-controller .deb and .rpm packages.
#
#   packaging/build-packages.sh [--version V] [--release R] [--build-dir DIR] [--out DIR]
#                               [--packages "sluice-agent sluice-controller"]
#                               [--formats "deb rpm"] [--jobs N]
#
# 1. configures DIR with -DSLUICE_VERSION=V (so `--version` prints the package version and the
#    git revision), -DCMAKE_INSTALL_PREFIX=/usr and the distribution's hardening flags, and
#    builds only the binaries it packages;
# 2. stages each package with `cmake --install` into a DESTDIR;
# 3. checks the staged tree against packaging/files/<package>.list, the one list both package
#    formats are built from: a listed file that is missing, or an installed file no package
#    lists, stops the build;
# 4. builds <package>_V-R_<arch>.deb with dpkg-deb and <package>-V-R.<arch>.rpm with rpmbuild.
#
# V defaults to the CMake project version and R to 1. Needs dpkg-dev for .debs and rpm-build
# (Debian: rpm) for .rpms; scripts/install-deps.sh installs both. It does not need root.
# The packages depend on the shared libraries of the machine that built them: build the .rpm
# on the RHEL/Rocky release it is for (`--formats rpm`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG_SRC="$ROOT/packaging"
VERSION=""
RELEASE=1
BUILD_DIR="$ROOT/build-package"
OUT_DIR="$ROOT/build/packages"
PACKAGES="sluice-agent sluice-controller"
FORMATS="deb rpm"
JOBS="${SLUICE_JOBS:-$(nproc)}"
MAINTAINER="Sluice maintainers <maintainers@sluice.dev>"

say() { printf '==> %s\n' "$*"; }
die() { printf 'build-packages: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) VERSION="${2:?--version needs a value}"; shift 2 ;;
    --release) RELEASE="${2:?--release needs a value}"; shift 2 ;;
    --build-dir) BUILD_DIR="${2:?--build-dir needs a directory}"; shift 2 ;;
    --out) OUT_DIR="${2:?--out needs a directory}"; shift 2 ;;
    --packages) PACKAGES="${2:?--packages needs a list}"; shift 2 ;;
    --formats) FORMATS="${2:?--formats needs a list}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a number}"; shift 2 ;;
    -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

if [[ -z "$VERSION" ]]; then
  VERSION="$(sed -n 's/^project(sluice VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")"
  [[ -n "$VERSION" ]] || die "cannot read the project version from $ROOT/CMakeLists.txt"
fi
[[ "$VERSION" =~ ^[0-9][0-9A-Za-z.+]*$ ]] ||
  die "version '$VERSION' must start with a digit and hold only letters, digits, '.' and '+'"
[[ "$RELEASE" =~ ^[0-9][0-9A-Za-z.]*$ ]] || die "release '$RELEASE' must start with a digit"
for p in $PACKAGES; do
  [[ -f "$PKG_SRC/files/$p.list" ]] || die "unknown package '$p' (no packaging/files/$p.list)"
done
tools=(cmake)
for f in $FORMATS; do
  case "$f" in
    deb) tools+=(dpkg-deb dpkg-shlibdeps) ;;
    rpm) tools+=(rpmbuild) ;;
    *) die "unknown format '$f' (deb, rpm)" ;;
  esac
done
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || die "$tool is missing; run scripts/install-deps.sh"
done

BUILD_DIR="$(realpath -m "$BUILD_DIR")"
OUT_DIR="$(realpath -m "$OUT_DIR")"
WORK="$BUILD_DIR/packaging"
STAGE="$WORK/stage"
ARCH_DEB="$(dpkg --print-architecture 2>/dev/null || true)"
ARCH_RPM="$(uname -m)"
# Reproducible timestamps: the commit's time, else now.
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH

# The binaries each package needs, and the CMake directory that installs each.
binaries_of() {
  case "$1" in
    sluice-agent) echo "agent:sluice-agent cli:sluicectl" ;;
    sluice-controller) echo "controller:sluice-controller" ;;
  esac
}

# Entries of a package list, without comments: "kind path [mode [owner]]".
list_entries() { grep -v '^[[:space:]]*\(#\|$\)' "$PKG_SRC/files/$1.list"; }

# Copies a maintainer script or scriptlet body, inlining `#@include FILE` lines.
render_script() {
  local src="$1" line
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" =~ ^#@include[[:space:]]+(.+)$ ]]; then
      cat "$PKG_SRC/${BASH_REMATCH[1]}"
    else
      printf '%s\n' "$line"
    fi
  done < "$src"
}

# The compiler and linker flags the distribution builds its own packages with: hardening
# (_FORTIFY_SOURCE, -fstack-protector-strong, full RELRO with BIND_NOW). Empty where neither
# dpkg-buildflags nor rpm's macros are there.
distro_flags() {  # distro_flags C|LD
  if command -v dpkg-buildflags >/dev/null; then
    local -x DEB_BUILD_MAINT_OPTIONS=hardening=+all
    case "$1" in
      C) echo "$(cd "$ROOT" && dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)" ;;
      LD) dpkg-buildflags --get LDFLAGS ;;
    esac
  elif command -v rpm >/dev/null && [[ "$(rpm --eval '%{optflags}')" != '%{optflags}' ]]; then
    case "$1" in
      C) rpm --eval '%{optflags}' ;;
      LD) rpm --eval '%{?build_ldflags}' ;;
    esac
  fi
}

configure_and_build() {
  say "configuring $BUILD_DIR (SLUICE_VERSION=$VERSION)"
  local generator=()
  [[ -f "$BUILD_DIR/CMakeCache.txt" ]] || generator=(-G Ninja)
  # A package build does not stop on a compiler warning (SLUICE_WERROR=OFF): the distribution
  # flags bring warnings of their own, and the test suite already holds the code to -Werror.
  cmake -S "$ROOT" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX=/usr -DSLUICE_VERSION="$VERSION" -DSLUICE_WERROR=OFF \
    -DCMAKE_C_FLAGS="$(distro_flags C)" -DCMAKE_CXX_FLAGS="$(distro_flags C)" \
    -DCMAKE_EXE_LINKER_FLAGS="$(distro_flags LD)" \
    -DSLUICE_BUILD_TESTS=OFF -DSLUICE_BUILD_BENCH=OFF >/dev/null
  local p entry
  for p in $PACKAGES; do
    local targets=()
    for entry in $(binaries_of "$p"); do targets+=(--target "${entry#*:}"); done
    say "building $(binaries_of "$p" | sed "s/[a-z]*://g") for $p ($JOBS jobs)"
    cmake --build "$BUILD_DIR" -j "$JOBS" "${targets[@]}" ||
      die "building $p's binaries failed. Fix the build, or package the others only:" \
          "--packages \"${PACKAGES//$p/}\""
  done
}

stage() {
  say "staging into $STAGE"
  rm -rf "$STAGE"
  mkdir -p "$STAGE"
  local p entry dir bin
  for p in $PACKAGES; do
    for entry in $(binaries_of "$p"); do
      dir="${entry%%:*}" bin="${entry#*:}"
      [[ -x "$BUILD_DIR/$dir/$bin" ]] || die "$bin was not built ($BUILD_DIR/$dir/$bin missing)"
      # The directory's own install script: it installs this binary only, stripped.
      DESTDIR="$STAGE" cmake -DCMAKE_INSTALL_DO_STRIP=1 -P "$BUILD_DIR/$dir/cmake_install.cmake" \
        >/dev/null
    done
    DESTDIR="$STAGE" cmake --install "$BUILD_DIR" --component "$p" >/dev/null
  done
  # Manual pages are installed compressed, as both formats expect.
  if [[ -d "$STAGE/usr/share/man" ]]; then
    find "$STAGE/usr/share/man" -type f ! -name '*.gz' -exec gzip -9nf {} +
  fi
  # Files and directories get the modes the packages declare, whatever the checkout's umask.
  find "$STAGE" -type d -exec chmod 0755 {} +
  find "$STAGE" -type f -exec chmod u+rw,go+r,go-w {} +
}

# Every listed file is staged, and every staged file is listed by a package being built.
check_stage() {
  local p kind path rest listed=() missing=0
  for p in $PACKAGES; do
    while read -r kind path rest; do
      case "$kind" in
        file | conffile)
          listed+=("$path")
          [[ -f "$STAGE$path" ]] || { echo "  $p: $path is not in the staged install" >&2; missing=1; }
          ;;
        dir) ;;
        *) die "packaging/files/$p.list: unknown entry kind '$kind'" ;;
      esac
    done < <(list_entries "$p")
  done
  [[ $missing -eq 0 ]] || die "files listed in packaging/files/*.list are missing (above)"
  local unlisted
  unlisted="$(comm -23 <(cd "$STAGE" && find . -type f -printf '/%P\n' | sort) \
                       <(printf '%s\n' "${listed[@]}" | sort -u))"
  [[ -z "$unlisted" ]] ||
    die "installed but in no package list (add them to packaging/files/*.list):"$'\n'"$unlisted"
  # The staged binaries carry the package version.
  local bin
  for bin in usr/sbin/sluice-agent usr/bin/sluicectl usr/bin/sluice-controller; do
    [[ -x "$STAGE/$bin" ]] || continue
    "$STAGE/$bin" --version | grep -q " $VERSION (git " ||
      die "$bin --version prints '$("$STAGE/$bin" --version)', not version $VERSION"
  done
}

# Copies package $1's entries from the stage into the tree at $2 (modes only; owners are
# applied by the package formats).
populate() {
  local p="$1" root="$2" kind path mode owner
  rm -rf "$root"
  mkdir -p "$root"
  while read -r kind path mode owner; do
    case "$kind" in
      file | conffile)
        mkdir -p "$root$(dirname "$path")"
        cp -p "$STAGE$path" "$root$path"
        ;;
      dir) mkdir -p "$root$path" && chmod "$mode" "$root$path" ;;
    esac
  done < <(list_entries "$p")
}

package_summary() {
  case "$1" in
    sluice-agent) echo "Sluice host agent: keeps PHI from leaving for AI APIs" ;;
    sluice-controller) echo "Sluice controller: signed policies, enrolment, alerts, audit log" ;;
  esac
}

build_deb() {
  local p="$1" root="$WORK/deb/$1"
  say "building $p ${VERSION}-${RELEASE} .deb"
  populate "$p" "$root"
  # Debian 12 keeps units under /lib/systemd/system (lintian: systemd-service-file-outside-lib).
  if [[ -d "$root/usr/lib/systemd/system" ]]; then
    mkdir -p "$root/lib/systemd"
    mv "$root/usr/lib/systemd/system" "$root/lib/systemd/system"
    rmdir --ignore-fail-on-non-empty -p "$root/usr/lib/systemd"
  fi
  local doc="$root/usr/share/doc/$p"
  mkdir -p "$doc" "$root/DEBIAN"
  install -m 0644 "$PKG_SRC/deb/copyright" "$doc/copyright"
  {
    printf '%s (%s-%s) unstable; urgency=medium\n\n' "$p" "$VERSION" "$RELEASE"
    printf '  * Sluice %s (git %s).\n\n' "$VERSION" "$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
    printf ' -- %s  %s\n' "$MAINTAINER" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
  } | gzip -9n > "$doc/changelog.Debian.gz"
  chmod 0644 "$doc/changelog.Debian.gz"
  if [[ -f "$PKG_SRC/deb/$p.lintian-overrides" ]]; then
    install -D -m 0644 "$PKG_SRC/deb/$p.lintian-overrides" "$root/usr/share/lintian/overrides/$p"
  fi

  # Depends: the shared libraries the binaries link, as dpkg-shlibdeps finds them.
  local shlib_dir="$WORK/deb/shlibdeps-$p" bins=() depends
  mkdir -p "$shlib_dir/debian"
  printf 'Source: sluice\n\nPackage: %s\nArchitecture: any\n' "$p" > "$shlib_dir/debian/control"
  while IFS= read -r -d '' f; do bins+=(-e "$f"); done < <(find "$root/usr" -type f -perm -u+x \
    -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print0)
  depends="$(cd "$shlib_dir" && dpkg-shlibdeps -O "${bins[@]}" 2>/dev/null |
             sed -n 's/^shlibs:Depends=//p')"
  [[ -n "$depends" ]] || die "dpkg-shlibdeps found no library dependencies for $p"

  sed -e "s|@VERSION@|$VERSION-$RELEASE|" -e "s|@ARCH@|$ARCH_DEB|" \
      -e "s|@MAINTAINER@|$MAINTAINER|" -e "s|@DEPENDS@|$depends|" \
      -e "s|@INSTALLED_SIZE@|$(du -sk --exclude=DEBIAN "$root" | cut -f1)|" \
      "$PKG_SRC/deb/$p.control" > "$root/DEBIAN/control"
  list_entries "$p" | awk '$1 == "conffile" { print $2 }' > "$root/DEBIAN/conffiles"
  local s
  for s in postinst prerm postrm; do
    render_script "$PKG_SRC/deb/$p.$s" > "$root/DEBIAN/$s"
    chmod 0755 "$root/DEBIAN/$s"
  done
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
     xargs -0 md5sum) > "$root/DEBIAN/md5sums"
  chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
  find "$root" -newermt "@$SOURCE_DATE_EPOCH" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  dpkg-deb --root-owner-group -Zxz --build "$root" \
    "$OUT_DIR/${p}_${VERSION}-${RELEASE}_${ARCH_DEB}.deb" >/dev/null
}

# The %files section for package $1, from its list.
rpm_files() {
  local kind path mode owner
  while read -r kind path mode owner; do
    case "$kind" in
      file) echo "$path" ;;
      conffile) echo "%config(noreplace) $path" ;;
      dir) echo "%dir %attr($mode,${owner:-root},${owner:-root}) $path" ;;
    esac
  done < <(list_entries "$1")
}

build_rpm() {
  local top="$WORK/rpm" root="$WORK/rpm/root" p
  say "building ${PACKAGES// /, } ${VERSION}-${RELEASE} .rpm"
  rm -rf "$top"
  mkdir -p "$top"/{BUILD,RPMS,SPECS,SRPMS} "$root"
  for p in $PACKAGES; do
    populate "$p" "$WORK/rpm/tree-$p"
    cp -a "$WORK/rpm/tree-$p/." "$root/"
  done
  # The spec: @VERSION@ and friends, the %files lists, the scriptlets with their includes, and
  # only the subpackages being built.
  local spec="$top/SPECS/sluice.spec"
  render_script "$PKG_SRC/rpm/sluice.spec.in" | awk -v pkgs=" $PACKAGES " '
    /^%if_package / { keep = index(pkgs, " " $2 " ") > 0; next }
    /^%end_package/ { keep = 1; next }
    BEGIN { keep = 1 }
    keep' > "$spec.tmp"
  local out=() line
  while IFS= read -r line; do
    if [[ "$line" =~ ^@FILES\ (.+)@$ ]]; then
      rpm_files "${BASH_REMATCH[1]}"
    else
      printf '%s\n' "$line"
    fi
  done < "$spec.tmp" | sed -e "s|@VERSION@|$VERSION|" -e "s|@RELEASE@|$RELEASE|" \
                           -e "s|@MAINTAINER@|$MAINTAINER|" > "$spec"
  rm -f "$spec.tmp"
  {
    printf '\n%%changelog\n* %s %s - %s-%s\n- Sluice %s (git %s).\n' \
      "$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %d %Y')" "$MAINTAINER" "$VERSION" \
      "$RELEASE" "$VERSION" "$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  } >> "$spec"
  rpmbuild -bb --quiet --define "_topdir $top" --define "sluice_root $root" \
    --define "_build_id_links none" --define "source_date_epoch_from_changelog 0" \
    --define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_date_epoch 1" \
    "$spec" >/dev/null
  find "$top/RPMS" -name '*.rpm' -exec cp {} "$OUT_DIR/" \;
}

configure_and_build
stage
check_stage
mkdir -p "$OUT_DIR"
for p in $PACKAGES; do
  rm -f "$OUT_DIR/${p}_"*.deb "$OUT_DIR/$p-"[0-9]*.rpm
  if [[ " $FORMATS " == *" deb "* ]]; then build_deb "$p"; fi
done
if [[ " $FORMATS " == *" rpm "* ]]; then build_rpm; fi
say "packages in $OUT_DIR:"
(cd "$OUT_DIR" && ls -1 -- *.deb *.rpm 2>/dev/null | sed 's/^/    /')
