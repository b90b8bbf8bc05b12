// Operations with servers of their own (operation_servers.yaml): the Go client sends each
// where the Python client does (tests/test_operation_servers.py). An upload goes to its
// own host, with the API key its security asks for; the health check to the root of the
// chosen server's origin (its server is "/"); a path item listing the document's servers
// changes nothing. The chosen server wins when it is one of the operation's own, and
// WithServerURL (the SDK's or the call's) sends every call where it says.
package opservers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	sdk "example.com/opservers"
	"example.com/opservers/models/components"
	"example.com/opservers/models/operations"
)

type seen struct{ server, path, key string }

func servers(t *testing.T) (api, upload *httptest.Server, got *[]seen) {
	t.Helper()
	var list []seen
	handler := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			list = append(list, seen{name, r.URL.Path, r.Header.Get("X-Key")})
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("{}"))
		})
	}
	api = httptest.NewServer(handler("api"))
	upload = httptest.NewServer(handler("upload"))
	t.Cleanup(api.Close)
	t.Cleanup(upload.Close)
	return api, upload, &list
}

func port(t *testing.T, s *httptest.Server) string {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}

func calls(t *testing.T, client *sdk.SDK, opts ...operations.Option) {
	t.Helper()
	ctx := context.Background()
	if _, err := client.Files.UploadFile(ctx, []byte("data"), opts...); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Health.Health(ctx, opts...); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Items.ListItems(ctx, opts...); err != nil {
		t.Fatal(err)
	}
}

func expect(t *testing.T, got *[]seen, want ...seen) {
	t.Helper()
	if len(*got) != len(want) {
		t.Fatalf("got %+v, want %+v", *got, want)
	}
	for i := range want {
		if (*got)[i] != want[i] {
			t.Fatalf("call %d: got %+v, want %+v", i, (*got)[i], want[i])
		}
	}
	*got = nil
}

func TestOperationsGoToTheirOwnServers(t *testing.T) {
	api, upload, got := servers(t)
	key := sdk.WithSecurity(components.Security{Key: sdk.String("k")})
	client := sdk.New(key, sdk.WithPort(port(t, api)), sdk.WithUploadPort(port(t, upload)))
	calls(t, client)
	expect(t, got, seen{"upload", "/uploads/files", "k"}, seen{"api", "/health", ""}, seen{"api", "/api/items", "k"})

	// the sandbox is one of the upload's own servers: it takes the upload itself
	sandbox := sdk.New(key, sdk.WithServer(sdk.ServerSandbox), sdk.WithPort(port(t, api)), sdk.WithUploadPort(port(t, upload)))
	calls(t, sandbox)
	expect(t, got, seen{"api", "/api/files", "k"}, seen{"api", "/health", ""}, seen{"api", "/api/items", "k"})
}

func TestAServerURLSendsEveryCallThere(t *testing.T) {
	api, upload, got := servers(t)
	key := sdk.WithSecurity(components.Security{Key: sdk.String("k")})
	pinned := sdk.New(key, sdk.WithServerURL(api.URL+"/v2"), sdk.WithUploadPort(port(t, upload)))
	calls(t, pinned)
	expect(t, got, seen{"api", "/v2/files", "k"}, seen{"api", "/v2/health", ""}, seen{"api", "/v2/items", "k"})

	client := sdk.New(key, sdk.WithPort(port(t, api)), sdk.WithUploadPort(port(t, upload)))
	calls(t, client, operations.WithServerURL(upload.URL+"/once"))
	expect(t, got, seen{"upload", "/once/files", "k"}, seen{"upload", "/once/health", ""}, seen{"upload", "/once/items", "k"})
}
