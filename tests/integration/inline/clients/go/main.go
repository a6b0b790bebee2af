// A Go client (crypto/tls through net/http): POSTs a body file, in two writes with a split
// offset. With GO_HTTP2=1 it offers h2 in ALPN (Go's own HTTP/2, not nghttp2) and requires it.
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

type slowReader struct {
	parts [][]byte
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.parts) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.parts[0])
	r.parts[0] = r.parts[0][n:]
	if len(r.parts[0]) == 0 {
		r.parts = r.parts[1:]
		if len(r.parts) > 0 {
			time.Sleep(100 * time.Millisecond)
		}
	}
	return n, nil
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: goclient URL BODYFILE SPLIT [CAFILE]")
		os.Exit(2)
	}
	url, bodyFile := os.Args[1], os.Args[2]
	var split int
	fmt.Sscan(os.Args[3], &split)
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(2)
	}
	cfg := &tls.Config{}
	if len(os.Args) > 4 {
		pool := x509.NewCertPool()
		pem, _ := os.ReadFile(os.Args[4])
		pool.AppendCertsFromPEM(pem)
		cfg.RootCAs = pool
	}
	h2 := os.Getenv("GO_HTTP2") == "1"
	transport := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: h2}
	client := &http.Client{Timeout: 10 * time.Second, Transport: transport}
	var reader io.Reader = bytes.NewReader(body)
	if split > 0 {
		reader = &slowReader{parts: [][]byte{body[:split], body[split:]}}
	}
	req, _ := http.NewRequest("POST", url, reader)
	req.Header.Set("Content-Type", "application/json")
	if split == 0 {
		req.ContentLength = int64(len(body))
	}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	data, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Proto, resp.StatusCode, string(data))
	if h2 && resp.ProtoMajor != 2 {
		fmt.Fprintln(os.Stderr, "error: HTTP/2 was not negotiated")
		os.Exit(1)
	}
	if resp.StatusCode != 200 {
		os.Exit(1)
	}
}
