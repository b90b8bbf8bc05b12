// Package webhooks verifies and decodes the webhook deliveries of the API:
// the Standard Webhooks signature scheme (https://www.standardwebhooks.com), as
// the Python client checks it.
//
// A delivery carries three headers: webhook-id, webhook-timestamp (Unix seconds)
// and webhook-signature, a space-separated list of "v1,<base64>" signatures (other
// versions are skipped). Each v1 signature is HMAC-SHA256 over
// "<id>.<timestamp>.<raw body>", keyed with the secret.
package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far a delivery's timestamp may be from now (either way).
const DefaultTolerance = 5 * time.Minute

const secretPrefix = "whsec_"

// SignatureError: a signature header is missing or no v1 signature matches.
type SignatureError struct{ Reason string }

func (e *SignatureError) Error() string { return "webhook signature: " + e.Reason }

// TimestampError: the webhook-timestamp is not a Unix time, or is outside the tolerance.
type TimestampError struct{ Reason string }

func (e *TimestampError) Error() string { return "webhook timestamp: " + e.Reason }

// PayloadError: a (verified) payload is not JSON or does not fit its documented type.
type PayloadError struct{ Err error }

func (e *PayloadError) Error() string {
	return "the webhook payload does not match its documented type: " + e.Err.Error()
}
func (e *PayloadError) Unwrap() error { return e.Err }

// UnknownEventError: an event type this client does not know (with DisallowUnknown).
type UnknownEventError struct {
	EventType string
	Payload   []byte
}

func (e *UnknownEventError) Error() string {
	kind := e.EventType
	if len(kind) > 80 {
		kind = kind[:80]
	}
	return fmt.Sprintf("unknown webhook event type %q", kind)
}

// Options change how a delivery is checked (see the Option functions).
type Options struct {
	Tolerance       time.Duration
	Now             func() time.Time
	DisallowUnknown bool
}

// Option changes one setting of Verify.
type Option func(*Options)

// WithTolerance sets how far the timestamp may be from now (default 5 minutes).
func WithTolerance(tolerance time.Duration) Option {
	return func(o *Options) { o.Tolerance = tolerance }
}

// WithNow sets the clock the timestamp is compared with (for tests and replays).
func WithNow(now func() time.Time) Option {
	return func(o *Options) { o.Now = now }
}

// DisallowUnknown makes an event of a type this client does not know an
// *UnknownEventError instead of a value with only Unknown set.
func DisallowUnknown() Option {
	return func(o *Options) { o.DisallowUnknown = true }
}

func apply(opts []Option) Options {
	o := Options{Tolerance: DefaultTolerance, Now: time.Now}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// SecretKey is the HMAC key of a webhook secret: "whsec_<base64>" (the Standard
// Webhooks form) is the base64-decoded rest; any other string is its UTF-8 bytes
// (the way Polar's own SDKs use the secret its dashboard shows).
func SecretKey(secret string) ([]byte, error) {
	key := []byte(secret)
	if strings.HasPrefix(secret, secretPrefix) {
		decoded, err := base64.StdEncoding.DecodeString(secret[len(secretPrefix):])
		if err != nil {
			return nil, errors.New("the webhook secret after `whsec_` is not valid base64")
		}
		key = decoded
	}
	if len(key) == 0 {
		return nil, errors.New("the webhook secret is empty")
	}
	return key, nil
}

// header finds a header whatever its spelling (an http.Header built by hand may
// hold "webhook-id" rather than the canonical "Webhook-Id").
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, values := range h {
		if strings.EqualFold(k, name) && len(values) > 0 {
			return values[0]
		}
	}
	return ""
}

// VerifySignature checks a delivery's signature and timestamp with the secret
// (see SecretKey). Signatures are compared in constant time; neither the secret
// nor the expected signature appears in an error.
func VerifySignature(body []byte, h http.Header, secret string, opts ...Option) error {
	key, err := SecretKey(secret)
	if err != nil {
		return err
	}
	return VerifySignatureKey(body, h, key, opts...)
}

// VerifySignatureKey is VerifySignature with the raw HMAC key.
func VerifySignatureKey(body []byte, h http.Header, key []byte, opts ...Option) error {
	o := apply(opts)
	if len(key) == 0 {
		return errors.New("the webhook secret is empty")
	}
	id, stamp, signatures := header(h, "webhook-id"), header(h, "webhook-timestamp"), header(h, "webhook-signature")
	var missing []string
	for _, x := range [][2]string{{"webhook-id", id}, {"webhook-timestamp", stamp}, {"webhook-signature", signatures}} {
		if x[1] == "" {
			missing = append(missing, x[0])
		}
	}
	if len(missing) > 0 {
		return &SignatureError{"the delivery has no " + strings.Join(missing, ", ") + " header"}
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + stamp + "."))
	mac.Write(body)
	expected := []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	matched := 0
	for _, entry := range strings.Fields(signatures) {
		version, signature, _ := strings.Cut(entry, ",")
		if version == "v1" {
			// no early exit: the time taken does not depend on which one matched
			matched |= subtle.ConstantTimeCompare([]byte(signature), expected)
		}
	}
	if matched != 1 {
		return &SignatureError{"no v1 signature of the delivery matches the secret"}
	}
	shown := stamp
	if len(shown) > 40 {
		shown = shown[:40]
	}
	for i := 0; i < len(stamp); i++ {
		if stamp[i] < '0' || stamp[i] > '9' {
			return &TimestampError{fmt.Sprintf("the webhook-timestamp header is not a Unix time: %q", shown)}
		}
	}
	seconds, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil || seconds > 1<<40 {
		return &TimestampError{fmt.Sprintf("the webhook-timestamp header is not a Unix time: %q", shown)}
	}
	age := o.Now().Sub(time.Unix(seconds, 0))
	if age > o.Tolerance {
		return &TimestampError{fmt.Sprintf("the delivery is %.0f s old (tolerance %.0f s)", age.Seconds(), o.Tolerance.Seconds())}
	}
	if -age > o.Tolerance {
		return &TimestampError{fmt.Sprintf("the delivery is %.0f s in the future (tolerance %.0f s)", -age.Seconds(), o.Tolerance.Seconds())}
	}
	return nil
}
