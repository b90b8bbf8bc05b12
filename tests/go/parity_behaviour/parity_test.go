// Behaviour of the Go client generated from parity.yaml, where the Python client
// already behaves so: server variables (defaults in ServerList, an option per
// variable, values escaped so they cannot change the host, `/` kept in the path
// part), a 2xx offering JSON and a PDF (Accept lists both, the Content-Type picks the
// field), the User-Agent and a de-duplicated `ID` field name.
package behaviour

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	parity "example.com/parity"
	"example.com/parity/models/apierrors"
	"example.com/parity/models/operations"
)

// recorder answers every request with 204 and keeps it.
type recorder struct{ seen []*http.Request }

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.seen = append(r.seen, req)
	return &http.Response{StatusCode: 204, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
}

func TestServerListHasTheVariablesDefaults(t *testing.T) {
	if got := parity.ServerList[parity.ServerLocal]; got != "http://127.0.0.1:1/api/v1" {
		t.Errorf("local: %q", got)
	}
	if got := parity.ServerList[parity.ServerRemote]; got != "https://127.0.0.1.example.com/api/v1" {
		t.Errorf("remote: %q", got)
	}
	if got := parity.ServerList[parity.ServerPrefixed]; got != "https://api.test/v3" {
		t.Errorf("prefixed: %q", got)
	}
}

func TestAVariableRightAfterTheHostStartsThePath(t *testing.T) {
	rec := &recorder{}
	s := parity.New(parity.WithServer(parity.ServerPrefixed), parity.WithPrefix("/a b/c:d"), parity.WithClient(rec))
	if _, err := s.Ping.Ping(context.Background(), operations.PingPingRequest{}); err != nil {
		t.Fatal(err)
	}
	if got := rec.seen[0].URL.String(); got != "https://api.test/a%20b/c:d/ping" {
		t.Errorf("URL %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("a prefix without its leading / did not panic (it would change the host)")
		}
	}()
	parity.WithPrefix(".evil.com")
}

func TestServerVariableOptionsReachTheServer(t *testing.T) {
	var path string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.EscapedPath()
		w.WriteHeader(204)
	}))
	defer server.Close()
	port := server.URL[strings.LastIndex(server.URL, ":")+1:]
	s := parity.New(parity.WithPort(port), parity.WithBasePath("v2/a b"), parity.WithHost(parity.HostValue127001))
	if _, err := s.Ping.Ping(context.Background(), operations.PingPingRequest{}); err != nil {
		t.Fatal(err)
	}
	if path != "/v2/a%20b/ping" {
		t.Errorf("path %q", path)
	}
}

func TestServerVariablesCannotChangeTheHost(t *testing.T) {
	rec := &recorder{}
	s := parity.New(parity.WithServer(parity.ServerRemote), parity.WithHost("evil.com/x?"), parity.WithClient(rec))
	_, err := s.Ping.Ping(context.Background(), operations.PingPingRequest{})
	if err == nil || len(rec.seen) != 0 {
		t.Fatalf("a host value with / and ? was sent: %v %v", err, rec.seen)
	}
	// the last option wins: WithServerURL replaces the templated server, WithServer after it restores one
	s = parity.New(parity.WithServerURL("https://proxy.test/base"), parity.WithServer(parity.ServerRemote),
		parity.WithHost("us"), parity.WithClient(rec))
	if _, err := s.Ping.Ping(context.Background(), operations.PingPingRequest{}); err != nil {
		t.Fatal(err)
	}
	if got := rec.seen[0].URL.String(); got != "https://us.example.com/api/v1/ping" {
		t.Errorf("URL %q", got)
	}
}

func TestUserAgentNamesTheGoVersionAndCanBeReplaced(t *testing.T) {
	rec := &recorder{}
	s := parity.New(parity.WithClient(rec), parity.WithServerURL("https://api.test"))
	if _, err := s.Ping.Ping(context.Background(), operations.PingPingRequest{}); err != nil {
		t.Fatal(err)
	}
	want := "parity/2.1 go/" + strings.TrimPrefix(runtime.Version(), "go")
	if got := rec.seen[0].Header.Get("User-Agent"); got != want {
		t.Errorf("User-Agent %q, want %q", got, want)
	}
	s = parity.New(parity.WithClient(rec), parity.WithServerURL("https://api.test"), parity.WithUserAgent("app/1"))
	if _, err := s.Ping.Ping(context.Background(), operations.PingPingRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ping.Ping(context.Background(), operations.PingPingRequest{},
		operations.WithHeader("User-Agent", "call/2")); err != nil {
		t.Fatal(err)
	}
	if a, b := rec.seen[1].Header.Get("User-Agent"), rec.seen[2].Header.Get("User-Agent"); a != "app/1" || b != "call/2" {
		t.Errorf("User-Agent %q then %q", a, b)
	}
}

func TestAHeaderNamedLikeAQueryParameterKeepsTheInitialism(t *testing.T) {
	rec := &recorder{}
	s := parity.New(parity.WithClient(rec), parity.WithServerURL("https://api.test"))
	request := operations.PingPingRequest{LastEventID: parity.String("q"), LastEventID2: parity.String("h")}
	if _, err := s.Ping.Ping(context.Background(), request); err != nil {
		t.Fatal(err)
	}
	if got := rec.seen[0]; got.URL.RawQuery != "lastEventID=q" || got.Header.Get("Last-Event-ID") != "h" {
		t.Errorf("query %q, header %q", got.URL.RawQuery, got.Header.Get("Last-Event-ID"))
	}
}

func reportServer(t *testing.T, contentType, body string, accept *string) *parity.SDK {
	t.Helper()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*accept = r.Header.Get("Accept")
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(server.Close)
	return parity.New(parity.WithServerURL(server.URL))
}

func TestTheContentTypePicksTheDocumentedVariant(t *testing.T) {
	var accept string
	ctx := context.Background()
	res, err := reportServer(t, "application/pdf", "%PDF-1.4", &accept).Report.GetReport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Bytes) != "%PDF-1.4" || res.ReportGetReportResponse200 != nil {
		t.Errorf("PDF answer: %q %v", res.Bytes, res.ReportGetReportResponse200)
	}
	if accept != "application/json, application/pdf;q=0.9, application/octet-stream;q=0.8" {
		t.Errorf("Accept %q", accept)
	}
	res, err = reportServer(t, "application/json; charset=utf-8", `{"pdf":"https://x/y.pdf"}`, &accept).Report.GetReport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.ReportGetReportResponse200 == nil || *res.ReportGetReportResponse200.Pdf != "https://x/y.pdf" || res.Bytes != nil {
		t.Errorf("JSON answer: %+v", res)
	}
	_, err = reportServer(t, "text/html", "<p>", &accept).Report.GetReport(ctx)
	var invalid *apierrors.ResponseValidationError
	if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "none of the documented") {
		t.Errorf("an undocumented Content-Type: %v", err)
	}
	download, err := reportServer(t, "application/pdf", "%PDF", &accept).Report.GetReportStream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	download.Download.Close()
	if accept != "application/pdf, application/octet-stream;q=0.9" {
		t.Errorf("the download's Accept %q", accept)
	}
}
