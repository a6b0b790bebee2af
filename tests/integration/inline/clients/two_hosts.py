#!/usr/bin/env python3
"""One process, two destinations: a clean request to an inspected host, then a request with
PHI to a host that is not inspected. Both must succeed: rules apply to inspected traffic only,
even though this process's writes are captured (it has an inspect-class socket)."""
import http.client
import json
import ssl
import sys
import urllib.parse


def post(url, text, ctx):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=10)
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": text}]})
    conn.request("POST", u.path, body=body, headers={"Content-Type": "application/json"})
    return conn, conn.getresponse().status


def main():
    inspected, other, ca, phi = sys.argv[1:5]
    ctx = ssl.create_default_context(cafile=ca)
    keep, first = post(inspected, "hello", ctx)  # kept open: the process stays inspect-class
    _, second = post(other, phi, ctx)
    print(first, second)
    keep.close()
    return 0 if first == 200 and second == 200 else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:
        print("error: %r" % e, file=sys.stderr)
        sys.exit(1)
