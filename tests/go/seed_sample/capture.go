// Not part of the seed's sample: it points http.DefaultTransport (which the SDK's
// default client uses) at a local httptest server that records the request in the
// file named by SDKGEN_CAPTURE and answers with the body in SDKGEN_RESPONSE.
package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
)

type toLocal struct {
	target *url.URL
	next   http.RoundTripper
}

func (t toLocal) RoundTrip(req *http.Request) (*http.Response, error) {
	clone := req.Clone(req.Context())
	clone.URL.Scheme, clone.URL.Host = t.target.Scheme, t.target.Host
	clone.Header.Set("X-Original-Host", req.URL.Host)
	return t.next.RoundTrip(clone)
}

func init() {
	answer, err := os.ReadFile(os.Getenv("SDKGEN_RESPONSE"))
	if err != nil {
		panic(err)
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		record, _ := json.Marshal(map[string]any{
			"method":      r.Method,
			"request_uri": r.RequestURI,
			"headers":     r.Header,
			"body":        string(body),
		})
		if err := os.WriteFile(os.Getenv("SDKGEN_CAPTURE"), record, 0o600); err != nil {
			panic(err)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	target, _ := url.Parse(server.URL)
	http.DefaultTransport = toLocal{target: target, next: &http.Transport{}}
}
