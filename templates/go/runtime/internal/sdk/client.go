// Package sdk is the hand-written core every generated call goes through:
// building the request, retries, timeouts and mapping failures to typed errors.
package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sdkgen.invalid/module/models/apierrors"
	"sdkgen.invalid/module/retry"
)

// HTTPClient is what the SDK sends requests with (*http.Client satisfies it).
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Config is the SDK-wide state, set by the root package's options.
type Config struct {
	Client    HTTPClient
	ServerURL string
	Pinned    bool   // ServerURL was given (WithServerURL): every call goes there
	Token     string // an API without security schemes: sent as Bearer by Secured calls
	UserAgent string
	Timeout   time.Duration
	Retries   *retry.Config
	Security  Security

	// the URLs of the servers some operations have of their own, by URL template, their
	// variables filled in (a template missing here has none)
	OperationServers map[string]string
}

// Call is one operation call, its path already formatted.
type Call struct {
	Method      string
	Path        string
	RawQuery    string // encoded already (see wire.go)
	Header      http.Header
	Body        []byte
	ContentType string
	Accept      string
	Secured     bool          // an API without security schemes: send Config.Token
	Security    []Requirement // alternatives (OR) of scheme sets (AND); nil: no credentials

	Retries   *retry.Config
	Timeout   *time.Duration
	ServerURL string
	Servers   []string // the URL templates of the operation's own servers, if any (see base)
	Extra     http.Header

	PageURL string // the next page's URL the server named (same origin as the server)

	stream bool // set by Stream: a 2xx answer's body is left open
}

// Response is an answer read in full.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	Raw        *http.Response
}

// Do sends the call, retrying as configured, and reads the whole answer.
// Transport failures come back as *apierrors.ConnectionError or *apierrors.TimeoutError.
func (c *Config) Do(ctx context.Context, call Call) (*Response, error) {
	if err := checkRefused(call.Path, call.RawQuery); err != nil {
		return nil, err
	}
	for _, values := range call.Header {
		if err := checkRefused(values...); err != nil {
			return nil, err
		}
	}
	base := c.base(call)
	if !strings.Contains(base, "://") {
		// "/api/v2": relative to wherever the spec was served; "": no server at all
		return nil, fmt.Errorf("the server URL %q names no host: use WithServerURL", base)
	}
	timeout := c.Timeout
	if call.Timeout != nil {
		timeout = *call.Timeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	policy := c.Retries
	if call.Retries != nil {
		policy = call.Retries
	}
	for attempt := 0; ; attempt++ {
		res, err := c.once(ctx, call, base)
		if policy == nil || attempt >= policy.MaxRetries {
			return res, err
		}
		var wait time.Duration
		if err != nil {
			if !retryError(policy, call.Method, err) || ctx.Err() != nil {
				return nil, err
			}
			wait = Backoff(policy, attempt, nil)
		} else {
			if !retryStatus(policy, call.Method, res) {
				return res, nil
			}
			wait = Backoff(policy, attempt, res.Header)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			if res != nil {
				return res, nil
			}
			return nil, transportError(ctx, ctx.Err())
		case <-timer.C:
		}
	}
}

// base is the base URL the call goes to. A call's WithServerURL wins, then the SDK's:
// the caller named where calls go. Else the chosen server, unless the operation has
// servers of its own (call.Servers): then the first of those, or the chosen server when
// it is one of them. A relative server URL is on the chosen server's origin.
func (c *Config) base(call Call) string {
	if call.ServerURL != "" {
		return call.ServerURL
	}
	if c.Pinned || len(call.Servers) == 0 {
		return c.ServerURL
	}
	chosen := strings.TrimRight(c.ServerURL, "/")
	first := ""
	for i, template := range call.Servers {
		url, ok := c.OperationServers[template]
		if !ok {
			url = template
		}
		url = onOriginOf(chosen, url)
		if url == chosen {
			return c.ServerURL
		}
		if i == 0 {
			first = url
		}
	}
	return first
}

// onOriginOf is a server URL as calls go to it (no trailing "/"): a relative one ("/",
// "/api", empty; or "//host") resolved on base's origin (or scheme).
func onOriginOf(base, url string) string {
	url = strings.TrimRight(url, "/")
	if strings.Contains(url, "://") {
		return url
	}
	sep := strings.Index(base, "://")
	if sep < 0 {
		return url // nothing to resolve it on: sent as given, as a relative base URL is
	}
	if strings.HasPrefix(url, "//") {
		return base[:sep+1] + url
	}
	origin := base[:sep+3] + strings.SplitN(base[sep+3:], "/", 2)[0]
	if url == "" {
		return origin
	}
	return origin + "/" + strings.TrimLeft(url, "/")
}

func (c *Config) once(ctx context.Context, call Call, base string) (*Response, error) {
	values, err := c.Security.values(ctx)
	if err != nil {
		return nil, err
	}
	uses, err := c.Security.choose(call.Security, values)
	if err != nil {
		return nil, err
	}
	for name, list := range call.Extra {
		for _, value := range list {
			if err := CheckHeader(name, value); err != nil {
				return nil, err
			}
		}
	}
	for refreshed := false; ; refreshed = true {
		creds, err := c.applyCredentials(ctx, base, uses, values)
		if err != nil {
			return nil, err
		}
		res, err := c.send(ctx, call, base, creds)
		if err != nil || res.StatusCode != http.StatusUnauthorized || len(creds.oauth) == 0 || refreshed {
			return res, err
		}
		for _, use := range creds.oauth { // the server refused a fetched token: fetch again, once
			c.Security.forget(use)
		}
	}
}

func (c *Config) send(ctx context.Context, call Call, base string, creds *applied) (*Response, error) {
	target := strings.TrimRight(base, "/") + call.Path
	query := call.RawQuery
	if call.PageURL != "" {
		page, err := pageURL(base, call.PageURL)
		if err != nil {
			return nil, err
		}
		target, query = page.Scheme+"://"+page.Host+page.EscapedPath(), withoutParams(page.RawQuery, creds.query)
	}
	if len(creds.query) > 0 {
		if query != "" {
			query += "&"
		}
		query += strings.Join(creds.query, "&")
	}
	if query != "" {
		target += "?" + query
	}
	secretParams := c.secretParams()
	var body io.Reader
	if call.Body != nil {
		body = bytes.NewReader(call.Body)
	}
	req, err := http.NewRequestWithContext(ctx, call.Method, target, body)
	if err != nil {
		return nil, &apierrors.ConnectionError{Err: redactError(err, secretParams)}
	}
	accept := call.Accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.UserAgent)
	if call.Secured && len(c.Security.Schemes) == 0 && c.Token != "" {
		token, err := clean(c.Token, "the token", true)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if call.Body != nil {
		req.Header.Set("Content-Type", call.ContentType)
	}
	for name, values := range call.Header {
		req.Header[http.CanonicalHeaderKey(name)] = values
	}
	for name, values := range creds.header {
		req.Header[name] = values
	}
	if len(creds.cookies) > 0 {
		cookies := strings.Join(creds.cookies, "; ")
		if prior := req.Header.Get("Cookie"); prior != "" {
			cookies = prior + "; " + cookies
		}
		req.Header.Set("Cookie", cookies)
	}
	for name, values := range call.Extra {
		req.Header[http.CanonicalHeaderKey(name)] = values
	}
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	if hc, ok := client.(*http.Client); ok {
		client = guarded(hc, c.secretHeaders(call.Extra), secretParams)
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, transportError(ctx, redactError(err, secretParams))
	}
	if call.stream && res.StatusCode/100 == 2 {
		return &Response{StatusCode: res.StatusCode, Header: res.Header, Raw: res}, nil
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, transportError(ctx, redactError(err, secretParams))
	}
	return &Response{StatusCode: res.StatusCode, Header: res.Header, Body: data, Raw: res}, nil
}

func transportError(ctx context.Context, err error) error {
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded ||
		(errors.As(err, &netErr) && netErr.Timeout()) {
		return &apierrors.TimeoutError{Err: err}
	}
	return &apierrors.ConnectionError{Err: err}
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete,
		"QUERY": // safe and idempotent, as GET (OpenAPI 3.2's `query`)
		return true
	}
	return false
}

// neverConnected: the request cannot have reached the server.
func neverConnected(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

func retryError(policy *retry.Config, method string, err error) bool {
	if !policy.RetryConnectionErrors {
		return false
	}
	var conn *apierrors.ConnectionError
	var timeout *apierrors.TimeoutError
	if !errors.As(err, &conn) && !errors.As(err, &timeout) {
		return false // refused before sending (credentials, headers): retrying cannot help
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	return idempotent(method) || policy.RetryNonIdempotent || neverConnected(err)
}

func retryStatus(policy *retry.Config, method string, res *Response) bool {
	statuses := policy.Statuses
	if statuses == nil {
		statuses = []int{429, 502, 503, 504}
	}
	found := false
	for _, s := range statuses {
		if s == res.StatusCode {
			found = true
		}
	}
	if !found {
		return false
	}
	if idempotent(method) || policy.RetryNonIdempotent || res.StatusCode == 429 {
		return true
	}
	_, hinted := RetryAfter(res.Header)
	return hinted
}

// RetryAfter is the delay the server asked for (retry-after-ms, then Retry-After
// in seconds or as an HTTP date), if any header states a valid one.
func RetryAfter(h http.Header) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	if raw := h.Get("Retry-After-Ms"); raw != "" {
		if ms, err := strconv.ParseFloat(raw, 64); err == nil && !math.IsInf(ms, 0) && !math.IsNaN(ms) {
			if ms < 0 {
				ms = 0
			}
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	raw := h.Get("Retry-After")
	if raw == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseFloat(raw, 64); err == nil && !math.IsInf(seconds, 0) && !math.IsNaN(seconds) {
		if seconds < 0 {
			seconds = 0
		}
		return time.Duration(seconds * float64(time.Second)), true
	}
	if when, err := http.ParseTime(raw); err == nil {
		d := time.Until(when)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// Backoff is the wait before retry number attempt (0-based).
func Backoff(policy *retry.Config, attempt int, h http.Header) time.Duration {
	if hinted, ok := RetryAfter(h); ok {
		if policy.MaxRetryAfter > 0 && hinted > policy.MaxRetryAfter {
			return policy.MaxRetryAfter
		}
		return hinted
	}
	if attempt > 62 {
		attempt = 62
	}
	base := float64(policy.InitialInterval) * math.Pow(2, float64(attempt))
	if policy.MaxInterval > 0 && base > float64(policy.MaxInterval) {
		base = float64(policy.MaxInterval)
	}
	return time.Duration(base * (1 - policy.Jitter*rand.Float64()))
}

// Failure turns a non-2xx answer into the typed error of its status class;
// parsed is the documented body model when it decoded, else nil.
func Failure(res *Response, parsed any) error {
	e := apierrors.APIError{StatusCode: res.StatusCode, Header: res.Header, RawBody: res.Body, Body: parsed}
	if parsed == nil && len(res.Body) > 0 {
		var value any
		if IsJSON(res.Header.Get("Content-Type")) && Unmarshal(res.Body, &value) == nil {
			e.Body = value
		} else {
			e.Body = string(res.Body)
		}
	}
	if text, ok := e.Body.(string); ok {
		e.Message = text
	} else if obj, ok := e.Body.(map[string]any); ok {
		if detail, ok := obj["detail"].(string); ok {
			e.Message = detail
		}
	}
	return apierrors.ForStatus(e)
}

// Invalid is a 2xx answer whose body did not decode into its documented type.
func Invalid(res *Response, err error) error {
	return &apierrors.ResponseValidationError{StatusCode: res.StatusCode, Header: res.Header, RawBody: res.Body, Err: err}
}

// IsJSON: application/json and every +json flavour.
func IsJSON(contentType string) bool {
	media := strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	return media == "application/json" || strings.HasSuffix(media, "+json")
}

// Offer is one documented media type of a response read whole, and whether it is JSON.
type Offer struct {
	Media string
	JSON  bool
}

// Choose picks the offer the answer's Content-Type names, as the Python client does:
// the first offer when the header is missing, an exact match (the most specific
// parameters) before a wildcard one, a JSON offer for an undeclared JSON flavour; -1
// and the reason when none fits.
func Choose(res *Response, offers ...Offer) (int, error) {
	returned := res.Header.Get("Content-Type")
	if returned == "" {
		return 0, nil
	}
	best, wild := -1, -1
	for i, o := range offers {
		if !mediaMatches(o.Media, returned) {
			continue
		}
		if strings.Contains(o.Media, "*") {
			if wild < 0 {
				wild = i
			}
		} else if _, params := mediaParts(o.Media); best < 0 || len(params) > len(mustParams(offers[best].Media)) {
			best = i
		}
	}
	if best >= 0 {
		return best, nil
	}
	if wild >= 0 {
		return wild, nil
	}
	if IsJSON(returned) {
		for i, o := range offers {
			if o.JSON {
				return i, nil
			}
		}
	}
	names := make([]string, len(offers))
	for i, o := range offers {
		names[i] = o.Media
	}
	return -1, fmt.Errorf("the Content-Type %q is none of the documented %s", returned, strings.Join(names, ", "))
}

func mustParams(media string) map[string]bool {
	_, params := mediaParts(media)
	return params
}

// mediaParts: the lower-case base of a media type and its parameters but charset and q.
func mediaParts(value string) (string, map[string]bool) {
	parts := strings.Split(value, ";")
	params := map[string]bool{}
	for _, p := range parts[1:] {
		p = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(p), " ", ""))
		if p != "" && !strings.HasPrefix(p, "charset=") && !strings.HasPrefix(p, "q=") {
			params[p] = true
		}
	}
	return strings.ToLower(strings.TrimSpace(parts[0])), params
}

// mediaMatches: the pattern's base (or wildcard) matches and its parameters are all there.
func mediaMatches(pattern, returned string) bool {
	pBase, pParams := mediaParts(pattern)
	rBase, rParams := mediaParts(returned)
	switch {
	case pBase == "*/*":
		return true
	case strings.HasSuffix(pBase, "/*"):
		if !strings.HasPrefix(rBase, pBase[:len(pBase)-1]) {
			return false
		}
	case pBase != rBase:
		return false
	}
	for p := range pParams {
		if !rParams[p] {
			return false
		}
	}
	return true
}
