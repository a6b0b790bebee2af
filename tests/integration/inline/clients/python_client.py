#!/usr/bin/env python3
"""python3 http.client over ssl: the headers and the body go out in separate writes, and with
--split N the body itself in two writes (N bytes, a pause, the rest)."""
import http.client
import ssl
import sys
import time
import urllib.parse


def main():
    url, body_file = sys.argv[1], sys.argv[2]
    split = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    body = open(body_file, "rb").read()
    u = urllib.parse.urlsplit(url)
    ctx = ssl.create_default_context(cafile=sys.argv[4] if len(sys.argv) > 4 else None)
    conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=10)
    conn.putrequest("POST", u.path)
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders()  # the headers: one write
    if split:
        conn.send(body[:split])
        time.sleep(0.1)
        conn.send(body[split:])
    else:
        conn.send(body)
    r = conn.getresponse()
    print(r.status, r.read().decode())
    return 0 if r.status == 200 else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # the test wants the error text, and a non-zero status
        print("error: %r" % e, file=sys.stderr)
        sys.exit(1)
