// Behaviour of the Go client generated from tests/specs/security.yaml against
// httptest servers: every security scheme on the wire, alternatives (OR) and
// combinations (AND), credentials checked before sending, OAuth2 client
// credentials (fetch, cache, expiry, refresh on 401, one fetch under concurrency),
// redirects to another origin or from https to http carrying no credential.
package behaviour

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	guarded "example.com/guarded"
	"example.com/guarded/models/apierrors"
	"example.com/guarded/models/components"
	"example.com/guarded/models/operations"
)

// seen records the requests a test server received.
type seen struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (s *seen) add(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r.Clone(context.Background()))
}

func (s *seen) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func (s *seen) last(t *testing.T) *http.Request {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		t.Fatal("the server received no request")
	}
	return s.reqs[len(s.reqs)-1]
}

func recorder(t *testing.T) (*httptest.Server, *seen) {
	t.Helper()
	log := &seen{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		w.WriteHeader(200)
	}))
	t.Cleanup(server.Close)
	return server, log
}

func client(server *httptest.Server, opts ...guarded.SDKOption) *guarded.SDK {
	return guarded.New(append([]guarded.SDKOption{guarded.WithServerURL(server.URL)}, opts...)...)
}

func with(sec components.Security) guarded.SDKOption { return guarded.WithSecurity(sec) }

func TestEverySchemeGoesWhereItsSchemeSays(t *testing.T) {
	ctx := context.Background()
	server, log := recorder(t)
	s := client(server, with(components.Security{
		Token:     guarded.String("tok-1"),
		BasicAuth: &components.SchemeBasicAuth{Username: "aladdin", Password: "open sesame"},
		HeaderKey: guarded.String("hk-1"),
		QueryKey:  guarded.String("q k&1"),
		CookieKey: guarded.String("ck;1"),
		Oidc:      guarded.String("id-tok"),
	}))

	if _, err := s.Auth.BearerOnly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "Bearer tok-1" {
		t.Errorf("bearer: %q", got)
	}
	if _, err := s.Auth.BasicOnly(ctx); err != nil {
		t.Fatal(err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("aladdin:open sesame"))
	if got := log.last(t).Header.Get("Authorization"); got != want {
		t.Errorf("basic: %q, want %q", got, want)
	}
	if _, err := s.Auth.HeaderKey(ctx); err != nil {
		t.Fatal(err)
	}
	r := log.last(t)
	if r.Header.Get("X-API-Key") != "hk-1" || r.Header.Get("Authorization") != "" {
		t.Errorf("header key: %v", r.Header)
	}
	if _, err := s.Auth.QueryKey(ctx, operations.AuthQueryKeyRequest{Q: guarded.String("x")}); err != nil {
		t.Fatal(err)
	}
	r = log.last(t)
	if r.URL.Query().Get("api_key") != "q k&1" || r.URL.Query().Get("q") != "x" || r.Header.Get("Authorization") != "" {
		t.Errorf("query key: %s %v", r.URL.RawQuery, r.Header)
	}
	if _, err := s.Auth.CookieKey(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Cookie"); got != "session=ck%3B1" {
		t.Errorf("cookie key: %q", got)
	}
	if _, err := s.Auth.OidcOnly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "Bearer id-tok" {
		t.Errorf("openIdConnect: %q", got)
	}
	// mutual TLS is configured on the HTTP client: nothing to add, never missing
	if _, err := s.Auth.Certificate(ctx); err != nil {
		t.Fatal(err)
	}
	// security: [] sends nothing even when credentials are configured
	if _, err := s.Auth.Public(ctx); err != nil {
		t.Fatal(err)
	}
	r = log.last(t)
	if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" || r.Header.Get("X-API-Key") != "" {
		t.Errorf("public call carried credentials: %v", r.Header)
	}
}

func TestOAuth2AccessTokenIsBearer(t *testing.T) {
	server, log := recorder(t)
	s := client(server, with(components.Security{Oauth: &components.SchemeOAuth2{AccessToken: "at-given"}}))
	if _, err := s.Auth.OauthRead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "Bearer at-given" {
		t.Errorf("oauth2 access token: %q", got)
	}
}

func TestAlternativesAndCombinations(t *testing.T) {
	ctx := context.Background()
	server, log := recorder(t)

	// OR: the first alternative the client can satisfy
	s := client(server, with(components.Security{Token: guarded.String("tok")}))
	if _, err := s.Auth.Either(ctx); err != nil {
		t.Fatal(err)
	}
	if r := log.last(t); r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("X-API-Key") != "" {
		t.Errorf("either with a token: %v", r.Header)
	}
	s = client(server, with(components.Security{Token: guarded.String("tok"), HeaderKey: guarded.String("hk")}))
	if _, err := s.Auth.Either(ctx); err != nil {
		t.Fatal(err)
	}
	if r := log.last(t); r.Header.Get("X-API-Key") != "hk" || r.Header.Get("Authorization") != "" {
		t.Errorf("either with both: exactly the first alternative is sent: %v", r.Header)
	}

	// AND: every scheme of the alternative, or nothing is sent
	before := log.count()
	s = client(server, with(components.Security{HeaderKey: guarded.String("hk")}))
	_, err := s.Auth.Both(ctx)
	var missing *apierrors.MissingCredentialsError
	if !errors.As(err, &missing) {
		t.Fatalf("both with one key: %v", err)
	}
	if len(missing.Alternatives) != 1 || strings.Join(missing.Alternatives[0], ",") != "HeaderKey,QueryKey" {
		t.Errorf("alternatives: %v", missing.Alternatives)
	}
	if !strings.Contains(err.Error(), "(HeaderKey and QueryKey)") || strings.Contains(err.Error(), "hk") {
		t.Errorf("message: %s", err)
	}
	if log.count() != before {
		t.Error("a request was sent without the credentials it needs")
	}
	s = client(server, with(components.Security{HeaderKey: guarded.String("hk"), QueryKey: guarded.String("qk")}))
	if _, err := s.Auth.Both(ctx); err != nil {
		t.Fatal(err)
	}
	if r := log.last(t); r.Header.Get("X-API-Key") != "hk" || r.URL.Query().Get("api_key") != "qk" {
		t.Errorf("both: %v %s", r.Header, r.URL.RawQuery)
	}

	// basic AND bearer cannot share one Authorization header: never sent
	s = client(server, with(components.Security{
		Token:     guarded.String("tok"),
		BasicAuth: &components.SchemeBasicAuth{Username: "u", Password: "p"},
	}))
	_, err = s.Auth.Clash(ctx)
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "share one header") {
		t.Errorf("clash: %v", err)
	}
	s = client(server, with(components.Security{
		Token:     guarded.String("tok"),
		BasicAuth: &components.SchemeBasicAuth{Username: "u", Password: "p"},
		CookieKey: guarded.String("c"),
	}))
	if _, err := s.Auth.Clash(ctx); err != nil {
		t.Fatal(err)
	}
	if r := log.last(t); r.Header.Get("Cookie") != "session=c" || r.Header.Get("Authorization") != "" {
		t.Errorf("clash falls back to the cookie: %v", r.Header)
	}

	// an empty alternative: anonymous when nothing fits, the token when given
	s = client(server)
	if _, err := s.Auth.Optional(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "" {
		t.Errorf("optional without a token: %q", got)
	}
	s = client(server, with(components.Security{Token: guarded.String("tok")}))
	if _, err := s.Auth.Optional(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "Bearer tok" {
		t.Errorf("optional with a token: %q", got)
	}

	// the root `security` is the default of an operation without its own
	before = log.count()
	_, err = client(server).Auth.BearerOnly(ctx)
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "(Token)") || log.count() != before {
		t.Errorf("bearer without a token: %v", err)
	}
}

func TestValuesAreCheckedAndNeverShown(t *testing.T) {
	ctx := context.Background()
	server, log := recorder(t)
	var invalid *apierrors.InvalidCredentialError
	cases := []components.Security{
		{Token: guarded.String("secret-1\r\nX-Evil: 1")},
		{Token: guarded.String("secret-1\x00")},
		{Token: guarded.String("secret-\u00e9")},
	}
	for _, sec := range cases {
		_, err := client(server, with(sec)).Auth.BearerOnly(ctx)
		if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "Token") || strings.Contains(err.Error(), "secret") {
			t.Errorf("invalid token: %v", err)
		}
	}
	_, err := client(server, with(components.Security{HeaderKey: guarded.String("secret\nx")})).Auth.HeaderKey(ctx)
	if !errors.As(err, &invalid) || strings.Contains(err.Error(), "secret") {
		t.Errorf("invalid key: %v", err)
	}
	_, err = client(server, with(components.Security{
		BasicAuth: &components.SchemeBasicAuth{Username: "a:b", Password: "secret"},
	})).Auth.BasicOnly(ctx)
	if !errors.As(err, &invalid) || strings.Contains(err.Error(), "secret") {
		t.Errorf("basic username with ':': %v", err)
	}
	_, err = client(server, with(components.Security{Token: guarded.String("tok")})).Auth.BearerOnly(
		ctx, operations.WithHeader("X-Trace", "secret\r\nInjected: 1"))
	if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "X-Trace") || strings.Contains(err.Error(), "secret") {
		t.Errorf("header with a line break: %v", err)
	}
	if log.count() != 0 {
		t.Errorf("%d requests sent with invalid values", log.count())
	}
	// one trailing newline (a file read) is removed, as in the Python client
	if _, err := client(server, with(components.Security{Token: guarded.String("tok\n")})).Auth.BearerOnly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "Bearer tok" {
		t.Errorf("trailing newline: %q", got)
	}
}

func TestEnvironmentAndSource(t *testing.T) {
	ctx := context.Background()
	server, log := recorder(t)
	t.Setenv("GUARDED_TOKEN", "env-tok")
	t.Setenv("GUARDED_BASIC_AUTH_USERNAME", "env-user")
	t.Setenv("GUARDED_BASIC_AUTH_PASSWORD", "env-pass")
	s := client(server)
	if _, err := s.Auth.BearerOnly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "Bearer env-tok" {
		t.Errorf("token from the environment: %q", got)
	}
	if _, err := s.Auth.BasicOnly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "Basic "+base64.StdEncoding.EncodeToString([]byte("env-user:env-pass")) {
		t.Errorf("basic from the environment: %q", got)
	}
	// an explicit value wins over the environment
	s = client(server, with(components.Security{Token: guarded.String("explicit")}))
	if _, err := s.Auth.BearerOnly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := log.last(t).Header.Get("Authorization"); got != "Bearer explicit" {
		t.Errorf("explicit over environment: %q", got)
	}
	// a source is asked before every call (rotating secrets); its error stops the call
	calls := 0
	s = client(server, guarded.WithSecuritySource(func(context.Context) (components.Security, error) {
		calls++
		if calls == 3 {
			return components.Security{}, errors.New("vault unavailable")
		}
		return components.Security{Token: guarded.String(fmt.Sprintf("rotated-%d", calls))}, nil
	}))
	for i := 1; i <= 2; i++ {
		if _, err := s.Auth.BearerOnly(ctx); err != nil {
			t.Fatal(err)
		}
		if got := log.last(t).Header.Get("Authorization"); got != fmt.Sprintf("Bearer rotated-%d", i) {
			t.Errorf("source call %d: %q", i, got)
		}
	}
	before := log.count()
	if _, err := s.Auth.BearerOnly(ctx); err == nil || !strings.Contains(err.Error(), "vault unavailable") || log.count() != before {
		t.Errorf("source error: %v", err)
	}
}

// tokenServer is an API with an OAuth2 token endpoint: it hands out at-1, at-2, ...
type tokenServer struct {
	*httptest.Server
	fetches   atomic.Int32
	expiresIn string
	forms     chan url.Values
	auths     chan string
	refuse    atomic.Value // a token the API answers 401 to
	api       *seen
}

func newTokenServer(t *testing.T, expiresIn string) *tokenServer {
	ts := &tokenServer{expiresIn: expiresIn, forms: make(chan url.Values, 100), auths: make(chan string, 100), api: &seen{}}
	ts.refuse.Store("")
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			body, _ := io.ReadAll(r.Body)
			form, _ := url.ParseQuery(string(body))
			ts.forms <- form
			ts.auths <- r.Header.Get("Authorization")
			if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
				w.WriteHeader(400)
				return
			}
			n := ts.fetches.Add(1)
			time.Sleep(20 * time.Millisecond) // concurrent callers pile up behind the first fetch
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"at-%d","token_type":"Bearer"%s}`, n, ts.expiresIn)
			return
		}
		ts.api.add(r)
		if refused := ts.refuse.Load().(string); refused != "" && r.Header.Get("Authorization") == "Bearer "+refused {
			w.WriteHeader(401)
			return
		}
		w.WriteHeader(200)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func creds(scopes []string) guarded.SDKOption {
	return with(components.Security{Oauth: &components.SchemeOAuth2{ClientID: "client id", ClientSecret: "s3cret:&", Scopes: scopes}})
}

func TestOAuth2ClientCredentials(t *testing.T) {
	ctx := context.Background()
	ts := newTokenServer(t, `,"expires_in":3600`)
	s := guarded.New(guarded.WithServerURL(ts.URL), creds(nil))
	for i := 0; i < 3; i++ {
		if _, err := s.Auth.OauthRead(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := ts.fetches.Load(); n != 1 {
		t.Errorf("%d token fetches for three calls, want 1 (cached)", n)
	}
	if got := ts.api.last(t).Header.Get("Authorization"); got != "Bearer at-1" {
		t.Errorf("call: %q", got)
	}
	form, auth := <-ts.forms, <-ts.auths
	if form.Get("grant_type") != "client_credentials" || form.Get("scope") != "read" || form.Get("client_secret") != "" {
		t.Errorf("token form: %v", form)
	}
	// RFC 6749 2.3.1: id and secret form-encoded, then HTTP Basic
	if auth != "Basic "+base64.StdEncoding.EncodeToString([]byte("client%20id:s3cret%3A%26")) {
		t.Errorf("client authentication: %q", auth)
	}
	// other scopes: another token
	if _, err := s.Auth.OauthWrite(ctx); err != nil {
		t.Fatal(err)
	}
	if form := <-ts.forms; form.Get("scope") != "read write" {
		t.Errorf("scopes of oauthWrite: %v", form)
	}
	<-ts.auths
	if got := ts.api.last(t).Header.Get("Authorization"); got != "Bearer at-2" {
		t.Errorf("oauthWrite: %q", got)
	}

	// the server refuses a token: fetched again once, and the call is sent again
	ts.refuse.Store("at-1")
	before := ts.api.count()
	if _, err := s.Auth.OauthRead(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ts.api.last(t).Header.Get("Authorization"); got != "Bearer at-3" || ts.api.count() != before+2 {
		t.Errorf("after a 401: %q, %d calls", got, ts.api.count()-before)
	}
	<-ts.forms
	<-ts.auths
	// refused again later: one more fetch (at-4), accepted
	ts.refuse.Store("at-3")
	if _, err := s.Auth.OauthRead(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ts.api.last(t).Header.Get("Authorization"); got != "Bearer at-4" || ts.fetches.Load() != 4 {
		t.Errorf("second refresh: %q after %d fetches", got, ts.fetches.Load())
	}
}

func TestOAuth2TokenRefusedTwiceIsTheAnswer(t *testing.T) {
	ts := newTokenServer(t, `,"expires_in":3600`)
	s := guarded.New(guarded.WithServerURL(ts.URL), creds(nil))
	ts.refuse.Store("at-1")
	if _, err := s.Auth.OauthRead(context.Background()); err != nil {
		t.Fatal(err) // at-2 works
	}
	ts2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			fmt.Fprint(w, `{"access_token":"always-refused"}`)
			return
		}
		w.WriteHeader(401)
	}))
	defer ts2.Close()
	var calls atomic.Int32
	s = guarded.New(guarded.WithServerURL(ts2.URL), creds(nil), guarded.WithClient(&http.Client{Transport: countRT{&calls, http.DefaultTransport}}))
	_, err := s.Auth.OauthRead(context.Background())
	var unauthorized *apierrors.AuthenticationError
	if !errors.As(err, &unauthorized) {
		t.Fatalf("refused twice: %v", err)
	}
	if n := calls.Load(); n != 4 { // token, call, token, call
		t.Errorf("%d requests, want 4", n)
	}
}

type countRT struct {
	n    *atomic.Int32
	next http.RoundTripper
}

func (c countRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func TestOAuth2TokenExpiry(t *testing.T) {
	ts := newTokenServer(t, `,"expires_in":"1"`) // a string, as some servers send
	s := guarded.New(guarded.WithServerURL(ts.URL), creds([]string{"custom"}))
	if _, err := s.Auth.OauthRead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if form := <-ts.forms; form.Get("scope") != "custom" {
		t.Errorf("configured scopes replace the operation's: %v", form)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := s.Auth.OauthRead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := ts.fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2 (the first token expired)", n)
	}
}

func TestOAuth2OneFetchUnderConcurrency(t *testing.T) {
	ts := newTokenServer(t, "")
	s := guarded.New(guarded.WithServerURL(ts.URL), creds(nil))
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Auth.OauthRead(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := ts.fetches.Load(); n != 1 {
		t.Errorf("%d token fetches for 20 concurrent calls, want 1", n)
	}
}

func TestOAuth2ClientSecretPostAndFailures(t *testing.T) {
	ts := newTokenServer(t, "")
	s := guarded.New(guarded.WithServerURL(ts.URL), with(components.Security{Oauth: &components.SchemeOAuth2{
		ClientID: "cid", ClientSecret: "csecret", ClientSecretPost: true,
	}}))
	if _, err := s.Auth.OauthRead(context.Background()); err != nil {
		t.Fatal(err)
	}
	if form, auth := <-ts.forms, <-ts.auths; form.Get("client_id") != "cid" || form.Get("client_secret") != "csecret" || auth != "" {
		t.Errorf("client_secret_post: %v %q", form, auth)
	}

	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" && r.URL.Query().Get("empty") == "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
			return
		}
		fmt.Fprint(w, `{"token_type":"Bearer","note":"csecret"}`)
	}))
	defer refusing.Close()
	sec := components.Security{Oauth: &components.SchemeOAuth2{ClientID: "cid", ClientSecret: "csecret"}}
	_, err := guarded.New(guarded.WithServerURL(refusing.URL), with(sec)).Auth.OauthRead(context.Background())
	var bad *apierrors.BadRequestError
	if !errors.As(err, &bad) || strings.Contains(err.Error(), "csecret") || !strings.Contains(err.Error(), "token request was refused") {
		t.Errorf("refused token request: %v", err)
	}
}

// fakeRT answers every request itself: a redirect from its first URL to `to`, then 200.
type fakeRT struct {
	to   string
	mu   sync.Mutex
	reqs []*http.Request
}

func (f *fakeRT) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, r.Clone(context.Background()))
	first := len(f.reqs) == 1
	f.mu.Unlock()
	res := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: r}
	if first {
		res.StatusCode = 307
		res.Header.Set("Location", f.to)
	}
	return res, nil
}

func TestRedirectsNeverCarryCredentialsAway(t *testing.T) {
	ctx := context.Background()
	everything := components.Security{
		HeaderKey: guarded.String("hk-secret"),
		QueryKey:  guarded.String("qk-secret"),
	}
	check := func(name, from, to string, keep bool) {
		t.Helper()
		rt := &fakeRT{to: to}
		s := guarded.New(guarded.WithServerURL(from), with(everything), guarded.WithClient(&http.Client{Transport: rt}))
		if _, err := s.Auth.Both(ctx, operations.WithHeader("X-Trace", "trace-secret")); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rt.reqs) != 2 {
			t.Fatalf("%s: %d requests", name, len(rt.reqs))
		}
		first, next := rt.reqs[0], rt.reqs[1]
		if first.Header.Get("X-API-Key") != "hk-secret" || first.URL.Query().Get("api_key") != "qk-secret" {
			t.Errorf("%s: the first request lacks its credentials", name)
		}
		carried := next.Header.Get("X-API-Key") != "" || next.Header.Get("X-Trace") != "" ||
			next.URL.Query().Get("api_key") != "" || next.Header.Get("Referer") != ""
		if carried != keep {
			t.Errorf("%s: credentials carried: %v (want %v): %v %s", name, carried, keep, next.Header, next.URL)
		}
		if next.Header.Get("User-Agent") == "" {
			t.Errorf("%s: the redirected request lost its User-Agent", name)
		}
	}
	check("same origin", "https://api.test", "https://api.test/elsewhere", true)
	check("other host", "https://api.test", "https://evil.test/landing?api_key=qk-secret", false)
	check("subdomain", "https://api.test", "https://sub.api.test/landing", false)
	check("other port", "https://api.test", "https://api.test:8443/landing", false)
	check("https to http", "https://api.test", "http://api.test:443/landing", false)
	check("http default port", "http://api.test", "http://api.test:80/x", true)

	// Authorization and cookies too, and with a real server on another port
	landing, log := recorder(t)
	start := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, landing.URL+"/landing", http.StatusFound)
	}))
	defer start.Close()
	s := guarded.New(guarded.WithServerURL(start.URL), with(components.Security{
		Token: guarded.String("tok-secret"), BasicAuth: &components.SchemeBasicAuth{Username: "u", Password: "p"},
		CookieKey: guarded.String("cookie-secret"),
	}))
	if _, err := s.Auth.Clash(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Auth.BearerOnly(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range log.reqs {
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			t.Errorf("another port received credentials: %v", r.Header)
		}
	}
}

func TestTransportErrorsMaskQueryKeys(t *testing.T) {
	server := httptest.NewServer(http.NotFoundHandler())
	address := server.URL
	server.Close() // nothing listens there any more
	s := guarded.New(guarded.WithServerURL(address), with(components.Security{QueryKey: guarded.String("qk-secret")}))
	_, err := s.Auth.QueryKey(context.Background(), operations.AuthQueryKeyRequest{})
	var conn *apierrors.ConnectionError
	if !errors.As(err, &conn) || strings.Contains(err.Error(), "qk-secret") || !strings.Contains(err.Error(), "api_key=***") {
		t.Errorf("connection error: %v", err)
	}
}
