#!/usr/bin/env python3
"""An NSS client: Debian's libcurl built with NSS (libcurl3-nss, libcurl-nss.so.4) driven through
ctypes, so the TLS writes are NSS's PR_Send/PR_Write. The curl executable cannot be pointed at
it (its symbols are versioned CURL_OPENSSL_4). POSTs a body file; with a split offset the body
goes chunked, one read callback per chunk, 100 ms apart.

  curl_nss.py URL BODYFILE SPLIT CAFILE
"""
import ctypes
import sys
import time

CURLOPT_TIMEOUT = 13
CURLOPT_POST = 47
CURLOPT_HTTP_VERSION = 84
CURLOPT_URL = 10002
CURLOPT_ERRORBUFFER = 10010
CURLOPT_POSTFIELDS = 10015
CURLOPT_HTTPHEADER = 10023
CURLOPT_CAINFO = 10065
CURLOPT_WRITEFUNCTION = 20011
CURLOPT_READFUNCTION = 20012
CURLOPT_POSTFIELDSIZE = 60
CURL_HTTP_VERSION_1_1 = 2
CURLINFO_RESPONSE_CODE = 0x200002
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t,
                            ctypes.c_void_p)


def main():
    url, body_file, split, ca = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    body = open(body_file, "rb").read()
    lib = ctypes.CDLL("libcurl-nss.so.4")
    lib.curl_version.restype = ctypes.c_char_p
    version = lib.curl_version().decode()
    if "NSS" not in version:
        raise RuntimeError("libcurl-nss is not built with NSS: " + version)
    lib.curl_easy_init.restype = ctypes.c_void_p
    lib.curl_slist_append.restype = ctypes.c_void_p
    lib.curl_slist_append.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    h = ctypes.c_void_p(lib.curl_easy_init())
    setopt = lib.curl_easy_setopt
    errbuf = ctypes.create_string_buffer(256)
    headers = lib.curl_slist_append(None, b"Content-Type: application/json")
    received = []

    def on_write(ptr, size, n, _):
        received.append(ctypes.string_at(ptr, size * n))
        return size * n

    parts = [body[:split], body[split:]] if split else []

    def on_read(ptr, size, n, _):
        if not parts:
            return 0
        if len(parts) == 1:
            time.sleep(0.1)
        part = parts.pop(0)
        assert len(part) <= size * n
        ctypes.memmove(ptr, part, len(part))
        return len(part)

    write_cb, read_cb = CALLBACK(on_write), CALLBACK(on_read)
    setopt(h, CURLOPT_URL, url.encode())
    setopt(h, CURLOPT_CAINFO, ca.encode())
    setopt(h, CURLOPT_TIMEOUT, ctypes.c_long(10))
    setopt(h, CURLOPT_HTTP_VERSION, ctypes.c_long(CURL_HTTP_VERSION_1_1))
    setopt(h, CURLOPT_ERRORBUFFER, errbuf)
    setopt(h, CURLOPT_WRITEFUNCTION, write_cb)
    setopt(h, CURLOPT_POST, ctypes.c_long(1))
    if split:
        headers = lib.curl_slist_append(headers, b"Transfer-Encoding: chunked")
        setopt(h, CURLOPT_READFUNCTION, read_cb)
    else:
        setopt(h, CURLOPT_POSTFIELDSIZE, ctypes.c_long(len(body)))
        setopt(h, CURLOPT_POSTFIELDS, ctypes.c_char_p(body))
    setopt(h, CURLOPT_HTTPHEADER, ctypes.c_void_p(headers))
    rc = lib.curl_easy_perform(h)
    if rc != 0:
        print("error: curl %d: %s" % (rc, errbuf.value.decode(errors="replace")), file=sys.stderr)
        return 1
    code = ctypes.c_long()
    lib.curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, ctypes.byref(code))
    print(code.value, b"".join(received).decode(errors="replace"))
    return 0 if code.value == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
