#!/usr/bin/env bash
# The Sluice demo: everything happens inside a child cgroup created for the demo, against
# loopback servers the demo starts itself, with its own pin directory and state directory.
# Nothing else on the machine is enforced on, and everything is removed on exit.
set -euo pipefail

BUILD_DIR="${1:?usage: demo.sh BUILD_DIR}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AGENT="$BUILD_DIR/agent/sluice-agent"
CTL="$BUILD_DIR/cli/sluicectl"
ID="sluice-demo-$$"
MOUNT="$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)"
CGROUP="$MOUNT/$ID"
BPFFS="/sys/fs/bpf/$ID"
STATE="$(mktemp -d /tmp/sluice-demo.XXXXXX)"
PIDS=()
AGENT_PID=""

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }

cleanup() {
  set +e
  [[ -n "$AGENT_PID" ]] && kill -TERM "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [[ -d "$BPFFS" ]] && "$AGENT" --uninstall --bpffs "$BPFFS" >/dev/null 2>&1
  [[ -d "$CGROUP" ]] && rmdir "$CGROUP" 2>/dev/null
  rm -rf "$STATE"
}
trap cleanup EXIT

[[ -n "$MOUNT" ]] || { echo "demo: no cgroup2 mount" >&2; exit 1; }
mkdir "$CGROUP"

# Two loopback "AI APIs": an approved internal endpoint and an unapproved vendor.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ALLOWED_PORT="$(free_port)"
DENIED_PORT="$(free_port)"
python3 -m http.server "$ALLOWED_PORT" --bind 127.0.0.1 --directory "$STATE" >/dev/null 2>&1 &
PIDS+=($!)
python3 -m http.server "$DENIED_PORT" --bind 127.0.0.2 --directory "$STATE" >/dev/null 2>&1 &
PIDS+=($!)
# A local TLS server standing in for api.mistral.ai (curl --resolve points the real name at it).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=demo -keyout "$STATE/key.pem" \
  -out "$STATE/cert.pem" >/dev/null 2>&1
openssl s_server -accept 127.0.0.3:443 -cert "$STATE/cert.pem" -key "$STATE/key.pem" -www \
  -quiet >/dev/null 2>&1 &
PIDS+=($!)
# A local TLS server standing in for api.openai.com (a vendor this policy has a BAA with, so its
# traffic is inspected); it records every byte it receives.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=api.openai.com \
  -addext "subjectAltName=DNS:api.openai.com" -keyout "$STATE/openai-key.pem" \
  -out "$STATE/openai-cert.pem" >/dev/null 2>&1
python3 "$ROOT/tests/integration/inline/recording_server.py" --addr 127.0.0.4 --port 443 \
  --cert "$STATE/openai-cert.pem" --key "$STATE/openai-key.pem" --log "$STATE/openai-rx.bin" \
  >/dev/null 2>&1 &
PIDS+=($!)
printf '127.0.0.1 localhost\n127.0.0.4 api.openai.com\n' > "$STATE/hosts"
CLIENTS="$ROOT/tests/integration/inline/clients"
SDK=1
if [[ ! -d "$CLIENTS/node_modules/openai" ]]; then
  echo "demo: installing the openai SDK from npm for the inline demo..."
  npm install --no-audit --no-fund --prefix "$CLIENTS" >/dev/null 2>&1 || SDK=0
fi

cat > "$STATE/policy.yaml" <<POLICY
apiVersion: sluice.dev/v1
kind: EgressPolicy
metadata: {name: demo}
spec:
  mode: enforce
  destinations:
    - {name: internal-llm, cidrs: ["127.0.0.1/32"], class: allow}
    - {name: unapproved-ai-vendor, cidrs: ["127.0.0.2/32"], class: deny}
  regions: {allowed: [us]}
  vendors:
    openai: {baa: {signed: true}}   # inspected: requests are scanned for PHI
  rules:
    - {name: no-patient-identifiers, match: {phi: [SSN, MRN, NAME, DATE]}, action: block}
  defaults: {unknownDestination: allow, aiWithoutBaa: deny}
POLICY

bold "Policy (scope: the demo cgroup /$ID only)"
sed 's/^/    /' "$STATE/policy.yaml"

# With the controller of `./sluice.sh up` running, the demo's agent enrols with it (labelled
# demo=<id>) and the demo policy is pushed to that label only, so the alerts below reach the
# controller and its console; other agents keep their policy.
ENROLL=()
if [[ -n "${SLUICE_DEMO_CONTROLLER:-}" ]]; then
  # shellcheck disable=SC2086  # the flags are single words
  admin() { "$CTL" "$@" $SLUICE_DEMO_CTL_ARGS --totp "$("$ROOT/sluice.sh" totp)"; }
  if admin policy push "$STATE/policy.yaml" --labels "demo=$ID" >/dev/null &&
     token="$(admin enroll-token create --ttl 10m --labels "demo=$ID" | head -n 1)"; then
    ENROLL=(--enroll "https://$SLUICE_DEMO_CONTROLLER" --token "$token"
            --ca-sha256 "$SLUICE_DEMO_CA_SHA256")
    bold "Reporting to the controller at $SLUICE_DEMO_CONTROLLER (console: https://$SLUICE_DEMO_CONSOLE/)"
  else
    echo "demo: could not reach the controller; running without it" >&2
  fi
fi

"$AGENT" --policy "$STATE/policy.yaml" --scope "/$ID" --bpffs "$BPFFS" --state-dir "$STATE" \
  ${ENROLL[@]+"${ENROLL[@]}"} >"$STATE/events.jsonl" 2>"$STATE/agent.log" &
AGENT_PID=$!
for _ in $(seq 100); do
  "$CTL" agent status --state-dir "$STATE" >/dev/null 2>&1 && break
  sleep 0.1
done
"$CTL" agent status --state-dir "$STATE" >/dev/null || { cat "$STATE/agent.log"; exit 1; }
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$ALLOWED_PORT/" && curl -s -o /dev/null "http://127.0.0.2:$DENIED_PORT/" \
    && (echo > /dev/tcp/127.0.0.3/443) 2>/dev/null && break
  sleep 0.1
done

# Runs a command inside the demo cgroup.
in_scope() { sh -c 'echo $$ > "$0/cgroup.procs" && shift && exec "$@"' "$CGROUP" _ "$@"; }

bold "1) curl to the approved internal endpoint (127.0.0.1:$ALLOWED_PORT), inside the scope"
if in_scope curl -sS -o /dev/null -w '    HTTP %{http_code}: allowed\n' "http://127.0.0.1:$ALLOWED_PORT/"; then :; fi

bold "2) curl to the unapproved AI vendor (127.0.0.2:$DENIED_PORT), inside the scope"
in_scope curl -sS -o /dev/null "http://127.0.0.2:$DENIED_PORT/" 2>&1 | sed 's/^/    /' || true
in_scope python3 -c "
import socket
try:
    socket.create_connection(('127.0.0.2', $DENIED_PORT), timeout=2)
    print('    python3: connected (unexpected)')
except OSError as e:
    print('    python3 connect(): %s (refused in the kernel by Sluice)' % e)
"

bold "3) the same curl from outside the scope is not affected"
curl -sS -o /dev/null -w '    HTTP %{http_code}\n' "http://127.0.0.2:$DENIED_PORT/" || true

bold "4) https://api.mistral.ai (no BAA in this policy), inside the scope: refused at the TLS ClientHello"
start=$(date +%s%N)
in_scope curl -sSk --max-time 5 -o /dev/null --resolve api.mistral.ai:443:127.0.0.3 \
  https://api.mistral.ai/v1/chat/completions 2>&1 | sed 's/^/    /' || true
echo "    failed after $(( ($(date +%s%N) - start) / 1000000 )) ms (the agent destroyed the socket)"

# Runs a command inside the demo cgroup, with api.openai.com pointing at the local server (in a
# mount namespace of its own: the machine's /etc/hosts is not touched).
as_app() {
  unshare -m sh -c 'mount --bind "$1" /etc/hosts && echo $$ > "$2/cgroup.procs" && shift 2 && exec "$@"' \
    _ "$STATE/hosts" "$CGROUP" "$@"
}
if [[ "$SDK" == 1 ]]; then
  export NODE_EXTRA_CA_CERTS="$STATE/openai-cert.pem"
  bold "5) the official openai SDK, a clean question to api.openai.com (BAA signed: inspected)"
  before=$(stat -c %s "$STATE/openai-rx.bin")
  as_app node "$CLIENTS/openai_client.mjs" https://api.openai.com/v1 \
    "Summarise the main risk factors for type 2 diabetes." 2>&1 | sed 's/^/    answer: /' || true
  echo "    the server received $(( $(stat -c %s "$STATE/openai-rx.bin") - before )) bytes"

  bold "6) the same SDK with a patient's SSN in the prompt: blocked before any byte leaves"
  before=$(stat -c %s "$STATE/openai-rx.bin")
  as_app node "$CLIENTS/openai_client.mjs" https://api.openai.com/v1 \
    "Patient Maria Lopez, SSN 536-22-1847, DOB 03/14/1962: draft a discharge letter." 2>&1 \
    | sed 's/^/    /' || true
  echo "    the server received $(( $(stat -c %s "$STATE/openai-rx.bin") - before )) bytes"
else
  bold "5-6) skipped: npm could not install the openai SDK (no access to the npm registry?)"
fi

sleep 0.3
if [[ ${#ENROLL[@]} -gt 0 ]]; then
  # Wait until the controller has every alert (the spool is empty) before the agent goes.
  for _ in $(seq 50); do
    "$CTL" agent status --state-dir "$STATE" | python3 -c '
import json, sys
c = json.load(sys.stdin).get("controller") or {}
sys.exit(0 if c.get("state") == "connected" and c.get("spool_batches", 1) == 0 else 1)' && break
    sleep 0.2
  done
fi
bold "Events the agent reported (sluicectl agent events):"
"$CTL" agent events --state-dir "$STATE" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if e.get("kind") == "phi":
        p, d = e["process"], e["destination"]
        phi = ", ".join("%s x%d (%s)" % (t["type"], t["count"],
                        " ".join(f.get("masked", "") for f in t["findings"])) for t in e["phi"])
        print("    %s  PHI   %-6s rule=%s  %s %s%s  pid=%s exe=%s user=%s" % (
            e["time"], e["action"].upper(), e["rule"], e["request"]["method"], d["host"],
            e["request"]["path"], p["pid"], p["exe"], p["user"]))
        print("          found: " + phi)
        print("    " + json.dumps(e))
        continue
    if "kind" in e:
        print("    " + json.dumps(e))
        continue
    p, d = e["process"], e.get("destination", e.get("answer", {}))
    who = p["exe"] or p["comm"]
    what = e.get("name") or ""
    print("    %s  %-5s %-6s rule=%s  %s %s:%s  pid=%s exe=%s user=%s" % (
        e["ts"], e["type"], e["verdict"].upper(), e["rule"], what, d.get("ip"), d.get("port", ""),
        p["pid"], who, p["user"]))
    print("    " + json.dumps(e))
'
bold "Agent status:"
"$CTL" agent status --state-dir "$STATE" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("    enforcing=%s policy=%s generation=%s scope=%s" % (
    s["enforcing"], s["policy"]["name"], s["policy"]["generation"], s["scope"]["cgroup"]))
print("    counters: " + ", ".join("%s=%s" % kv for kv in s["counters"].items()))
'
if [[ ${#ENROLL[@]} -gt 0 ]]; then
  bold "These alerts are in the controller: sluicectl alerts list, or the console at https://$SLUICE_DEMO_CONSOLE/"
fi
bold "Demo done; removing the demo cgroup, pins and servers."
