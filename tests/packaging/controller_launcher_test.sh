#!/usr/bin/env bash
# The controller launcher turns /etc/sluice/controller.yaml into `sluice-controller serve`
# flags, and refuses anything it does not understand with file:line.
source "$(dirname "$0")/lib.sh"

launcher="$SRC/packaging/libexec/sluice-controller-serve"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# A stand-in controller that prints the arguments it was started with.
printf '#!/bin/sh\necho "$@"\n' > "$tmp/controller"
chmod +x "$tmp/controller"
run() { SLUICE_CONTROLLER_BIN="$tmp/controller" "$launcher" "$@"; }

got="$(run "$SRC/packaging/config/controller.yaml")"
want="serve --data-dir /var/lib/sluice-controller --listen 127.0.0.1:7443 --log-format json"
[[ "$got" == "$want" ]] || fail "shipped controller.yaml: got '$got', want '$want'"
pass "the shipped controller.yaml starts: $got"

cat > "$tmp/custom.yaml" <<'YAML'
# comment
dataDir: '/srv/sluice'   # trailing comment
db: "postgresql://sluice@db/sluice"
listen: 0.0.0.0:7443
logFormat: text
webListen: 0.0.0.0:8443
webIdleTimeout: 600
YAML
got="$(run "$tmp/custom.yaml")"
want="serve --data-dir /srv/sluice --listen 0.0.0.0:7443 --log-format text --db postgresql://sluice@db/sluice --web-listen 0.0.0.0:8443 --web-idle-timeout 600"
[[ "$got" == "$want" ]] || fail "custom config: got '$got', want '$want'"
pass "quotes, comments, db and the console settings are honoured"

printf 'listen: 127.0.0.1:1\nlistn: typo\n' > "$tmp/typo.yaml"
if err="$(run "$tmp/typo.yaml" 2>&1)"; then fail "an unknown key was accepted"; fi
[[ "$err" == *"typo.yaml:2: unknown key 'listn'"* ]] || fail "unhelpful error: $err"
pass "an unknown key is refused with file:line: $err"

printf 'just words\n' > "$tmp/bad.yaml"
if err="$(run "$tmp/bad.yaml" 2>&1)"; then fail "a line without 'key: value' was accepted"; fi
[[ "$err" == *"bad.yaml:1: expected 'key: value'"* ]] || fail "unhelpful error: $err"
pass "a malformed line is refused: $err"

if run "$tmp/missing.yaml" 2>/dev/null; then fail "a missing config was accepted"; fi
pass "a missing config is refused"
