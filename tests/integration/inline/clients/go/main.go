// A Go client (crypto/tls through net/http): POSTs a body file, in two writes with -split.
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
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
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
	fmt.Println(resp.StatusCode, string(data))
	if resp.StatusCode != 200 {
		os.Exit(1)
	}
}
