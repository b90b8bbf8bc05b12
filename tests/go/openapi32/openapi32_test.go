// OpenAPI 3.2's `query` operation and `additionalOperations` (openapi32.yaml): the Go
// client sends each with its method as written, as the Python client does
// (tests/test_openapi32.py): QUERY with its JSON body, COPY with its header, PURGE.
package openapi32

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	sdk "example.com/openapi32"
	"example.com/openapi32/models/components"
	"example.com/openapi32/models/operations"
	"example.com/openapi32/retry"
)

type seen struct{ method, path, body, destination string }

func TestEachMethodIsSentAsWritten(t *testing.T) {
	var got []seen
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = append(got, seen{r.Method, r.URL.Path, string(body), r.Header.Get("Destination")})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	}))
	defer s.Close()
	client := sdk.New(sdk.WithServerURL(s.URL))
	ctx := context.Background()
	if _, err := client.Things.SearchThings(ctx, components.ThingsSearchThingsBody{Name: sdk.String("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Things.CopyThings(ctx, operations.ThingsCopyThingsRequest{Destination: "/elsewhere"}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Things.PurgeThings(ctx); err != nil {
		t.Fatal(err)
	}
	want := []seen{
		{"QUERY", "/things", `{"name":"x"}`, ""},
		{"COPY", "/things", "", "/elsewhere"},
		{"PURGE", "/things", "", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("call %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// QUERY is idempotent, as GET: retried on a 502; COPY may have acted: not resent.
func TestQueryIsRetriedAndAnUnknownMethodIsNot(t *testing.T) {
	var methods []string
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		methods = append(methods, r.Method)
		if len(methods) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	}))
	defer s.Close()
	policy := retry.WithMaxRetries(1)
	policy.InitialInterval, policy.Jitter = time.Millisecond, 0
	client := sdk.New(sdk.WithServerURL(s.URL), sdk.WithRetryConfig(policy))
	ctx := context.Background()
	if _, err := client.Things.SearchThings(ctx, components.ThingsSearchThingsBody{}); err != nil {
		t.Fatal(err)
	}
	if len(methods) != 2 || methods[0] != "QUERY" || methods[1] != "QUERY" {
		t.Fatalf("QUERY: %v", methods)
	}
	methods = nil
	if _, err := client.Things.CopyThings(ctx, operations.ThingsCopyThingsRequest{Destination: "/x"}); err == nil {
		t.Fatal("COPY: the 502 was not an error")
	}
	if len(methods) != 1 {
		t.Fatalf("COPY: %v", methods)
	}
}
