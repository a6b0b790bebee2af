"""The environment of the inline-enforcement tests: recording servers, the agent, the scope cgroup.

A recording TLS server on loopback stands in for an AI API (api.inline.test -> 127.0.0.5, an
inspect-class destination) and a second one for a destination that is not inspected
(other.inline.test -> 127.0.0.6), each on PORT (HTTP/1.1 only) and on H2_PORT (h2 offered
first in ALPN). The real sluice-agent enforces a policy that blocks SSNs, scoped to a child
cgroup made for the test. Every client runs inside that cgroup, in a mount namespace of its own
whose /etc/hosts names the two servers (the machine's /etc/hosts is not touched).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BUILD = os.environ.get("SLUICE_BUILD_DIR", os.path.join(os.path.dirname(__file__), "../../../build"))
HERE = os.path.dirname(os.path.abspath(__file__))
CLIENTS = os.path.join(HERE, "clients")
AGENT = os.path.join(BUILD, "agent", "sluice-agent")
CTL = os.path.join(BUILD, "cli", "sluicectl")
HOST, IP, PORT = "api.inline.test", "127.0.0.5", 8443
OTHER_HOST, OTHER_IP = "other.inline.test", "127.0.0.6"
H2_PORT = 8444
URL = "https://%s:%d/v1/chat/completions" % (HOST, PORT)
SSN = "536-22-1847"
CLIENT_TIMEOUT = 15  # a client still running after this has hung
# Runs argv in the scope cgroup, in a mount namespace with the test's /etc/hosts.
IN_SCOPE = ("mount --bind \"$1\" /etc/hosts && echo $$ > \"$2/cgroup.procs\" && "
            "shift 2 && exec \"$@\"")


def skip_or_fail(reason):
    if os.environ.get("CI") == "true":
        print("FAIL: cannot run under CI=true: " + reason, file=sys.stderr)
        sys.exit(1)
    print("SKIP: " + reason, file=sys.stderr)
    sys.exit(77)


def cgroup2_mount():
    with open("/proc/mounts") as f:
        for line in f:
            parts = line.split()
            if parts[2] == "cgroup2":
                return parts[1]
    return None


def policy_text(mode="enforce", fail_mode="closed", timeout_ms=2000):
    return """apiVersion: sluice.dev/v1
kind: EgressPolicy
metadata: {name: inline-test}
spec:
  mode: %s
  failMode: %s
  holdTimeoutMs: %d
  destinations:
    - {name: test-ai, hosts: [%s], cidrs: ["%s/32"], class: inspect}
  rules:
    - {name: no-ssn, match: {phi: [SSN]}, action: block}
    - {name: rest, match: {phi: [any]}, action: allow}
  defaults: {unknownDestination: allow}
""" % (mode, fail_mode, timeout_ms, HOST, IP)


def chat_body(text, pad=0):
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    if pad:
        body["metadata"] = {"filler": "lorem ipsum dolor sit amet " * (pad // 27 + 1)}
    return json.dumps(body).encode()


class Env:
    """Everything the tests share; removed in close() whatever happened, also when the
    constructor fails half-way."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sluice-inline-")
        self.id = "sluice-inline-%d" % os.getpid()
        self.cgroup = os.path.join(cgroup2_mount(), self.id)
        self.bpffs = "/sys/fs/bpf/" + self.id
        self.state = os.path.join(self.dir, "state")
        self.procs = []
        self.open_files = []
        self.agent = None
        self.events_path = os.path.join(self.dir, "events.jsonl")
        self.logs = {}  # (host, port) -> the file its recording server appends to
        try:
            self._prepare()
        except BaseException:
            self.close()
            raise

    def _prepare(self):
        os.mkdir(self.cgroup)
        self.hosts = os.path.join(self.dir, "hosts")
        with open(self.hosts, "w") as f:
            f.write("127.0.0.1 localhost\n%s %s\n%s %s\n" % (IP, HOST, OTHER_IP, OTHER_HOST))
        self.cert = os.path.join(self.dir, "cert.pem")
        key = os.path.join(self.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=" + HOST, "-addext",
                        "subjectAltName=DNS:%s,DNS:%s" % (HOST, OTHER_HOST),
                        "-keyout", key, "-out", self.cert], check=True, capture_output=True)
        self.nssdb = os.path.join(self.dir, "nssdb")  # NSS trusts the certificate from here
        os.mkdir(self.nssdb)
        for argv in (["-N", "--empty-password"], ["-A", "-n", "inline-test", "-t", "CT,,", "-i",
                                                  self.cert]):
            subprocess.run(["certutil", "-d", "sql:" + self.nssdb] + argv, check=True,
                           capture_output=True)
        for host, addr in ((HOST, IP), (OTHER_HOST, OTHER_IP)):
            for port in (PORT, H2_PORT):
                log = os.path.join(self.dir, "rx-%s-%d.bin" % (host, port))
                p = subprocess.Popen([sys.executable, os.path.join(HERE, "recording_server.py"),
                                      "--addr", addr, "--port", str(port), "--cert", self.cert,
                                      "--key", key, "--log", log]
                                     + (["--h2"] if port == H2_PORT else []),
                                     stdout=subprocess.PIPE)
                self.procs.append(p)
                assert p.stdout.readline().strip() == b"ready", "recording server %s:%d" % (
                    addr, port)
                self.logs[(host, port)] = log
        self.rx = self.logs[(HOST, PORT)]
        self.policy = os.path.join(self.dir, "policy.yaml")
        with open(self.policy, "w") as f:
            f.write(policy_text())
        self.go_client = self.build_go_client()
        self.node_ok = self.install_node_clients()

    def build_go_client(self):
        out = os.path.join(self.dir, "goclient")
        env = dict(os.environ, GOCACHE=os.path.join(self.dir, "gocache"), GO111MODULE="off",
                   GOFLAGS="", CGO_ENABLED="0")
        subprocess.run(["go", "build", "-o", out, os.path.join(CLIENTS, "go", "main.go")],
                       check=True, env=env, capture_output=True)
        return out

    def install_node_clients(self):
        if os.path.isdir(os.path.join(CLIENTS, "node_modules", "openai")):
            return True
        r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", CLIENTS],
                           capture_output=True, timeout=300)
        return r.returncode == 0

    def start_agent(self, extra=()):
        events = open(self.events_path, "a")
        log = open(os.path.join(self.dir, "agent.log"), "a")
        self.open_files += [events, log]
        self.agent = subprocess.Popen(
            [AGENT, "--policy", self.policy, "--scope", "/" + self.id, "--bpffs", self.bpffs,
             "--state-dir", self.state] + list(extra), stdout=events, stderr=log)
        for _ in range(200):
            if self.status() is not None:
                return
            if self.agent.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("agent did not start:\n" + self.agent_log())

    def stop_agent(self):
        if self.agent is not None:
            if self.agent.poll() is None:
                self.agent.send_signal(signal.SIGCONT)
                self.agent.terminate()
                self.agent.wait(timeout=20)
            self.agent = None
        subprocess.run([AGENT, "--uninstall", "--bpffs", self.bpffs], capture_output=True)
        for f in self.open_files:
            f.close()
        self.open_files = []

    def agent_log(self):
        with open(os.path.join(self.dir, "agent.log")) as f:
            return f.read()[-4000:]

    def status(self):
        r = subprocess.run([CTL, "agent", "status", "--state-dir", self.state],
                           capture_output=True, text=True, timeout=10)
        return json.loads(r.stdout) if r.returncode == 0 else None

    def set_policy(self, **kw):
        with open(self.policy, "w") as f:
            f.write(policy_text(**kw))
        r = subprocess.run([CTL, "agent", "reload", "--state-dir", self.state],
                           capture_output=True, text=True, timeout=10)
        assert r.returncode == 0, r.stdout + r.stderr

    def events(self):
        """The agent's events so far; a last line still being written is left for later."""
        with open(self.events_path) as f:
            lines = f.read().split("\n")[:-1]
        return [json.loads(line) for line in lines if line.strip()]

    def events_until(self, pred, since=0, timeout=5.0):
        """The events after the first `since`, once one of them satisfies pred (or at timeout:
        the agent writes them a moment after the fact, later on a loaded machine)."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.events()[since:]
            if any(pred(e) for e in events) or time.monotonic() > deadline:
                return events
            time.sleep(0.05)

    def spawn(self, argv, env=None, stdin=subprocess.DEVNULL):
        """Starts argv inside the scope cgroup, in its own mount namespace with our /etc/hosts."""
        e = dict(os.environ, NODE_EXTRA_CA_CERTS=self.cert)
        e.update(env or {})
        return subprocess.Popen(["unshare", "-m", "sh", "-c", IN_SCOPE, "_", self.hosts,
                                 self.cgroup] + argv, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=e, cwd=CLIENTS)

    def run(self, argv, env=None, stdin_feed=None):
        """Runs argv in scope (see spawn). Returns (exit status or None if it hung, output,
        seconds)."""
        start = time.monotonic()
        p = self.spawn(argv, env, subprocess.PIPE if stdin_feed else subprocess.DEVNULL)
        if stdin_feed:
            try:
                stdin_feed(p.stdin)
            except BrokenPipeError:
                pass  # the client stopped reading: its error is in the output
            p.stdin = None
        try:
            out, _ = p.communicate(timeout=CLIENT_TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            return None, out.decode(errors="replace"), time.monotonic() - start
        return p.returncode, out.decode(errors="replace"), time.monotonic() - start

    def close(self):
        self.stop_agent()
        for p in self.procs:
            p.kill()
            p.wait()
            p.stdout.close()
        for _ in range(40):  # a client killed a moment ago may still be leaving the cgroup
            try:
                os.rmdir(self.cgroup)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.05)
        shutil.rmtree(self.dir, ignore_errors=True)


def size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


def read_from(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read()


def write_file(env, name, data):
    path = os.path.join(env.dir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def slow_feed(parts, pause=0.3):
    def feed(stdin):
        for i, part in enumerate(parts):
            if i:
                time.sleep(pause)
            stdin.write(part)
            stdin.flush()
        stdin.close()
    return feed


H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
H2_REQUEST_FRAMES = {0: "DATA", 1: "HEADERS", 9: "CONTINUATION"}


def h2_request_frames(data):
    """The frames of requests in bytes a server read from h2 connections: HEADERS, DATA and
    CONTINUATION, named; a truncated frame counts too. The connection preface, SETTINGS,
    WINDOW_UPDATE, PING and GOAWAY belong to the connection, not to any request."""
    found = []
    i = 0
    while i < len(data):
        if data.startswith(H2_PREFACE, i):
            i += len(H2_PREFACE)
            continue
        if len(data) - i < 9:
            return found + ["truncated frame header %r" % data[i:]]
        length, kind = int.from_bytes(data[i:i + 3], "big"), data[i + 3]
        if kind in H2_REQUEST_FRAMES or len(data) - i - 9 < length:
            found.append("%s (type %d, %d bytes)" % (H2_REQUEST_FRAMES.get(kind, "frame"), kind,
                                                     length))
        i += 9 + length
    return found
