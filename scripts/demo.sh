#!/usr/bin/env bash
# The Sluice demo: everything happens inside a child cgroup created for the demo, against
# loopback servers the demo starts itself, with its own pin directory and state directory.
# Nothing else on the machine is enforced on, and everything is removed on exit.
set -euo pipefail

BUILD_DIR="${1:?usage: demo.sh BUILD_DIR}"
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
  defaults: {unknownDestination: allow, aiWithoutBaa: deny}
POLICY

bold "Policy (scope: the demo cgroup /$ID only)"
sed 's/^/    /' "$STATE/policy.yaml"

"$AGENT" --policy "$STATE/policy.yaml" --scope "/$ID" --bpffs "$BPFFS" --state-dir "$STATE" \
  >"$STATE/events.jsonl" 2>"$STATE/agent.log" &
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

sleep 0.3
bold "Events the agent reported (sluicectl agent events):"
"$CTL" agent events --state-dir "$STATE" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
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
bold "Demo done; removing the demo cgroup, pins and servers."
