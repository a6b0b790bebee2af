#!/usr/bin/env python3
"""Loopback DNS for the naming tests (standard library only).

  dns_helper.py serve ADDR ANSWER_IP     answer every A query with ANSWER_IP (TTL 60), on
                                         ADDR:53 over UDP and TCP, until killed
  dns_helper.py query SERVER NAME [tcp]  send one A query to SERVER:53, print the answer IP
"""
import socket
import struct
import sys
import threading


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def answer(data, answer_ip):
    qid = struct.unpack("!H", data[:2])[0]
    # the question ends at the name's terminator plus QTYPE/QCLASS
    end = 12
    while data[end] != 0:
        end += data[end] + 1
    question = data[12:end + 5]
    header = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0)
    rr = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(answer_ip)
    return header + question + rr


def serve_tcp(addr, answer_ip):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, 53))
    t.listen(8)
    while True:
        c, _ = t.accept()
        n = struct.unpack("!H", c.recv(2))[0]
        data = b""
        while len(data) < n:
            data += c.recv(n - len(data))
        reply = answer(data, answer_ip)
        c.sendall(struct.pack("!H", len(reply)) + reply)
        c.close()


def serve(addr, answer_ip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    threading.Thread(target=serve_tcp, args=(addr, answer_ip), daemon=True).start()
    print("ready", flush=True)
    while True:
        data, peer = s.recvfrom(512)
        if len(data) >= 12:
            s.sendto(answer(data, answer_ip), peer)


def query(server, name, tcp=False):
    msg = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + encode_name(name) + b"\0\1\0\1"
    if tcp:
        s = socket.create_connection((server, 53), timeout=3)
        s.sendall(struct.pack("!H", len(msg)) + msg)
        n = struct.unpack("!H", s.recv(2))[0]
        data = b""
        while len(data) < n:
            data += s.recv(n - len(data))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(3)
        s.sendto(msg, (server, 53))
        data, _ = s.recvfrom(512)
    print(socket.inet_ntoa(data[-4:]))


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    else:
        query(sys.argv[2], sys.argv[3], len(sys.argv) > 4 and sys.argv[4] == "tcp")
