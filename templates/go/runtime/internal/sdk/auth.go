package sdk

// Credentials: the API's security schemes, the values configured for them and how
// each goes on a request. Hygiene rules kept here (as in the Python client): values
// are checked before anything is sent and never appear in error messages; query
// API keys are masked in the URLs errors print; no credential follows a redirect to
// another origin or from https to http (see redirect.go).

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"sdkgen.invalid/module/models/apierrors"
)

// SchemeKind is how a scheme's credential travels.
type SchemeKind int

const (
	// SchemeBearer: `Authorization: Bearer <token>` (http bearer, OpenID Connect).
	SchemeBearer SchemeKind = iota
	// SchemeBasic: `Authorization: Basic base64(username:password)`.
	SchemeBasic
	// SchemeAPIKey: the key (after Prefix) in a header, query parameter or cookie.
	SchemeAPIKey
	// SchemeOAuth2: an access token as Bearer, or tokens fetched from TokenURL
	// with the client-credentials grant.
	SchemeOAuth2
	// SchemeExternal: configured on the HTTP client (mutual TLS, or another http
	// scheme through a RoundTripper): nothing to add, always available.
	SchemeExternal
)

// Scheme is one security scheme as the client applies it (generated from the spec).
type Scheme struct {
	Key      string // the name under components/securitySchemes
	Field    string // the components.Security field that configures it (for messages)
	Kind     SchemeKind
	Env      string // environment variable (base name) read by FromEnv; "" for none
	In       string // SchemeAPIKey: "header", "query" or "cookie"
	Name     string // SchemeAPIKey: the header, query parameter or cookie name
	Prefix   string // SchemeAPIKey: text sent before the key
	TokenURL string // SchemeOAuth2: the clientCredentials token URL ("" when none)
}

// Credential is the value configured for one scheme; which fields count depends
// on its kind: Token (bearer, API key, OAuth2 access token), Username and
// Password (basic), ClientID and ClientSecret (OAuth2 client credentials).
type Credential struct {
	Token        string
	Username     string
	Password     string
	ClientID     string
	ClientSecret string
	// Scopes asked for with client credentials; nil: the scopes each operation needs.
	Scopes []string
	// ClientSecretPost sends the client id and secret in the token request's form
	// body instead of HTTP Basic (RFC 6749 2.3.1).
	ClientSecretPost bool
}

// Use is one scheme of a requirement, with the scopes the operation needs from it.
type Use struct {
	Scheme string
	Scopes []string
}

// Requirement is a set of schemes used together (AND); an empty one is anonymous.
type Requirement []Use

// Security is what Config knows about credentials.
type Security struct {
	Schemes []Scheme
	// Values are the configured credentials by scheme key (explicit options over
	// the environment).
	Values map[string]Credential
	// Source, when set, is asked before every call; the credentials it returns
	// replace Values for the schemes it sets.
	Source func(context.Context) (map[string]Credential, error)

	mu     sync.Mutex
	tokens map[string]cachedToken
}

type cachedToken struct {
	token string
	until time.Time // zero: no stated expiry (until the server answers 401)
}

const (
	expiryMargin = 30 * time.Second // a token is fetched again this long before it expires
	tokenLimit   = 64               // cached tokens (one per client and scope set) at most
)

// FromEnv reads each scheme's environment variables (as the Python client does):
// <ENV> for a token or key, <ENV>_USERNAME and <ENV>_PASSWORD for basic,
// <ENV>_CLIENT_ID and <ENV>_CLIENT_SECRET for OAuth2 client credentials.
func FromEnv(schemes []Scheme, getenv func(string) string) map[string]Credential {
	out := map[string]Credential{}
	for _, s := range schemes {
		if s.Env == "" {
			continue
		}
		switch s.Kind {
		case SchemeBasic:
			user, password := getenv(s.Env+"_USERNAME"), getenv(s.Env+"_PASSWORD")
			if user != "" {
				out[s.Key] = Credential{Username: user, Password: password}
			}
			continue
		case SchemeOAuth2:
			if s.TokenURL != "" {
				id, secret := getenv(s.Env+"_CLIENT_ID"), getenv(s.Env+"_CLIENT_SECRET")
				if id != "" && secret != "" {
					out[s.Key] = Credential{ClientID: id, ClientSecret: secret}
					continue
				}
			}
		case SchemeExternal:
			continue
		}
		if token := getenv(s.Env); token != "" {
			out[s.Key] = Credential{Token: token}
		}
	}
	return out
}

func configured(s Scheme, c Credential, ok bool) bool {
	if s.Kind == SchemeExternal {
		return true
	}
	if !ok {
		return false
	}
	switch s.Kind {
	case SchemeBasic:
		return c.Username != ""
	case SchemeOAuth2:
		return c.Token != "" || c.ClientID != ""
	}
	return c.Token != ""
}

// place is where a scheme's credential travels: two in one alternative must not share it.
func place(s Scheme) string {
	switch s.Kind {
	case SchemeExternal:
		return ""
	case SchemeAPIKey:
		if s.In == "header" {
			return "header " + strings.ToLower(s.Name)
		}
		return s.In + " " + s.Name
	}
	return "header authorization"
}

func (sec *Security) scheme(key string) (Scheme, bool) {
	for _, s := range sec.Schemes {
		if s.Key == key {
			return s, true
		}
	}
	return Scheme{}, false
}

// values: the credentials of this call (Values, then what Source returns).
func (sec *Security) values(ctx context.Context) (map[string]Credential, error) {
	if sec.Source == nil {
		return sec.Values, nil
	}
	fresh, err := sec.Source(ctx)
	if err != nil {
		return nil, err
	}
	merged := make(map[string]Credential, len(sec.Values)+len(fresh))
	for k, v := range sec.Values {
		merged[k] = v
	}
	for k, v := range fresh {
		merged[k] = v
	}
	return merged, nil
}

// choose picks the first alternative whose schemes are all configured; an empty
// alternative (anonymous) is taken only when no other fits. nil security: none needed.
func (sec *Security) choose(security []Requirement, values map[string]Credential) (Requirement, error) {
	if len(security) == 0 {
		return nil, nil
	}
	anonymous := false
	var sendable, clashing []Requirement
	for _, alt := range security {
		if len(alt) == 0 {
			anonymous = true
			continue
		}
		places := map[string]bool{}
		clash, ready := false, true
		for _, use := range alt {
			s, known := sec.scheme(use.Scheme)
			if !known {
				ready = false
				continue
			}
			if p := place(s); p != "" {
				clash = clash || places[p]
				places[p] = true
			}
			v, ok := values[use.Scheme]
			ready = ready && configured(s, v, ok)
		}
		if clash {
			clashing = append(clashing, alt) // e.g. basic AND bearer: one Authorization header
			continue
		}
		sendable = append(sendable, alt)
		if ready {
			return alt, nil
		}
	}
	if anonymous {
		return nil, nil
	}
	options, words := sec.fieldNames(sendable)
	_, clashWords := sec.fieldNames(clashing)
	if len(options) == 0 {
		msg := "this operation cannot be called by this client: it accepts only " + clashWords +
			", schemes that put two different credentials in one header (e.g. both in Authorization), which one request cannot carry"
		return nil, &apierrors.MissingCredentialsError{Message: msg}
	}
	msg := "this operation needs credentials the client was not given: set " + words +
		" of components.Security (WithSecurity, WithSecuritySource or the environment variables the README lists)"
	if len(clashing) > 0 {
		msg += " (" + clashWords + " is not offered: those schemes share one header)"
	}
	return nil, &apierrors.MissingCredentialsError{Alternatives: options, Message: msg}
}

// fieldNames names each alternative's schemes by their components.Security fields:
// as lists, and as words ("(A and B) or (C)").
func (sec *Security) fieldNames(alts []Requirement) ([][]string, string) {
	var options [][]string
	var words []string
	for _, alt := range alts {
		var names []string
		for _, use := range alt {
			name := use.Scheme
			if s, ok := sec.scheme(use.Scheme); ok && s.Field != "" {
				name = s.Field
			}
			names = append(names, name)
		}
		options = append(options, names)
		words = append(words, "("+strings.Join(names, " and ")+")")
	}
	return options, strings.Join(words, " or ")
}

// applied is what one call sends for its credentials.
type applied struct {
	header  http.Header
	query   []string // encoded name=value pairs
	cookies []string // encoded name=value pairs
	oauth   []oauthUse
}

type oauthUse struct {
	cacheKey string
	token    string
}

// problem describes the first character of value that cannot go in a header.
func problem(value string, asciiOnly bool) string {
	for i, r := range value {
		switch {
		case r == '\r' || r == '\n':
			return fmt.Sprintf("a line break at index %d", i)
		case r < 0x20 || r == 0x7f:
			return fmt.Sprintf("a control character at index %d", i)
		case r > 0x7e && asciiOnly:
			return fmt.Sprintf("a non-ASCII character at index %d", i)
		}
	}
	return ""
}

// clean returns value without one trailing newline (as a file read leaves it), or
// an InvalidCredentialError naming what, never the value.
func clean(value, what string, asciiOnly bool) (string, error) {
	if strings.HasSuffix(value, "\r\n") {
		value = value[:len(value)-2]
	} else if strings.HasSuffix(value, "\n") {
		value = value[:len(value)-1]
	}
	if p := problem(value, asciiOnly); p != "" {
		return "", &apierrors.InvalidCredentialError{Message: what + " contains " + p + " (the value is not shown)"}
	}
	return value, nil
}

// CheckHeader refuses a header value that cannot be sent as is (no line breaks,
// control or non-ASCII characters), naming the header, never the value.
func CheckHeader(name, value string) error {
	if p := problem(value, true); p != "" {
		return &apierrors.InvalidCredentialError{Message: fmt.Sprintf("header %q contains %s (the value is not shown)", name, p)}
	}
	return nil
}

func (c *Config) applyCredentials(ctx context.Context, base string, uses Requirement, values map[string]Credential) (*applied, error) {
	out := &applied{header: http.Header{}}
	for _, use := range uses {
		s, _ := c.Security.scheme(use.Scheme)
		v := values[use.Scheme]
		what := "the credential for " + s.Field
		switch s.Kind {
		case SchemeExternal:
			continue
		case SchemeBasic:
			user, err := clean(v.Username, "the username of "+s.Field, false)
			if err != nil {
				return nil, err
			}
			password, err := clean(v.Password, "the password of "+s.Field, false)
			if err != nil {
				return nil, err
			}
			if strings.Contains(user, ":") {
				return nil, &apierrors.InvalidCredentialError{Message: "the username of " + s.Field + " contains ':' (RFC 7617)"}
			}
			out.header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+password)))
		case SchemeAPIKey:
			key, err := clean(v.Token, what, true)
			if err != nil {
				return nil, err
			}
			text := s.Prefix + key
			switch s.In {
			case "header":
				if err := CheckHeader(s.Name, text); err != nil {
					return nil, err
				}
				out.header.Set(s.Name, text)
			case "query":
				out.query = append(out.query, url.QueryEscape(s.Name)+"="+url.QueryEscape(text))
			default:
				out.cookies = append(out.cookies, escapeAll(s.Name)+"="+escapeAll(text))
			}
		case SchemeOAuth2:
			token := v.Token
			if token == "" && v.ClientID != "" {
				if s.TokenURL == "" {
					return nil, &apierrors.InvalidCredentialError{Message: s.Field + " declares no clientCredentials token URL: set an access token"}
				}
				id, err := clean(v.ClientID, "the client id of "+s.Field, true)
				if err != nil {
					return nil, err
				}
				secret, err := clean(v.ClientSecret, "the client secret of "+s.Field, true)
				if err != nil {
					return nil, err
				}
				scopes := v.Scopes
				if scopes == nil {
					scopes = use.Scopes
				}
				cred := Credential{ClientID: id, ClientSecret: secret, ClientSecretPost: v.ClientSecretPost}
				key := s.Key + "\x00" + id + "\x00" + strings.Join(scopes, " ")
				token, err = c.Security.token(ctx, c, base, s, cred, scopes, key)
				if err != nil {
					return nil, err
				}
				out.oauth = append(out.oauth, oauthUse{key, token})
				out.header.Set("Authorization", "Bearer "+token)
				continue
			}
			token, err := clean(token, what, true)
			if err != nil {
				return nil, err
			}
			out.header.Set("Authorization", "Bearer "+token)
		default: // SchemeBearer
			token, err := clean(v.Token, what, true)
			if err != nil {
				return nil, err
			}
			out.header.Set("Authorization", "Bearer "+token)
		}
	}
	return out, nil
}

// escapeAll percent-encodes every byte but the unreserved ones (RFC 3986).
func escapeAll(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		ch := text[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("-._~", ch) >= 0 {
			b.WriteByte(ch)
		} else {
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}

// token returns a cached access token, or fetches one (one fetch at a time).
func (sec *Security) token(ctx context.Context, c *Config, base string, s Scheme, cred Credential, scopes []string, key string) (string, error) {
	sec.mu.Lock()
	defer sec.mu.Unlock()
	if found, ok := sec.tokens[key]; ok && (found.until.IsZero() || time.Now().Before(found.until)) {
		return found.token, nil
	}
	token, lifetime, err := fetchToken(ctx, c, base, s, cred, scopes)
	if err != nil {
		return "", err
	}
	if sec.tokens == nil || len(sec.tokens) >= tokenLimit {
		sec.tokens = map[string]cachedToken{}
	}
	entry := cachedToken{token: token}
	if lifetime >= 0 {
		margin := lifetime / 10
		if margin > expiryMargin {
			margin = expiryMargin
		}
		entry.until = time.Now().Add(lifetime - margin)
	}
	sec.tokens[key] = entry
	return token, nil
}

// forget drops a token the server refused (unless it was replaced already).
func (sec *Security) forget(use oauthUse) {
	sec.mu.Lock()
	defer sec.mu.Unlock()
	if found, ok := sec.tokens[use.cacheKey]; ok && found.token == use.token {
		delete(sec.tokens, use.cacheKey)
	}
}

// fetchToken runs the client-credentials grant; lifetime < 0: no stated expiry.
func fetchToken(ctx context.Context, c *Config, base string, s Scheme, cred Credential, scopes []string) (string, time.Duration, error) {
	root, err := url.Parse(strings.TrimRight(base, "/") + "/")
	if err != nil {
		return "", 0, &apierrors.ConnectionError{Err: fmt.Errorf("token request: the server URL does not parse")}
	}
	ref, err := url.Parse(s.TokenURL)
	if err != nil {
		return "", 0, &apierrors.ConnectionError{Err: fmt.Errorf("token request: the token URL does not parse")}
	}
	target := root.ResolveReference(ref)
	form := []string{"grant_type=client_credentials"}
	if len(scopes) > 0 {
		form = append(form, "scope="+url.QueryEscape(strings.Join(scopes, " ")))
	}
	if cred.ClientSecretPost {
		form = append(form, "client_id="+url.QueryEscape(cred.ClientID), "client_secret="+url.QueryEscape(cred.ClientSecret))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(strings.Join(form, "&")))
	if err != nil {
		return "", 0, &apierrors.ConnectionError{Err: fmt.Errorf("token request: %s", err.Error())}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.UserAgent)
	if !cred.ClientSecretPost { // RFC 6749 2.3.1: each part form-encoded, then HTTP Basic
		pair := escapeAll(cred.ClientID) + ":" + escapeAll(cred.ClientSecret)
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(pair)))
	}
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	if hc, ok := client.(*http.Client); ok { // a redirect is an answer here, never followed
		cp := *hc
		cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		client = &cp
	}
	res, err := client.Do(req)
	if err != nil {
		return "", 0, transportError(ctx, fmt.Errorf("token request POST %s: %w", target.Redacted(), unwrapURLError(err)))
	}
	defer res.Body.Close()
	data, err := readAll(res)
	if err != nil {
		return "", 0, transportError(ctx, err)
	}
	if res.StatusCode/100 != 2 {
		e := apierrors.APIError{StatusCode: res.StatusCode, Header: res.Header, RawBody: data,
			Message: "the OAuth2 token request was refused"}
		return "", 0, apierrors.ForStatus(e)
	}
	var answer map[string]any
	_ = json.Unmarshal(data, &answer)
	token, _ := answer["access_token"].(string)
	if token == "" || problem(token, true) != "" {
		// the body is not kept: it may hold a token
		e := apierrors.APIError{StatusCode: 401, Header: res.Header,
			Message: fmt.Sprintf("%d for POST %s: the OAuth2 token response holds no usable access_token", res.StatusCode, target.Redacted())}
		return "", 0, apierrors.ForStatus(e)
	}
	var seconds float64
	switch v := answer["expires_in"].(type) {
	case float64:
		seconds = v
	case string:
		parsed, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return token, -1, nil
		}
		seconds = parsed
	default:
		return token, -1, nil
	}
	if math.IsNaN(seconds) || math.IsInf(seconds, 0) {
		return token, -1, nil
	}
	if seconds < 0 {
		seconds = 0
	}
	if seconds > 1e9 {
		seconds = 1e9
	}
	return token, time.Duration(seconds * float64(time.Second)), nil
}

// secretHeaders are the header names (canonical) never sent to another origin:
// the Authorization family, cookies, every API-key header and the headers the
// caller configured for this call.
func (c *Config) secretHeaders(extra http.Header) []string {
	names := map[string]bool{"Authorization": true, "Proxy-Authorization": true, "Cookie": true}
	for _, s := range c.Security.Schemes {
		if s.Kind == SchemeAPIKey && s.In == "header" {
			names[http.CanonicalHeaderKey(s.Name)] = true
		}
	}
	for name := range extra {
		names[http.CanonicalHeaderKey(name)] = true
	}
	out := make([]string, 0, len(names))
	for name := range names {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// secretParams are the query parameters that carry API keys.
func (c *Config) secretParams() []string {
	var out []string
	for _, s := range c.Security.Schemes {
		if s.Kind == SchemeAPIKey && s.In == "query" {
			out = append(out, s.Name)
		}
	}
	return out
}
