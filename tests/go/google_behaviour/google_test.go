// Behaviour of the Go client generated from test_security.GOOGLE (Google's shape:
// every operation ANDs two oauth2 schemes, both `Authorization: Bearer`): one token,
// from either field or WithSecurity, is sent exactly once; none fails before sending.
package behaviour

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	lakes "example.com/lakes"
	"example.com/lakes/models/apierrors"
	"example.com/lakes/models/components"
)

func TestOneTokenForTwoAndedBearerSchemes(t *testing.T) {
	var mu sync.Mutex
	var got [][]string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Values("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer server.Close()
	ctx := context.Background()
	token := "T"
	for name, option := range map[string]lakes.SDKOption{
		"WithSecurity": lakes.WithSecurity("T"),
		"Oauth2":       lakes.WithSecuritySource(func(context.Context) (components.Security, error) { return components.Security{Oauth2: &token}, nil }),
		"Oauth2C":      lakes.WithSecuritySource(func(context.Context) (components.Security, error) { return components.Security{Oauth2C: &token}, nil }),
		"both": lakes.WithSecuritySource(func(context.Context) (components.Security, error) {
			return components.Security{Oauth2: &token, Oauth2C: lakes.String("U")}, nil
		}),
	} {
		got = nil
		s := lakes.New(lakes.WithServerURL(server.URL), option)
		if _, err := s.Lakes.List(ctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := s.Lakes.Create(ctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != 2 {
			t.Fatalf("%s: %d requests", name, len(got))
		}
		for _, values := range got {
			if len(values) != 1 || values[0] != "Bearer T" {
				t.Errorf("%s: Authorization %q, want exactly one \"Bearer T\"", name, values)
			}
		}
	}

	got = nil
	_, err := lakes.New(lakes.WithServerURL(server.URL)).Lakes.List(ctx)
	var missing *apierrors.MissingCredentialsError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "set (Oauth2) or (Oauth2C) of components.Security") ||
		strings.Contains(err.Error(), "cannot") {
		t.Errorf("no token: %v", err)
	}
	if len(got) != 0 {
		t.Error("a request was sent without a token")
	}
}
