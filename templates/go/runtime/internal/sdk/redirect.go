package sdk

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// origin is a URL's scheme, host and port (the default port when none is written).
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// crossed: some hop of the chain went to another origin, or from https to http.
func crossed(chain []*http.Request) bool {
	for i := 1; i < len(chain); i++ {
		prev, next := chain[i-1].URL, chain[i].URL
		if origin(prev) != origin(next) {
			return true
		}
		if strings.EqualFold(prev.Scheme, "https") && !strings.EqualFold(next.Scheme, "https") {
			return true
		}
	}
	return false
}

// guarded is a copy of client whose redirects never carry a credential to another
// origin: once a hop crosses to another scheme, host or port (or from https to
// http), the secret headers and query parameters are dropped from it and every
// later hop (net/http copies the first request's headers to each hop). The
// Referer header net/http adds is never sent (it could hold a query API key).
// The client's own CheckRedirect still runs first; without one, at most 10 hops.
func guarded(hc *http.Client, headers, params []string) *http.Client {
	cp := *hc
	user := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if user != nil {
			if err := user(req, via); err != nil {
				return err
			}
		} else if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		req.Header.Del("Referer")
		if crossed(append(append([]*http.Request{}, via...), req)) {
			for _, name := range headers {
				req.Header.Del(name)
			}
			if len(params) > 0 && req.URL.RawQuery != "" {
				q := req.URL.Query()
				for _, name := range params {
					q.Del(name)
				}
				req.URL.RawQuery = q.Encode()
			}
		}
		return nil
	}
	return &cp
}

// redactURL masks the values of the given query parameters ("***").
func redactURL(raw string, params []string) string {
	if len(params) == 0 {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	parts := strings.Split(u.RawQuery, "&")
	for i, part := range parts {
		name, _, _ := strings.Cut(part, "=")
		if decoded, err := url.QueryUnescape(name); err == nil {
			name = decoded
		}
		for _, secret := range params {
			if name == secret {
				parts[i] = url.QueryEscape(name) + "=***"
			}
		}
	}
	u.RawQuery = strings.Join(parts, "&")
	return u.String()
}

// redactError masks query API keys in the URL a transport error names.
func redactError(err error, params []string) error {
	var ue *url.Error
	if len(params) == 0 || !errors.As(err, &ue) {
		return err
	}
	return &url.Error{Op: ue.Op, URL: redactURL(ue.URL, params), Err: ue.Err}
}

// unwrapURLError is the cause of a *url.Error (whose text repeats the URL).
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func readAll(res *http.Response) ([]byte, error) { return io.ReadAll(res.Body) }
