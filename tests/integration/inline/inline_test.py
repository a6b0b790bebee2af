#!/usr/bin/env python3
"""Inline PHI enforcement with real clients (issue 4).

A recording TLS server on loopback stands in for an AI API (api.inline.test -> 127.0.0.5, an
inspect-class destination) and a second one for a destination that is not inspected
(other.inline.test -> 127.0.0.6). The real sluice-agent enforces a policy that blocks SSNs,
scoped to a child cgroup made for this test. Every client runs inside that cgroup, in a mount
namespace of its own whose /etc/hosts names the two servers (the machine's /etc/hosts is not
touched).

For each client: a clean request arrives intact; a request with an SSN reaches the server with
0 bytes (headers included) and the client fails promptly instead of hanging; an SSN split
across two writes is still blocked; in audit mode the request arrives and an alert is raised;
and a non-inspected destination is never held. Then: fail-closed with the agent frozen by
SIGSTOP during a hold, a ring-buffer overflow, and 1 MB bodies.

Needs root. Exit 77 (skip) when it cannot run, except under CI=true where that is a failure.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

BUILD = os.environ.get("SLUICE_BUILD_DIR", os.path.join(os.path.dirname(__file__), "../../../build"))
HERE = os.path.dirname(os.path.abspath(__file__))
CLIENTS = os.path.join(HERE, "clients")
AGENT = os.path.join(BUILD, "agent", "sluice-agent")
CTL = os.path.join(BUILD, "cli", "sluicectl")
HOST, IP, PORT = "api.inline.test", "127.0.0.5", 8443
OTHER_HOST, OTHER_IP = "other.inline.test", "127.0.0.6"
URL = "https://%s:%d/v1/chat/completions" % (HOST, PORT)
SSN = "536-22-1847"
CLIENT_TIMEOUT = 15  # a client still running after this has hung


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
    """Everything the tests share; removed in close() whatever happened."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sluice-inline-")
        self.id = "sluice-inline-%d" % os.getpid()
        self.cgroup = os.path.join(cgroup2_mount(), self.id)
        self.bpffs = "/sys/fs/bpf/" + self.id
        self.state = os.path.join(self.dir, "state")
        self.procs = []
        self.agent = None
        self.events_path = os.path.join(self.dir, "events.jsonl")
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
        self.rx = os.path.join(self.dir, "rx-inspected.bin")
        self.rx_other = os.path.join(self.dir, "rx-other.bin")
        for addr, log in ((IP, self.rx), (OTHER_IP, self.rx_other)):
            p = subprocess.Popen([sys.executable, os.path.join(HERE, "recording_server.py"),
                                  "--addr", addr, "--port", str(PORT), "--cert", self.cert,
                                  "--key", key, "--log", log], stdout=subprocess.PIPE)
            self.procs.append(p)
            assert p.stdout.readline().strip() == b"ready"
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
        self.events_file = open(self.events_path, "a")
        self.agent = subprocess.Popen(
            [AGENT, "--policy", self.policy, "--scope", "/" + self.id, "--bpffs", self.bpffs,
             "--state-dir", self.state] + list(extra),
            stdout=self.events_file, stderr=open(os.path.join(self.dir, "agent.log"), "a"))
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
        out = []
        with open(self.events_path) as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
        return out

    def run(self, argv, env=None, stdin_feed=None):
        """Runs argv inside the scope cgroup, in its own mount namespace with our /etc/hosts.
        Returns (exit status, output, seconds)."""
        wrapper = ("mount --bind \"$1\" /etc/hosts && echo $$ > \"$2/cgroup.procs\" && "
                   "shift 2 && exec \"$@\"")
        full = ["unshare", "-m", "sh", "-c", wrapper, "_", self.hosts, self.cgroup] + argv
        e = dict(os.environ, NODE_EXTRA_CA_CERTS=self.cert)
        e.update(env or {})
        start = time.monotonic()
        p = subprocess.Popen(full, stdin=subprocess.PIPE if stdin_feed else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=e, cwd=CLIENTS)
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
        try:
            os.rmdir(self.cgroup)
        except OSError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def verdict_thread(pid):
    for t in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
            if f.read().strip() == "sluice-verdict":
                return int(t)
    raise AssertionError("the agent has no sluice-verdict thread")


def size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


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


# Each client: a function (env, body bytes, split offset or 0) -> (status, output, seconds).
# split > 0 sends the body in two writes, cut at that offset.
def curl(env, body, split):
    base = ["curl", "-sS", "--max-time", "10", "--cacert", env.cert, "-H",
            "Content-Type: application/json"]
    if not split:
        return env.run(base + ["--data-binary", "@" + write_file(env, "curl.json", body), URL])
    # From a pipe, chunked: each read of the pipe is its own chunk, its own TLS write.
    return env.run(base + ["-T", "-", "-X", "POST", "-H", "Transfer-Encoding: chunked", URL],
                   stdin_feed=slow_feed([body[:split], body[split:]]))


def python_client(env, body, split):
    return env.run([sys.executable, os.path.join(CLIENTS, "python_client.py"), URL,
                    write_file(env, "py.json", body), str(split), env.cert])


def node_https(env, body, split):
    return env.run(["node", os.path.join(CLIENTS, "node_https.js"), URL,
                    write_file(env, "nh.json", body), str(split), env.cert])


def node_fetch(env, body, split):
    return env.run(["node", os.path.join(CLIENTS, "node_fetch.js"), URL,
                    write_file(env, "nf.json", body), str(split)])


def go_client(env, body, split):
    return env.run([env.go_client, URL, write_file(env, "go.json", body), str(split), env.cert])


def s_client(env, body, split):
    head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n" % (HOST, PORT, len(body))).encode()
    req = head + body
    cut = len(head) + split if split else len(req)
    parts = [req[:cut], req[cut:]] if split else [req]
    return env.run(["openssl", "s_client", "-connect", "%s:%d" % (HOST, PORT), "-servername", HOST,
                    "-CAfile", env.cert, "-quiet", "-verify_return_error"],
                   stdin_feed=slow_feed(parts))


CLIENTS_UNDER_TEST = {
    "curl": curl,
    "python-http.client": python_client,
    "node-https": node_https,
    "node-fetch": node_fetch,
    "go": go_client,
    "openssl-s_client": s_client,
}


def openai_sdk(env, message):
    return env.run(["node", os.path.join(CLIENTS, "openai_client.mjs"),
                    "https://%s:%d/v1" % (HOST, PORT), message])


class InlineEnforcementTest(unittest.TestCase):
    env = None

    @classmethod
    def setUpClass(cls):
        cls.env = Env()
        try:
            cls.env.start_agent()
            # Warm-up: a new executable is probed when it starts; run each once so the probes
            # exist before the assertions (a first run may race the probe and be refused as
            # uninspectable, which is the safe outcome and not what these tests measure).
            for client in CLIENTS_UNDER_TEST.values():
                client(cls.env, chat_body("warm-up"), 0)
        except BaseException:
            cls.env.close()  # tearDownClass does not run after a failed setUpClass
            cls.env = None
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.env is not None:
            cls.env.close()

    def setUp(self):
        self.env.set_policy()

    def assert_arrives(self, name, run, marker):
        before = size(self.env.rx)
        status, out, secs = run()
        self.assertEqual(status, 0, "%s: clean request failed (%.1fs): %s\n%s" % (
            name, secs, out[-800:], self.env.agent_log()[-1500:]))
        with open(self.env.rx, "rb") as f:
            f.seek(before)
            got = f.read()
        self.assertIn(marker.encode(), got, "%s: the request did not reach the server intact" % name)

    def assert_blocked(self, name, run):
        before = size(self.env.rx)
        n_events = len(self.env.events())
        status, out, secs = run()
        self.assertIsNotNone(status, "%s: the client hung after a block: %s" % (name, out[-500:]))
        self.assertNotEqual(status, 0, "%s: a request with an SSN succeeded: %s" % (name, out[-500:]))
        time.sleep(0.2)
        self.assertEqual(size(self.env.rx) - before, 0,
                         "%s: bytes of the blocked request reached the server" % name)
        alerts = [e for e in self.env.events()[n_events:]
                  if e.get("kind") == "phi" and e.get("action") == "block"]
        self.assertTrue(alerts, "%s: no block alert; events: %s" % (name, self.env.events()[n_events:]))
        a = alerts[-1]
        self.assertEqual(a["rule"], "no-ssn")
        ssn = [p for p in a["phi"] if p["type"] == "SSN"]
        self.assertTrue(ssn, a["phi"])
        f = ssn[0]["findings"][0]
        self.assertEqual(f["masked"], "***-**-" + SSN[-4:])  # a masked excerpt, never the value
        self.assertRegex(f["hash"], "^[0-9a-f]{64}$")         # keyed, to correlate alerts
        self.assertNotIn(SSN, json.dumps(a), "the alert carries the raw value")
        self.assertEqual(a["destination"]["host"], HOST)
        return secs, out

    def test_clients(self):
        for name, client in CLIENTS_UNDER_TEST.items():
            with self.subTest(client=name):
                marker = "clean-%s-%d" % (name, time.monotonic_ns())
                self.assert_arrives(name, lambda: client(self.env, chat_body("hello " + marker), 0),
                                    marker)
                self.assert_blocked(name, lambda: client(
                    self.env, chat_body("patient ssn %s, please summarise" % SSN), 0))
                body = chat_body("the member id is %s for this claim" % SSN)
                cut = body.index(SSN.encode()) + 5  # the value itself is cut in two
                self.assert_blocked(name + " split", lambda: client(self.env, body, cut))
                # The client's connection was destroyed; the next request goes through.
                marker = "after-%s-%d" % (name, time.monotonic_ns())
                self.assert_arrives(name, lambda: client(self.env, chat_body("again " + marker), 0),
                                    marker)

    def test_openai_sdk(self):
        if not self.env.node_ok:
            self.fail("npm could not install the openai SDK (tests/integration/inline/clients)")
        marker = "sdk-%d" % time.monotonic_ns()
        self.assert_arrives("openai-sdk", lambda: openai_sdk(self.env, "hello " + marker), marker)
        secs, out = self.assert_blocked("openai-sdk", lambda: openai_sdk(
            self.env, "Patient John Carter, SSN %s, has diabetes." % SSN))
        self.assertIn("APIConnectionError", out)

    def test_audit_mode(self):
        self.env.set_policy(mode="audit")
        for name, client in CLIENTS_UNDER_TEST.items():
            with self.subTest(client=name):
                n = len(self.env.events())
                marker = "audited-%s-%d" % (name, time.monotonic_ns())
                self.assert_arrives(name, lambda: client(
                    self.env, chat_body("ssn %s %s" % (SSN, marker)), 0), marker)
                time.sleep(0.2)
                audits = [e for e in self.env.events()[n:]
                          if e.get("kind") == "phi" and e.get("action") == "audit"]
                self.assertTrue(audits, "%s: no audit alert" % name)

    def test_not_inspected_destination_is_never_held(self):
        before = self.env.status()
        other = "https://%s:%d/v1/chat/completions" % (OTHER_HOST, PORT)
        for name in ("curl", "python"):
            rx = size(self.env.rx_other)
            body = write_file(self.env, "other.json", chat_body("ssn %s to an allowed host" % SSN))
            argv = (["curl", "-sS", "--max-time", "10", "--cacert", self.env.cert,
                     "--data-binary", "@" + body, other] if name == "curl" else
                    [sys.executable, os.path.join(CLIENTS, "python_client.py"), other, body, "0",
                     self.env.cert])
            status, out, _ = self.env.run(argv)
            self.assertEqual(status, 0, out)
            self.assertGreater(size(self.env.rx_other), rx)
        after = self.env.status()
        self.assertEqual(after["counters"]["held"], before["counters"]["held"])
        self.assertEqual(after["inline"]["writes"], before["inline"]["writes"],
                         "writes to a non-inspected destination were captured")
        # One process talking to both: its writes are captured (it has an inspect-class
        # socket), but PHI sent to the other host is not judged by the rules.
        rx = size(self.env.rx_other)
        n = len(self.env.events())
        status, out, _ = self.env.run([sys.executable, os.path.join(CLIENTS, "two_hosts.py"), URL,
                                       other, self.env.cert, "ssn %s to an allowed host" % SSN])
        self.assertEqual(status, 0, out)
        self.assertGreater(size(self.env.rx_other), rx)
        self.assertFalse([e for e in self.env.events()[n:] if e.get("kind") == "phi"])

    def test_fail_closed_when_agent_frozen(self):
        # Frozen agent: no verdict comes. The kernel holds past the timeout and never releases;
        # when the agent runs again it destroys the socket, so the client fails.
        self.env.set_policy(timeout_ms=1000)
        before = size(self.env.rx)
        body = write_file(self.env, "frozen.json", chat_body("a perfectly clean request"))
        self.env.agent.send_signal(signal.SIGSTOP)
        try:
            wrapper = ("mount --bind \"$1\" /etc/hosts && echo $$ > \"$2/cgroup.procs\" && "
                       "shift 2 && exec \"$@\"")
            p = subprocess.Popen(["unshare", "-m", "sh", "-c", wrapper, "_", self.env.hosts,
                                  self.env.cgroup, sys.executable,
                                  os.path.join(CLIENTS, "python_client.py"), URL, body, "0",
                                  self.env.cert], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            time.sleep(2.5)  # well past the hold timeout
            self.assertEqual(size(self.env.rx) - before, 0, "bytes left while the agent was frozen")
            self.assertIsNone(p.poll(), "the client finished while its request was held")
        finally:
            self.env.agent.send_signal(signal.SIGCONT)
        out, _ = p.communicate(timeout=CLIENT_TIMEOUT)
        self.assertNotEqual(p.returncode, 0, out)
        self.assertEqual(size(self.env.rx) - before, 0, "a request held past its timeout was released")
        time.sleep(0.3)
        failures = [e for e in self.env.events() if e.get("kind") == "inline_failure"]
        self.assertTrue(any("timeout" in e["reason"] for e in failures), failures)

    def test_large_bodies(self):
        marker = "big-%d" % time.monotonic_ns()
        body = chat_body("start " + marker, pad=1 << 20)
        self.assertGreater(len(body), 1000000)
        self.assert_arrives("1MB python", lambda: python_client(self.env, body, 0), marker)
        self.assert_arrives("1MB curl", lambda: curl(self.env, body, 0), marker)
        doc = json.loads(body)
        doc["metadata"]["note"] = "member ssn %s" % SSN  # after a megabyte of filler
        bad = json.dumps(doc).encode()
        self.assertGreater(bad.index(SSN.encode()), 1000000)
        self.assert_blocked("1MB python", lambda: python_client(self.env, bad, 0))

    def test_ring_buffer_overflow_fails_closed(self):
        # A ring buffer of 16 KiB holds three chunks: a 200 KB write overflows it. The lost
        # plaintext cannot be judged, so fail-closed stops the request.
        self.env.stop_agent()
        try:
            self.env.start_agent(["--tls-ring-bytes", "16384"])
            self.env.set_policy()
            body = chat_body("overflow", pad=200000)
            before = size(self.env.rx)
            status, out, _ = python_client(self.env, body, 0)
            self.assertIsNotNone(status, "client hung")
            self.assertNotEqual(status, 0, out)
            self.assertEqual(size(self.env.rx) - before, 0)
            time.sleep(0.3)
            st = self.env.status()
            self.assertGreater(st["counters"]["tls_lost"], 0)
            self.assertTrue(any(e.get("kind") == "inline_failure" and "lost" in e["reason"]
                                for e in self.env.events()))
        finally:
            self.env.stop_agent()
            self.env.start_agent()

    def test_verdict_waits_in_the_probe(self):
        # The agent reads on CPU 1 and the client writes on CPU 0: the client's write waits in
        # the probe for its verdict, which comes before the bytes reach the socket. The agent
        # keeps reading for half a second after each write, so every request after the first
        # finds it awake, and at a real-time priority, so that other work on CPU 1 does not
        # preempt it (the agent on a CPU of its own, as a latency-sensitive host would run it).
        if (os.cpu_count() or 1) < 2:
            self.skipTest("needs two CPUs")  # not a privileged skip: CI machines have two
        self.env.stop_agent()
        try:
            self.env.start_agent(["--verdict-spin-us", "500000", "--verdict-priority", "10"])
            subprocess.run(["taskset", "-p", "-c", "1", str(verdict_thread(self.env.agent.pid))],
                           check=True, capture_output=True)
            before = self.env.status()
            # One keep-alive connection, 30 requests one after the other: the steady traffic
            # of a client process (a new process's first request meets cold caches).
            marker = "waited-%d" % time.monotonic_ns()
            self.assert_arrives("curl on cpu 0", lambda: self.env.run(
                ["taskset", "-c", "0", "curl", "-sS", "--max-time", "10", "--cacert",
                 self.env.cert, "--data-binary",
                 "@" + write_file(self.env, "w.json", chat_body("hi " + marker))] + [URL] * 30),
                marker)
            self.assert_blocked("curl on cpu 0", lambda: self.env.run(
                ["taskset", "-c", "0", "curl", "-sS", "--max-time", "10", "--cacert",
                 self.env.cert, "--data-binary",
                 "@" + write_file(self.env, "w.json", chat_body("ssn " + SSN)), URL]))
            after = self.env.status()
        finally:
            self.env.stop_agent()
            self.env.start_agent()
        waited = (after["counters"]["verdict_wait_answered"] -
                  before["counters"]["verdict_wait_answered"])
        self.assertGreater(waited, 0, "no write got its verdict in the probe: %s" % after)
        latency = after["inline"]["verdict_latency_us"]
        self.assertGreater(latency["count"], before["inline"]["verdict_latency_us"]["count"])
        self.assertGreaterEqual(latency["p99"], latency["p50"])

    def test_real_time_verdict_thread(self):
        self.env.stop_agent()
        try:
            self.env.start_agent(["--verdict-priority", "5"])
            self.assertEqual(self.env.status()["inline"]["verdict_thread"], "SCHED_FIFO 5")
            reset_on_fork = 0x40000000
            policy = os.sched_getscheduler(verdict_thread(self.env.agent.pid))
            self.assertEqual(policy & ~reset_on_fork, os.SCHED_FIFO)
            self.assertEqual(os.sched_getparam(verdict_thread(self.env.agent.pid)).sched_priority, 5)
            others = [int(t) for t in os.listdir("/proc/%d/task" % self.env.agent.pid)
                      if int(t) != verdict_thread(self.env.agent.pid)]
            self.assertTrue(others)
            for t in others:
                self.assertEqual(os.sched_getscheduler(t), os.SCHED_OTHER,
                                 "only the verdict thread runs at real-time priority")
            marker = "rt-%d" % time.monotonic_ns()
            self.assert_arrives("python", lambda: python_client(
                self.env, chat_body("hello " + marker), 0), marker)
            body = chat_body("the member id is %s for this claim" % SSN)
            self.assert_blocked("python split", lambda: python_client(
                self.env, body, body.index(SSN.encode()) + 5))
        finally:
            self.env.stop_agent()
            self.env.start_agent()


def on_term(signum, frame):
    raise KeyboardInterrupt  # unwinds through tearDownClass, which removes everything


def main():
    signal.signal(signal.SIGTERM, on_term)
    import faulthandler
    faulthandler.register(signal.SIGUSR1)  # a stack dump of a hung run: kill -USR1
    if os.geteuid() != 0:
        skip_or_fail("needs root (BPF, cgroups, mount namespaces)")
    if not cgroup2_mount():
        skip_or_fail("no cgroup2 mount")
    for tool in ("curl", "node", "go", "openssl", "unshare"):
        if shutil.which(tool) is None:
            skip_or_fail("%s is not installed (scripts/install-deps.sh)" % tool)
    if not os.path.exists(AGENT):
        skip_or_fail("build the agent first: " + AGENT)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
