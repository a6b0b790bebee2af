#!/bin/sh
# Runs the real sluicectl binary on tests/fixtures/policy/ and checks exit codes and output.
# usage: sluicectl_policy_test.sh SLUICECTL FIXTURES_DIR
set -u
sluicectl=$1
cd "$2" || exit 1
failures=0

# check WANT_RC PATTERN... -- ARGS...: runs sluicectl ARGS, wants exit WANT_RC and every
# fixed-string PATTERN in its output.
check() {
  want=$1
  shift
  patterns=""
  while [ "$1" != "--" ]; do
    patterns="$patterns
$1"
    shift
  done
  shift
  out=$("$sluicectl" "$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: sluicectl $* exited $rc, want $want"
    echo "$out"
    failures=$((failures + 1))
    return
  fi
  echo "$patterns" | while IFS= read -r p; do
    [ -z "$p" ] && continue
    if ! printf '%s\n' "$out" | grep -qF -- "$p"; then
      echo "FAIL: sluicectl $*: output lacks '$p'"
      echo "$out"
      exit 1
    fi
  done || failures=$((failures + 1))
}

check 0 "valid.yaml: valid, 0 warning(s); policy 'clinic-prod' sha256" \
        -- policy validate valid.yaml
check 1 "invalid.yaml:5:9: bad value 'enfoce' for spec.mode" \
        "invalid.yaml:6:27: unknown region 'eu-wset-1'" \
        "invalid.yaml:8:5: unknown vendor 'opanai' in spec.vendors; did you mean 'openai'?" \
        "invalid.yaml:10:7: missing required field 'class'" \
        "invalid.yaml:11:15: bad CIDR" \
        "invalid.yaml:12:15: bad port '0'" \
        "invalid.yaml:13:7: unknown key 'clas' in spec.destinations[0]; did you mean 'class'?" \
        "invalid.yaml: invalid, 7 error(s)" -- policy validate invalid.yaml
check 1 "valid.yaml: valid" "invalid.yaml: invalid" -- policy validate valid.yaml invalid.yaml
check 1 "cannot read policy no-such-file.yaml" -- policy validate no-such-file.yaml
check 1 "the BAA with 'openai' expired on 2099-12-31" -- policy validate valid.yaml --today 2100-01-01

check 0 "api.openai.com:443/tcp: inspect" "BAA with openai signed, valid through 2099-12-31" \
        "rule 'no-ssn': SSN -> block" -- policy explain valid.yaml api.openai.com
check 0 "api.mistral.ai:443/tcp: deny" "no BAA signed with mistral" \
        -- policy explain valid.yaml api.mistral.ai
check 0 "bedrock-runtime.us-west-2.amazonaws.com:443/tcp: inspect" \
        -- policy explain valid.yaml bedrock-runtime.us-west-2.amazonaws.com
check 0 "bedrock-runtime.us-east-2.amazonaws.com:443/tcp: deny" \
        "not in spec.vendors.aws-bedrock.regions [us-east-1, us-west-2]" \
        -- policy explain valid.yaml bedrock-runtime.us-east-2.amazonaws.com
check 0 "llm.corp.example:8050/tcp: inspect" "policy destination 'internal-llm'" \
        "(valid.yaml:16:7)" \
        -- policy explain valid.yaml llm.corp.example:8050
check 0 "cdn.example.net:443 (192.0.2.7)/tcp: deny" "matches address range 192.0.2.0/24" \
        -- policy explain valid.yaml cdn.example.net --ip 192.0.2.7
check 0 "[2001:db8:99::1]:443/tcp: deny" -- policy explain valid.yaml "[2001:db8:99::1]:443"
check 0 "expired on 2099-12-31 (today is 2100-01-01)" \
        -- policy explain valid.yaml api.openai.com --today 2100-01-01
check 0 '"class": "deny"' '"vendor": "mistral"' '"sha256":' \
        -- policy explain valid.yaml api.mistral.ai --json
check 1 "unknown vendor 'opanai'" -- policy explain invalid.yaml api.openai.com
check 2 "bad port" -- policy explain valid.yaml api.openai.com:0

check 1 "vendor openai: added (BAA signed)" "changed 'internal-llm'" \
        "decisions: 2 changed, 1 loosened" \
        "LOOSENED  api.openai.com:443  deny -> inspect  [catalog vendor openai]" \
        "tightened llm.corp.example:443  inspect -> deny  [destination 'internal-llm']" \
        -- policy diff diff-old.yaml diff-new.yaml
check 0 "no changes" "decisions: 0 changed, 0 loosened" -- policy diff diff-old.yaml diff-old.yaml
check 1 "catalog 2026.01.01-fixture ->" \
        "LOOSENED  api.retired-ai.example:443  deny -> allow  [catalog vendor retired-ai]" \
        -- policy diff --old-catalog catalog-old diff-old.yaml diff-old.yaml
check 0 "aws-bedrock    Amazon Bedrock" "bedrock-runtime.{region}.amazonaws.com" \
        "BAA not-offered; region global" -- policy catalog
check 0 '"id": "retired-ai"' '"version": "2026.01.01-fixture"' \
        -- policy catalog --catalog catalog-old --json
check 2 "unknown subcommand" -- policy frobnicate

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all sluicectl policy checks passed"
