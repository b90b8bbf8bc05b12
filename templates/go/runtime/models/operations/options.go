package operations

import (
	"net/http"
	"time"

	"sdkgen.invalid/module/retry"
)

// Options are the per-call settings an Option changes.
type Options struct {
	Retries   *retry.Config
	Timeout   *time.Duration
	ServerURL string
	Header    http.Header
	PageURL   string
}

// Option changes the settings of one call.
type Option func(*Options)

// WithRetries retries this call as the configuration says.
func WithRetries(config retry.Config) Option {
	return func(o *Options) { o.Retries = &config }
}

// WithTimeout bounds this call (every attempt and every wait between them).
func WithTimeout(timeout time.Duration) Option {
	return func(o *Options) { o.Timeout = &timeout }
}

// WithServerURL sends this call to another base URL.
func WithServerURL(url string) Option {
	return func(o *Options) { o.ServerURL = url }
}

// WithHeader adds a header to this call (it replaces a default of the same name).
func WithHeader(name, value string) Option {
	return func(o *Options) {
		if o.Header == nil {
			o.Header = http.Header{}
		}
		o.Header.Set(name, value)
	}
}

// WithPageURL sends this call to the next page's URL the server named (the `...Iter`
// methods of listings paginated by next URLs or Link headers use it). The URL must be
// on the origin of the server the call goes to, else the call fails before sending
// with *apierrors.PaginationError; its query replaces the call's. "" changes nothing.
func WithPageURL(url string) Option {
	return func(o *Options) { o.PageURL = url }
}

// Apply folds a list of options into one Options value.
func Apply(opts []Option) Options {
	var o Options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}
