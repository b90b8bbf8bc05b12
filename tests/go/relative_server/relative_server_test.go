// A relative first server (relative_server.yaml) names no host: a call returns an error
// before anything is sent, as the Python client refuses to be built without base_url
// (tests/test_servers.py); a scheme-relative one goes on https; WithServerURL works.
package relserver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "example.com/relserver"
)

type recorder struct{ urls []string }

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.urls = append(r.urls, req.URL.String())
	return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}

func TestARelativeServerIsRefusedAndASchemeRelativeOneIsHTTPS(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	_, err := sdk.New(sdk.WithClient(rec)).Health.Ping(ctx)
	if err == nil || !strings.Contains(err.Error(), `the server URL "/api/v2" names no host: use WithServerURL`) {
		t.Fatalf("relative: %v", err)
	}
	if len(rec.urls) != 0 {
		t.Fatalf("sent: %v", rec.urls)
	}
	if _, err := sdk.New(sdk.WithClient(rec), sdk.WithServer(sdk.ServerSchemeRelative)).Health.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rec.urls) != 1 || rec.urls[0] != "https://api.example.com/v1/ping" {
		t.Fatalf("scheme relative: %v", rec.urls)
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	defer s.Close()
	if _, err := sdk.New(sdk.WithServerURL(s.URL)).Health.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}
