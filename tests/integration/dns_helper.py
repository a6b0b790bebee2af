#!/usr/bin/env python3
"""Loopback DNS for the naming tests (standard library only).

  dns_helper.py serve ADDR ANSWER_IP     answer every A query with ANSWER_IP (TTL 60), on
                                         ADDR:53, until killed
  dns_helper.py query SERVER NAME        send one A query to SERVER:53, print the answer IP
"""
import socket
import struct
import sys


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def serve(addr, answer_ip):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    print("ready", flush=True)
    while True:
        data, peer = s.recvfrom(512)
        if len(data) < 12:
            continue
        qid, _flags, qd = struct.unpack("!HHH", data[:6])
        # the question ends at the name's terminator plus QTYPE/QCLASS
        end = 12
        while data[end] != 0:
            end += data[end] + 1
        question = data[12:end + 5]
        header = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0)
        answer = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(answer_ip)
        s.sendto(header + question + answer, peer)


def query(server, name):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    msg = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + encode_name(name) + b"\0\1\0\1"
    s.sendto(msg, (server, 53))
    data, _ = s.recvfrom(512)
    print(socket.inet_ntoa(data[-4:]))


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    else:
        query(sys.argv[2], sys.argv[3])
