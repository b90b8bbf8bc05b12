package sdk

import (
	"context"
	"io"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"sdkgen.invalid/module/models/apierrors"
)

// Stream sends the call like Do, but leaves the body of a 2xx answer open for a
// stream to read (Body is nil); other answers are read in full, as Do reads them.
// The timeout covers the wait for the answer's headers; the returned cancel ends the
// request (the stream's Close calls it). It is never nil.
func (c *Config) Stream(ctx context.Context, call Call) (*Response, context.CancelFunc, error) {
	timeout := c.Timeout
	if call.Timeout != nil {
		timeout = *call.Timeout
	}
	ctx, cancel := context.WithCancel(ctx)
	var expired atomic.Bool
	var timer *time.Timer
	if timeout > 0 {
		timer = time.AfterFunc(timeout, func() {
			expired.Store(true)
			cancel()
		})
	}
	none := time.Duration(0)
	call.Timeout, call.stream = &none, true
	res, err := c.Do(ctx, call)
	if timer != nil {
		timer.Stop()
	}
	if expired.Load() {
		cancel()
		if res != nil && res.Body == nil {
			res.Raw.Body.Close()
		}
		return nil, cancel, &apierrors.TimeoutError{Err: context.DeadlineExceeded}
	}
	if err != nil || res.Body != nil {
		cancel()
	}
	return res, cancel, err
}

// Drain reads the rest of an answer Stream left open (a 2xx that is not a stream).
func Drain(res *Response, cancel context.CancelFunc) error {
	defer cancel()
	if res.Body != nil {
		return nil
	}
	defer res.Raw.Body.Close()
	data, err := io.ReadAll(res.Raw.Body)
	if err != nil {
		return transportError(res.Raw.Request.Context(), err)
	}
	res.Body = data
	return nil
}

// pageURL is a next page's URL the server named, if it is on the origin (scheme,
// host and port) of the server the call goes to.
// withoutParams drops from a next page's raw query the parameters the credentials are
// about to add (name=value pairs, as applied): a key the server echoed in the URL is
// replaced, never sent twice. The rest of the server's query stays as written.
func withoutParams(raw string, added []string) string {
	if raw == "" || len(added) == 0 {
		return raw
	}
	names := make(map[string]bool, len(added))
	for _, pair := range added {
		names[paramName(pair)] = true
	}
	kept := make([]string, 0, strings.Count(raw, "&")+1)
	for _, part := range strings.Split(raw, "&") {
		if !names[paramName(part)] {
			kept = append(kept, part)
		}
	}
	return strings.Join(kept, "&")
}

// paramName is the unescaped name of a raw "name=value" query part.
func paramName(part string) string {
	name, _, _ := strings.Cut(part, "=")
	if unescaped, err := url.QueryUnescape(name); err == nil {
		return unescaped
	}
	return name
}

func pageURL(base, page string) (*url.URL, error) {
	server, err := url.Parse(base)
	if err != nil {
		return nil, &apierrors.ConnectionError{Err: err}
	}
	target, err := server.Parse(page)
	if err != nil {
		return nil, &apierrors.PaginationError{Message: "the server named a next page that is not a URL"}
	}
	if origin(server) != origin(target) {
		return nil, &apierrors.PaginationError{
			Message: "the server named a next page on another origin (" + target.Scheme + "://" + target.Host +
				") than the configured server: not followed",
		}
	}
	return target, nil
}
