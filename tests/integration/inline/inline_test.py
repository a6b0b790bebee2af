#!/usr/bin/env python3
"""Inline PHI enforcement with real clients (issue 4).

The matrix (inline_clients.py): curl, python3 http.client, node https and fetch, the openai SDK,
a Go client and openssl s_client (the clients the issue names); gnutls-cli (GnuTLS), libcurl-nss
and tstclnt (NSS); curl --http2, node's http2 module and Go (HTTP/2). For every client: a clean
request arrives intact; a request with an SSN reaches the server with 0 bytes of that request
(headers included; for h2, no HEADERS/DATA frame and no SSN byte) and the client fails promptly
instead of hanging; an SSN split across two writes is still blocked; in audit mode the request
arrives and an alert is raised; and a non-inspected destination is never held. Then:
fail-closed with the agent frozen by SIGSTOP during a hold, a ring-buffer overflow, and 1 MB
bodies. A W-2's SSN, with no word of health, arrives; with --identifiers all it is blocked. The verdict path: writes wait in the probe for their verdict while the agent reads on
another CPU, and the verdict thread at a real-time priority. The servers, the agent and the
scope cgroup are set up by inline_env.py.

Needs root. Exit 77 (skip) when it cannot run, except under CI=true where that is a failure.
"""
import json
import os
import signal
import subprocess
import sys
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree for the modules beside this
from inline_clients import (ALL_CLIENTS, CLIENT, HTTP2_CLIENTS, ISSUE_CLIENTS,
                            OTHER_LIBRARY_CLIENTS, Client, missing_tools)
from inline_env import (AGENT, CLIENT_TIMEOUT, CLIENTS, CTL, HOST, OTHER_HOST, PORT, SSN, URL,
                        Env, H2_PREFACE, cgroup2_mount, chat_body, h2_request_frames, read_from,
                        size, skip_or_fail, write_file)


class InlineEnforcementTest(unittest.TestCase):
    env = None
    block_secs = {}  # client -> the longest time from start to its error after a block

    @classmethod
    def setUpClass(cls):
        cls.env = Env()
        try:
            cls.env.start_agent()
            # Warm-up: a new executable is probed when it starts; run each once so the probes
            # exist before the assertions (a first run may race the probe and be refused as
            # uninspectable, which is the safe outcome and not what these tests measure).
            for client in ALL_CLIENTS:
                try:
                    client.run(cls.env, chat_body("warm-up"), 0, HOST)
                except AssertionError:
                    pass  # a client that cannot run fails the tests that use it, not all
        except BaseException:
            cls.env.close()  # tearDownClass does not run after a failed setUpClass
            cls.env = None
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.env is not None:
            cls.env.close()
        if cls.block_secs:
            print("\nblocked request -> the client exits with an error, slowest run in s "
                  "(with start-up and the pauses of a split): " +
                  ", ".join("%s %.2f" % kv for kv in sorted(cls.block_secs.items())),
                  file=sys.stderr)

    def setUp(self):
        self.env.set_policy()

    def assert_arrives(self, client, body, marker, host=HOST):
        log = self.env.logs[(host, client.port)]
        before = size(log)
        status, out, secs = client.run(self.env, body, 0, host)
        self.assertEqual(status, 0, "%s: clean request to %s failed (%.1fs): %s\n%s" % (
            client.name, host, secs, out[-800:], self.env.agent_log()[-1500:]))
        got = read_from(log, before)
        self.assertIn(marker.encode(), got,
                      "%s: the request did not reach %s intact" % (client.name, host))
        if client.h2:
            self.assertIn(H2_PREFACE, got, "%s: HTTP/2 was not spoken" % client.name)
            # The frames a blocked request must not show are found in a clean one.
            self.assertTrue(h2_request_frames(got), client.name)

    def assert_blocked(self, client, body, split=0, what="SSN"):
        log = self.env.logs[(HOST, client.port)]
        name = "%s (%s)" % (client.name, what)
        before = size(log)
        n_events = len(self.env.events())
        status, out, secs = client.run(self.env, body, split, HOST)
        self.assertIsNotNone(status, "%s: the client hung after a block: %s" % (name, out[-500:]))
        self.block_secs[client.name] = max(secs, self.block_secs.get(client.name, 0))
        # A blocked request ends in an error; a tool that reports the closed connection with
        # status 0 must show the close and no response (the checks below prove the block).
        closed = (client.closed_says is not None and client.closed_says in out
                  and "HTTP/1." not in out)
        self.assertTrue(status != 0 or closed, "%s: a request with an SSN succeeded: %s" % (
            name, out[-500:]))
        if client.blocked_says:
            self.assertIn(client.blocked_says, out, name)
        time.sleep(0.2)
        got = read_from(log, before)
        for part in (SSN[:5], SSN[5:]):  # either side of the split
            self.assertNotIn(part.encode(), got, "%s: bytes of the SSN reached the server" % name)
        if client.h2:
            # The connection preface and SETTINGS may go out before the request is written;
            # nothing of the request itself may.
            self.assertEqual(h2_request_frames(got), [],
                             "%s: frames of the blocked request reached the server" % name)
        else:
            self.assertEqual(got, b"", "%s: bytes of the blocked request reached the server" % name)
        is_block = lambda e: e.get("kind") == "phi" and e.get("action") == "block"
        events = self.env.events_until(is_block, n_events)
        alerts = [e for e in events if is_block(e)]
        self.assertTrue(alerts, "%s: no block alert; events: %s" % (name, events))
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

    def check_enforced(self, clients):
        """Clean arrives; SSN blocked; SSN cut in two writes blocked; the next request passes."""
        for client in clients:
            with self.subTest(client=client.name):
                marker = "clean-%s-%d" % (client.name, time.monotonic_ns())
                self.assert_arrives(client, chat_body("hello " + marker), marker)
                self.assert_blocked(client, chat_body("patient ssn %s, please summarise" % SSN))
                if client.splits:
                    body = chat_body("the patient's ssn is %s for this claim" % SSN)
                    cut = body.index(SSN.encode()) + 5  # the value itself is cut in two
                    self.assert_blocked(client, body, cut, "SSN split across two writes")
                # The client's connection was destroyed; the next request goes through.
                marker = "after-%s-%d" % (client.name, time.monotonic_ns())
                self.assert_arrives(client, chat_body("again " + marker), marker)

    def test_clients(self):
        self.check_enforced(ISSUE_CLIENTS)

    def test_gnutls_and_nss_clients(self):
        self.check_enforced(OTHER_LIBRARY_CLIENTS)

    def test_http2_clients(self):
        self.check_enforced(HTTP2_CLIENTS)

    def test_every_tls_library_is_probed(self):
        libraries = {b["library"] for b in self.env.status()["inline"]["tls_binaries"]}
        for client in ALL_CLIENTS:
            self.assertIn(client.library, libraries,
                          "%s: no %s binary is probed" % (client.name, client.library))

    def test_audit_mode(self):
        self.env.set_policy(mode="audit")
        for client in ALL_CLIENTS:
            with self.subTest(client=client.name):
                n = len(self.env.events())
                marker = "audited-%s-%d" % (client.name, time.monotonic_ns())
                self.assert_arrives(client, chat_body("patient ssn %s %s" % (SSN, marker)), marker)
                is_audit = lambda e: e.get("kind") == "phi" and e.get("action") == "audit"
                audits = [e for e in self.env.events_until(is_audit, n) if is_audit(e)]
                self.assertTrue(audits, "%s: no audit alert" % client.name)
                self.assertEqual(audits[-1]["rule"], "no-ssn")

    def test_not_inspected_destination_is_never_held(self):
        for client in ALL_CLIENTS:
            with self.subTest(client=client.name):
                before = self.env.status()
                n = len(self.env.events())
                marker = "other-%s-%d" % (client.name, time.monotonic_ns())
                body = chat_body("patient ssn %s to an allowed host %s" % (SSN, marker))
                self.assert_arrives(client, body, marker, OTHER_HOST)
                after = self.env.status()
                self.assertFalse([e for e in self.env.events()[n:] if e.get("kind") == "phi"])
                self.assertEqual(after["counters"]["held"], before["counters"]["held"],
                                 "%s: a write to a non-inspected destination was held"
                                 % client.name)
                self.assertEqual(after["inline"]["writes"], before["inline"]["writes"],
                                 "%s: writes to a non-inspected destination were captured"
                                 % client.name)
        # One process talking to both: its writes are captured (it has an inspect-class
        # socket), but PHI sent to the other host is not judged by the rules.
        other = "https://%s:%d/v1/chat/completions" % (OTHER_HOST, PORT)
        rx_other = self.env.logs[(OTHER_HOST, PORT)]
        rx = size(rx_other)
        n = len(self.env.events())
        status, out, _ = self.env.run([sys.executable, os.path.join(CLIENTS, "two_hosts.py"), URL,
                                       other, self.env.cert, "patient ssn %s to an allowed host" % SSN])
        self.assertEqual(status, 0, out)
        self.assertGreater(size(rx_other), rx)
        self.assertFalse([e for e in self.env.events()[n:] if e.get("kind") == "phi"])

    def test_fail_closed_when_agent_frozen(self):
        # Frozen agent: no verdict comes. The kernel holds past the timeout and never releases;
        # when the agent runs again it destroys the socket, so the client fails.
        self.env.set_policy(timeout_ms=1000)
        before = size(self.env.rx)
        body = write_file(self.env, "frozen.json", chat_body("a perfectly clean request"))
        self.env.agent.send_signal(signal.SIGSTOP)
        try:
            p = self.env.spawn([sys.executable, os.path.join(CLIENTS, "python_client.py"), URL,
                                body, "0", self.env.cert])
            time.sleep(2.5)  # well past the hold timeout
            self.assertEqual(size(self.env.rx) - before, 0, "bytes left while the agent was frozen")
            self.assertIsNone(p.poll(), "the client finished while its request was held")
        finally:
            self.env.agent.send_signal(signal.SIGCONT)
        out, _ = p.communicate(timeout=CLIENT_TIMEOUT)
        self.assertNotEqual(p.returncode, 0, out)
        self.assertEqual(size(self.env.rx) - before, 0, "a request held past its timeout was released")
        timed_out = lambda e: e.get("kind") == "inline_failure" and "timeout" in e["reason"]
        failures = [e for e in self.env.events_until(timed_out) if e.get("kind") == "inline_failure"]
        self.assertTrue(any(timed_out(e) for e in failures), failures)

    def test_large_bodies(self):
        marker = "big-%d" % time.monotonic_ns()
        body = chat_body("start " + marker, pad=1 << 20)
        self.assertGreater(len(body), 1000000)
        self.assert_arrives(CLIENT["python-http.client"], body, marker)
        self.assert_arrives(CLIENT["curl"], body, marker)
        doc = json.loads(body)
        doc["metadata"]["note"] = "patient ssn %s" % SSN  # after a megabyte of filler
        bad = json.dumps(doc).encode()
        self.assertGreater(bad.index(SSN.encode()), 1000000)
        self.assert_blocked(CLIENT["python-http.client"], bad, what="SSN after 1 MB")

    def test_ring_buffer_overflow_fails_closed(self):
        # A ring buffer of 16 KiB holds three chunks: a 200 KB write overflows it. The lost
        # plaintext cannot be judged, so fail-closed stops the request.
        self.env.stop_agent()
        try:
            self.env.start_agent(["--tls-ring-bytes", "16384"])
            self.env.set_policy()
            body = chat_body("overflow", pad=200000)
            before = size(self.env.rx)
            status, out, _ = CLIENT["python-http.client"].run(self.env, body, 0, HOST)
            self.assertIsNotNone(status, "client hung")
            self.assertNotEqual(status, 0, out)
            self.assertEqual(size(self.env.rx) - before, 0)
            lost = lambda e: e.get("kind") == "inline_failure" and "lost" in e["reason"]
            self.assertTrue(any(lost(e) for e in self.env.events_until(lost)))
            st = self.env.status()
            self.assertGreater(st["counters"]["tls_lost"], 0)
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
            if os.environ.get("CI") == "true":
                self.fail("needs two CPUs, and CI=true forbids skipping")
            self.skipTest("needs two CPUs")

        def keep_alive_on_cpu0(env, body, split, host):
            # One connection, 30 requests one after the other: the steady traffic of a client
            # process (a new process's first request meets cold caches).
            return env.run(["taskset", "-c", "0", "curl", "-sS", "--max-time", "10", "--cacert",
                            env.cert, "--data-binary", "@" + write_file(env, "w.json", body)] +
                           [URL] * 30)
        client = Client("curl keep-alive on cpu 0", keep_alive_on_cpu0, "openssl")
        self.env.stop_agent()
        try:
            # The verdict thread on a CPU of its own (--verdict-cpus), away from the client.
            self.env.start_agent(["--verdict-spin-us", "500000", "--verdict-priority", "10",
                                  "--verdict-cpus", "1"])
            tid = verdict_thread(self.env.agent.pid)
            self.assertEqual(os.sched_getaffinity(tid), {1})
            self.assertNotEqual(os.sched_getaffinity(self.env.agent.pid), {1},
                                "only the verdict thread is pinned")
            before = self.env.status()
            self.assertEqual(before["inline"]["verdict_cpus"], [1])
            marker = "waited-%d" % time.monotonic_ns()
            self.assert_arrives(client, chat_body("hi " + marker), marker)
            self.assert_blocked(client, chat_body("patient ssn " + SSN))
            after = self.env.status()
        finally:
            self.env.stop_agent()
            self.env.start_agent()
        def delta(name):
            return after["counters"][name] - before["counters"][name]
        waited = delta("verdict_wait_answered")
        self.assertGreater(waited, 0, "no write got its verdict in the probe: %s" % after)
        # Every captured write either waited (answered or not) or says why it did not.
        outcomes = ["verdict_wait_answered", "verdict_wait_expired", "verdict_wait_skipped_asleep",
                    "verdict_wait_skipped_stale", "verdict_wait_skipped_same_cpu"]
        self.assertEqual(sum(delta(n) for n in outcomes), delta("tls_writes"),
                         {n: delta(n) for n in outcomes + ["tls_writes"]})
        latency = after["inline"]["verdict_latency_us"]
        self.assertGreater(latency["count"], before["inline"]["verdict_latency_us"]["count"])
        self.assertGreaterEqual(latency["p99"], latency["p50"])

    def test_real_time_verdict_thread(self):
        self.env.stop_agent()
        try:
            self.env.start_agent(["--verdict-priority", "5"])
            self.assertEqual(self.env.status()["inline"]["verdict_thread"], "SCHED_FIFO 5")
            tid = verdict_thread(self.env.agent.pid)
            reset_on_fork = 0x40000000
            self.assertEqual(os.sched_getscheduler(tid) & ~reset_on_fork, os.SCHED_FIFO)
            self.assertEqual(os.sched_getparam(tid).sched_priority, 5)
            others = [int(t) for t in os.listdir("/proc/%d/task" % self.env.agent.pid)
                      if int(t) != tid]
            self.assertTrue(others)
            for t in others:
                self.assertEqual(os.sched_getscheduler(t), os.SCHED_OTHER,
                                 "only the verdict thread runs at real-time priority")
            python = CLIENT["python-http.client"]
            marker = "rt-%d" % time.monotonic_ns()
            self.assert_arrives(python, chat_body("hello " + marker), marker)
            body = chat_body("the patient's ssn is %s for this claim" % SSN)
            self.assert_blocked(python, body, body.index(SSN.encode()) + 5, "SSN split, real-time")
        finally:
            self.env.stop_agent()
            self.env.start_agent()

    def test_identifiers_outside_health_context(self):
        # A W-2's SSN says nothing of anyone's health: not PHI, so it arrives. With
        # --identifiers all, every identifier counts and the same request is blocked.
        python = CLIENT["python-http.client"]
        text = "my W-2 shows the wrong SSN %s, draft an email to payroll" % SSN
        marker = "w2-%d" % time.monotonic_ns()
        self.assert_arrives(python, chat_body("%s %s" % (text, marker)), marker)
        self.env.stop_agent()
        try:
            self.env.start_agent(["--identifiers", "all"])
            self.assert_blocked(python, chat_body(text), what="SSN with --identifiers all")
        finally:
            self.env.stop_agent()
            self.env.start_agent()

    def test_restart_probes_known_binaries(self):
        # The Go client was probed when it ran (setUpClass). A restarted agent probes it again
        # at start, so the next Go process is captured from its first write instead of racing
        # the probe at exec (and being refused as uninspectable).
        binaries = self.env.status()["inline"]["tls_binaries"]
        self.assertIn(self.env.go_client, [b["path"] for b in binaries])
        self.env.stop_agent()
        self.env.start_agent()
        probed = [b["path"] for b in self.env.status()["inline"]["tls_binaries"]]
        self.assertIn(self.env.go_client, probed, "not probed at start")
        go = CLIENT["go"]
        marker = "restarted-%d" % time.monotonic_ns()
        self.assert_arrives(go, chat_body("hello " + marker), marker)
        self.assert_blocked(go, chat_body("patient ssn %s after a restart" % SSN))

    def test_no_event_carries_a_raw_value(self):
        # The prompt on the command line ("node ask.mjs URL 'Patient ..., SSN ...'") is in
        # every event about the process: the SNI event of its connection and the block alert.
        # Neither the agent's output nor its local API may carry the value.
        if not self.env.node_ok:
            self.fail("npm could not install the openai SDK (tests/integration/inline/clients)")
        n = len(self.env.events())
        prompt = "Patient Maria Lopez, SSN %s, call (617) 555-0142 today" % SSN
        status, out, _ = self.env.run(["node", os.path.join(CLIENTS, "openai_client.mjs"),
                                       "https://%s:%d/v1" % (HOST, PORT), prompt])
        self.assertNotEqual(status, 0, out)
        events = self.env.events_until(lambda e: e.get("kind") == "phi", n)
        alerts = [e for e in events if e.get("kind") == "phi"]
        self.assertTrue(alerts, events)
        # The alert names the process: its program, command and user.
        who = alerts[-1]["process"]
        self.assertEqual(who["comm"], "node", who)
        self.assertTrue(who["exe"].endswith("/node"), who)
        self.assertIn("openai_client.mjs", who["cmdline"])
        self.assertEqual(who["user"], "root", who)
        sni = [e for e in events if e.get("hook") == "sni"]
        self.assertTrue(sni, "no SNI event for the connection: %s" % events)
        self.assertIn("***-**-" + SSN[-4:], sni[-1]["process"]["cmdline"])
        for text in (json.dumps(events),
                     subprocess.run([CTL, "agent", "events", "--state-dir", self.env.state],
                                    capture_output=True, text=True, timeout=10).stdout):
            for value in (SSN, "555-0142", "Lopez"):
                self.assertNotIn(value, text, "an event carries a raw value")


def verdict_thread(pid):
    for t in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
            if f.read().strip() == "sluice-verdict":
                return int(t)
    raise AssertionError("the agent has no sluice-verdict thread")


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
    missing = missing_tools()
    if missing:
        skip_or_fail("not installed (scripts/install-deps.sh): " + ", ".join(missing))
    if not os.path.exists(AGENT):
        skip_or_fail("build the agent first: " + AGENT)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
