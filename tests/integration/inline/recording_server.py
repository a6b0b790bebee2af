#!/usr/bin/env python3
"""A TLS server on loopback that records every plaintext byte it receives.

It stands in for an AI API in the inline-enforcement tests: it speaks HTTP/1.1 with keep-alive
(Content-Length and chunked request bodies, Expect: 100-continue) and WebSocket upgrades, and
answers every request with an OpenAI-style chat completion. Every byte read from a client is
appended to --log (one file for the whole server), so a test can prove that nothing of a
blocked request, headers included, ever arrived.

  recording_server.py --addr 127.0.0.5 --port 8443 --cert c.pem --key k.pem --log rx.bin
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    ctx.set_alpn_protocols(["http/1.1"])
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
