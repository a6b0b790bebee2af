#!/usr/bin/env python3
"""A TLS server on loopback that records every plaintext byte it receives.

It stands in for an AI API in the inline-enforcement tests: it speaks HTTP/1.1 with keep-alive
(Content-Length and chunked request bodies, Expect: 100-continue) and WebSocket upgrades, and
with --h2 also HTTP/2 (offered first in ALPN; a minimal responder: SETTINGS, PING and flow
control, no HPACK decoding needed to answer). Every request gets an OpenAI-style chat
completion. Every decrypted byte read from a client is appended to --log (one file for the
whole server), so a test can prove that nothing of a blocked request, headers included, ever
arrived.

  recording_server.py --addr 127.0.0.5 --port 8443 --cert c.pem --key k.pem --log rx.bin [--h2]
"""
import argparse
import json
import socket
import ssl
import threading

RESPONSE = json.dumps({
    "id": "chatcmpl-test", "object": "chat.completion", "created": 1700000000,
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": "ok"}}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}).encode()

lock = threading.Lock()


class Conn:
    def __init__(self, sock, log):
        self.sock = sock
        self.log = log
        self.buf = b""

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        with lock:
            with open(self.log, "ab") as f:
                f.write(data)
        self.buf += data

    def until(self, sep):
        while sep not in self.buf:
            self.fill()
        i = self.buf.index(sep) + len(sep)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def exactly(self, n):
        while len(self.buf) < n:
            self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


def serve(sock, log):
    c = Conn(sock, log)
    try:
        if sock.selected_alpn_protocol() == "h2":
            serve_h2(sock, c)
            return
        while True:
            head = c.until(b"\r\n\r\n").decode("latin-1")
            lines = head.split("\r\n")
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            if headers.get("upgrade", "").lower() == "websocket":
                sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                             b"Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n")
                while True:
                    c.fill()  # record frames until the client goes away
            if headers.get("expect", "").lower() == "100-continue":
                sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size = int(c.until(b"\r\n").split(b";")[0].strip(), 16)
                    c.exactly(size + 2)
                    if size == 0:
                        break
            else:
                c.exactly(int(headers.get("content-length", "0")))
            close = headers.get("connection", "").lower() == "close"
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n%s\r\n" % (
                             len(RESPONSE), b"Connection: close\r\n" if close else b"")
                         + RESPONSE)
            if close:
                try:
                    sock.unwrap()  # close_notify, so clients see a clean end
                except (ssl.SSLError, OSError):
                    pass
                break
    except (EOFError, OSError, ValueError):
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
H2_DATA, H2_HEADERS, H2_SETTINGS, H2_PING, H2_GOAWAY, H2_WINDOW_UPDATE = 0, 1, 4, 6, 7, 8
H2_END_STREAM, H2_ACK, H2_END_HEADERS = 0x1, 0x1, 0x4
# HPACK: indexed ":status: 200" (static 8), then "content-type" (static 31) with a literal value.
H2_RESPONSE_HEADERS = b"\x88\x5f\x10application/json"


def h2_frame(kind, flags, stream, payload=b""):
    return (len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big")
            + payload)


def serve_h2(sock, c):
    if c.exactly(len(H2_PREFACE)) != H2_PREFACE:
        return
    sock.sendall(h2_frame(H2_SETTINGS, 0, 0))
    while True:
        head = c.exactly(9)
        length, kind, flags = int.from_bytes(head[:3], "big"), head[3], head[4]
        stream = int.from_bytes(head[5:9], "big") & 0x7FFFFFFF
        payload = c.exactly(length)
        out = b""
        if kind == H2_SETTINGS and not flags & H2_ACK:
            out += h2_frame(H2_SETTINGS, H2_ACK, 0)
        elif kind == H2_PING and not flags & H2_ACK:
            out += h2_frame(H2_PING, H2_ACK, 0, payload)
        elif kind == H2_GOAWAY:
            return
        if kind == H2_DATA and length:  # give the window back, so large bodies keep flowing
            inc = length.to_bytes(4, "big")
            out += (h2_frame(H2_WINDOW_UPDATE, 0, 0, inc)
                    + h2_frame(H2_WINDOW_UPDATE, 0, stream, inc))
        if kind in (H2_HEADERS, H2_DATA) and flags & H2_END_STREAM:
            out += (h2_frame(H2_HEADERS, H2_END_HEADERS, stream, H2_RESPONSE_HEADERS)
                    + h2_frame(H2_DATA, H2_END_STREAM, stream, RESPONSE))
        if out:
            sock.sendall(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--h2", action="store_true", help="offer HTTP/2 (h2) before http/1.1")
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    ctx.set_alpn_protocols(["h2", "http/1.1"] if a.h2 else ["http/1.1"])
    family = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    ls = socket.socket(family, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(64)
    open(a.log, "ab").close()
    print("ready", flush=True)
    while True:
        raw, _ = ls.accept()
        try:
            s = ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()
            continue
        threading.Thread(target=serve, args=(s, a.log), daemon=True).start()


if __name__ == "__main__":
    main()
