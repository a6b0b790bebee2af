#!/usr/bin/env bash
# lintian and rpmlint report no errors and no warnings on either package. A warning that is
# justified is overridden in packaging/deb/<package>.lintian-overrides (with the reason) or
# packaging/rpm/rpmlint.toml; anything else fails here.
source "$(dirname "$0")/lib.sh"
need_tools lintian rpmlint

status=0
for p in sluice-agent sluice-controller; do
  deb="$(deb_of "$OUT_A" "$p" "$VERSION_A")" rpm="$(rpm_of "$OUT_A" "$p" "$VERSION_A")"
  need_packages "$deb" "$rpm"

  # --fail-on error,warning: the exit status covers both; the output names each tag.
  if out="$(lintian --fail-on error,warning --tag-display-limit 0 "$deb" 2>&1)"; then
    pass "lintian $(basename "$deb"): clean${out:+ ($(grep -c . <<<"$out") info lines)}"
  else
    printf '%s\n' "$out" >&2
    echo "FAIL: lintian reports errors or warnings for $(basename "$deb")" >&2
    status=1
  fi

  out="$(rpmlint -c "$SRC/packaging/rpm/rpmlint.toml" "$rpm" 2>&1)" || true
  summary="$(grep -E '[0-9]+ errors?, [0-9]+ warnings?' <<<"$out" || true)"
  [[ -n "$summary" ]] || { printf '%s\n' "$out" >&2; fail "rpmlint printed no summary"; }
  if [[ "$summary" =~ \ 0\ errors,\ 0\ warnings ]]; then
    pass "rpmlint $(basename "$rpm"): $summary"
  else
    printf '%s\n' "$out" >&2
    echo "FAIL: rpmlint $(basename "$rpm"): $summary" >&2
    status=1
  fi
done
exit $status
