"""The real clients of the inline-enforcement tests, one uniform call each.

A client is called as run(env, body, split, host) -> (exit status or None if it hung, output,
seconds). It POSTs `body` (a chat-completion JSON document) to
https://host:port/v1/chat/completions;
split > 0 sends the body in two TLS writes, cut at that offset, 100-300 ms apart.
"""
import ctypes.util
import os
import shutil
import sys

from inline_env import CLIENTS, H2_PORT, PORT, slow_feed, write_file


class Client:
    def __init__(self, name, run, library, port=PORT, blocked_says=None, splits=True,
                 closed_says=None):
        self.name = name
        self.run = run
        self.library = library  # the TLS library whose write function the agent probes
        self.port = port
        self.h2 = port == H2_PORT
        self.blocked_says = blocked_says  # text the client's error must contain after a block
        self.splits = splits  # whether it can send a body in two writes
        # What a line-oriented tool prints when it sees the connection closed, which it may
        # report with status 0 (gnutls-cli, when the close reaches it before its write fails).
        self.closed_says = closed_says


def url_of(host, port=PORT):
    return "https://%s:%d/v1/chat/completions" % (host, port)


def curl(env, body, split, host, port=PORT, extra=()):
    url = url_of(host, port)
    base = ["curl", "-sS", "--max-time", "10", "--cacert", env.cert, "-H",
            "Content-Type: application/json"] + list(extra)
    if not split:
        return env.run(base + ["--data-binary", "@" + write_file(env, "curl.json", body), url])
    # From a pipe each read is its own chunk (HTTP/1.1) or DATA frame (h2): its own TLS write.
    chunked = [] if port == H2_PORT else ["-H", "Transfer-Encoding: chunked"]
    return env.run(base + ["-T", "-", "-X", "POST"] + chunked + [url],
                   stdin_feed=slow_feed([body[:split], body[split:]]))


def curl_http2(env, body, split, host):
    return curl(env, body, split, host, H2_PORT, ["--http2"])


def python_client(env, body, split, host):
    return env.run([sys.executable, os.path.join(CLIENTS, "python_client.py"), url_of(host),
                    write_file(env, "py.json", body), str(split), env.cert])


def node_https(env, body, split, host):
    return env.run(["node", os.path.join(CLIENTS, "node_https.js"), url_of(host),
                    write_file(env, "nh.json", body), str(split), env.cert])


def node_fetch(env, body, split, host):
    return env.run(["node", os.path.join(CLIENTS, "node_fetch.js"), url_of(host),
                    write_file(env, "nf.json", body), str(split)])


def node_http2(env, body, split, host):
    return env.run(["node", os.path.join(CLIENTS, "node_http2.js"), url_of(host, H2_PORT),
                    write_file(env, "n2.json", body), str(split), env.cert])


def openai_sdk(env, body, split, host):
    """The SDK serialises the request itself from body's model and messages; a split is passed
    as the text just before the cut, which lies inside a message (see openai_client.mjs)."""
    assert env.node_ok, "npm could not install the openai SDK (tests/integration/inline/clients)"
    marker = body[max(0, split - 12):split].decode() if split else ""
    return env.run(["node", os.path.join(CLIENTS, "openai_client.mjs"),
                    "https://%s:%d/v1" % (host, PORT), "@" + write_file(env, "sdk.json", body),
                    marker])


def go_client(env, body, split, host):
    return env.run([env.go_client, url_of(host), write_file(env, "go.json", body), str(split),
                    env.cert])


def go_http2(env, body, split, host):
    return env.run([env.go_client, url_of(host, H2_PORT), write_file(env, "go2.json", body),
                    str(split), env.cert], env={"GO_HTTP2": "1"})


def http1_request(host, body, split):
    """A raw HTTP/1.1 POST for the line-oriented TLS tools, in one part or cut inside the body."""
    head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json"
            "\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (host, PORT, len(body)))
    head = head.encode()
    req = head + body
    if not split:
        return [req]
    return [req[:len(head) + split], req[len(head) + split:]]


def s_client(env, body, split, host):
    return env.run(["openssl", "s_client", "-connect", "%s:%d" % (host, PORT), "-servername", host,
                    "-CAfile", env.cert, "-quiet", "-verify_return_error"],
                   stdin_feed=slow_feed(http1_request(host, body, split)))


def gnutls_cli(env, body, split, host):
    return env.run(["gnutls-cli", "--x509cafile", env.cert, "-p", str(PORT), host],
                   stdin_feed=slow_feed(http1_request(host, body, split)))


def tstclnt(env, body, split, host):
    """NSS's own test client. It sends a request file (-A) and exits when the server closes;
    fed from stdin or a pipe it never exits after the server's close, so it cannot split."""
    assert not split, "tstclnt cannot send a body in two writes"
    request = write_file(env, "tstclnt.http", http1_request(host, body, 0)[0])
    return env.run(["tstclnt", "-h", host, "-p", str(PORT), "-d", "sql:" + env.nssdb, "-4",
                    "-A", request])


def curl_nss(env, body, split, host):
    return env.run([sys.executable, os.path.join(CLIENTS, "curl_nss.py"), url_of(host),
                    write_file(env, "nss.json", body), str(split), env.cert])


# The clients the issue names, then other TLS libraries, then HTTP/2.
ISSUE_CLIENTS = [
    Client("curl", curl, "openssl"),
    Client("python-http.client", python_client, "openssl"),
    Client("node-https", node_https, "openssl"),
    Client("node-fetch", node_fetch, "openssl"),
    Client("openai-sdk", openai_sdk, "openssl", blocked_says="APIConnectionError"),
    Client("go", go_client, "go"),
    Client("openssl-s_client", s_client, "openssl"),
]
OTHER_LIBRARY_CLIENTS = [
    Client("gnutls-cli", gnutls_cli, "gnutls",
           closed_says="Peer has closed the GnuTLS connection"),
    Client("libcurl-nss", curl_nss, "nss"),
    Client("nss-tstclnt", tstclnt, "nss", splits=False),
]
HTTP2_CLIENTS = [
    Client("curl-http2", curl_http2, "openssl", port=H2_PORT),
    Client("node-http2", node_http2, "openssl", port=H2_PORT),
    Client("go-http2", go_http2, "go", port=H2_PORT),
]
ALL_CLIENTS = ISSUE_CLIENTS + OTHER_LIBRARY_CLIENTS + HTTP2_CLIENTS
CLIENT = {c.name: c for c in ALL_CLIENTS}


def missing_tools():
    """What the matrix needs that is not installed (scripts/install-deps.sh installs it all)."""
    missing = [t for t in ("curl", "node", "npm", "go", "openssl", "gnutls-cli", "tstclnt",
                                "certutil", "unshare")
               if shutil.which(t) is None]
    if not ctypes.util.find_library("curl-nss"):
        missing.append("libcurl-nss.so.4 (libcurl3-nss)")
    return missing
