// Package retry configures opt-in retries: exponential backoff with jitter on
// 429, 502, 503 and 504 answers and on connection errors, honouring the
// server's Retry-After (or retry-after-ms) header.
package retry

import "time"

// Config says when and how long to retry. The delay before retry n (0-based) is
// InitialInterval * 2^n capped at MaxInterval, reduced by up to Jitter (a
// fraction) at random, unless the server sent Retry-After / retry-after-ms,
// which wins (capped at MaxRetryAfter).
//
// Idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, QUERY) are retried on
// the statuses and on connection errors and timeouts. POST and PATCH are only
// retried when the server cannot have acted on the request: the connection was
// never made, or the server answered 429 or sent Retry-After. Set
// RetryNonIdempotent to retry them like the others.
type Config struct {
	MaxRetries            int
	InitialInterval       time.Duration
	MaxInterval           time.Duration
	Jitter                float64
	Statuses              []int
	RetryConnectionErrors bool
	MaxRetryAfter         time.Duration
	RetryNonIdempotent    bool
}

// Default is the configuration `WithRetries(n)`-style callers usually want:
// two retries, 0.5 s doubling up to 8 s, 25% jitter.
func Default() Config {
	return Config{
		MaxRetries:            2,
		InitialInterval:       500 * time.Millisecond,
		MaxInterval:           8 * time.Second,
		Jitter:                0.25,
		Statuses:              []int{429, 502, 503, 504},
		RetryConnectionErrors: true,
		MaxRetryAfter:         60 * time.Second,
	}
}

// WithMaxRetries is Default() with another number of retries.
func WithMaxRetries(n int) Config {
	c := Default()
	c.MaxRetries = n
	return c
}
