// Webhooks of the Go client generated from tests/specs/security.yaml: Standard
// Webhooks signatures (the published test vector, signatures computed here from the
// secret, deliveries signed in Python) and decoding into the generated event types.
package behaviour

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.com/guarded/models/components"
	"example.com/guarded/webhooks"
)

var secretKey = []byte("a 24-byte test secret!!!")
var secret = "whsec_" + base64.StdEncoding.EncodeToString(secretKey)

const paid = `{"type":"order.paid","data":{"id":"o1","amount":500}}`

// sign computes a v1 signature the way the scheme defines it.
func sign(key []byte, id string, stamp int64, body string) string {
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.%s", id, stamp, body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func delivery(id string, stamp int64, signature string) http.Header {
	h := http.Header{}
	h.Set("Webhook-Id", id)
	h.Set("Webhook-Timestamp", strconv.FormatInt(stamp, 10))
	h.Set("Webhook-Signature", signature)
	return h
}

func TestPublishedTestVector(t *testing.T) {
	// the Standard Webhooks / Svix example delivery
	h := delivery("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	at := webhooks.WithNow(func() time.Time { return time.Unix(1614265330, 0) })
	if err := webhooks.VerifySignature([]byte(`{"test": 2432232314}`), h, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", at); err != nil {
		t.Fatal(err)
	}
	err := webhooks.VerifySignature([]byte(`{"test": 2432232315}`), h, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", at)
	var bad *webhooks.SignatureError
	if !errors.As(err, &bad) {
		t.Errorf("a changed body verified: %v", err)
	}
}

func TestVerifyDecodesTheEvent(t *testing.T) {
	now := time.Now().Unix()
	event, err := webhooks.Verify([]byte(paid), delivery("msg_1", now, sign(secretKey, "msg_1", now, paid)), secret)
	if err != nil {
		t.Fatal(err)
	}
	if event.Type != components.WebhookEventTypeOrderPaid || event.OrderPaid == nil || event.OrderPaid.Data.ID != "o1" || event.OrderPaid.Data.Amount != 500 {
		t.Errorf("event: %+v", event)
	}
	refunded := `{"type":"order.refunded","data":{"id":"o2","amount":7}}`
	event, err = webhooks.Verify([]byte(refunded), delivery("msg_2", now, sign(secretKey, "msg_2", now, refunded)), secret)
	if err != nil || event.Type != components.WebhookEventTypeOrderRefunded || event.OrderRefunded.Data.Amount != 7 {
		t.Errorf("refunded: %+v %v", event, err)
	}
	// Parse decodes without a signature check
	event, err = webhooks.Parse([]byte(paid))
	if err != nil || event.OrderPaid == nil {
		t.Errorf("parse: %+v %v", event, err)
	}
}

func TestSignatureRules(t *testing.T) {
	now := time.Now().Unix()
	good := sign(secretKey, "msg_1", now, paid)
	var sigErr *webhooks.SignatureError
	var stampErr *webhooks.TimestampError

	// several signatures: any v1 one may match; other versions are skipped
	other := sign([]byte("another key"), "msg_1", now, paid)
	for _, list := range []string{other + " " + good, "v2," + good[3:] + " " + good, good + " v1,not-base64"} {
		if _, err := webhooks.Verify([]byte(paid), delivery("msg_1", now, list), secret); err != nil {
			t.Errorf("%q: %v", list, err)
		}
	}
	if _, err := webhooks.Verify([]byte(paid), delivery("msg_1", now, "v2,"+good[3:]), secret); !errors.As(err, &sigErr) {
		t.Errorf("only a v2 signature: %v", err)
	}
	// wrong secret, changed body, changed id, changed timestamp
	for name, err := range map[string]error{
		"secret": webhooks.VerifySignature([]byte(paid), delivery("msg_1", now, good), "whsec_"+base64.StdEncoding.EncodeToString([]byte("wrong"))),
		"body":   webhooks.VerifySignature([]byte(paid+" "), delivery("msg_1", now, good), secret),
		"id":     webhooks.VerifySignature([]byte(paid), delivery("msg_2", now, good), secret),
		"stamp":  webhooks.VerifySignature([]byte(paid), delivery("msg_1", now+1, good), secret),
	} {
		if !errors.As(err, &sigErr) {
			t.Errorf("%s: %v", name, err)
		} else if strings.Contains(err.Error(), good[3:]) || strings.Contains(err.Error(), secret[6:]) {
			t.Errorf("%s: the message shows a secret: %s", name, err)
		}
	}
	// a missing header is named
	h := delivery("msg_1", now, good)
	h.Del("Webhook-Id")
	if err := webhooks.VerifySignature([]byte(paid), h, secret); !errors.As(err, &sigErr) || !strings.Contains(err.Error(), "webhook-id") {
		t.Errorf("missing id: %v", err)
	}
	// headers as a plain map with lower-case names
	lower := http.Header{"webhook-id": {"msg_1"}, "webhook-timestamp": {strconv.FormatInt(now, 10)}, "webhook-signature": {good}}
	if err := webhooks.VerifySignature([]byte(paid), lower, secret); err != nil {
		t.Errorf("lower-case header names: %v", err)
	}
	// the tolerance window, both ways
	old := now - 301
	if err := webhooks.VerifySignature([]byte(paid), delivery("m", old, sign(secretKey, "m", old, paid)), secret); !errors.As(err, &stampErr) || !strings.Contains(err.Error(), "old") {
		t.Errorf("old delivery: %v", err)
	}
	future := now + 301
	if err := webhooks.VerifySignature([]byte(paid), delivery("m", future, sign(secretKey, "m", future, paid)), secret); !errors.As(err, &stampErr) || !strings.Contains(err.Error(), "future") {
		t.Errorf("future delivery: %v", err)
	}
	if err := webhooks.VerifySignature([]byte(paid), delivery("m", old, sign(secretKey, "m", old, paid)), secret, webhooks.WithTolerance(10*time.Minute)); err != nil {
		t.Errorf("wider tolerance: %v", err)
	}
	// a signed timestamp that is not a Unix time
	h = delivery("m", 0, "")
	h.Set("Webhook-Timestamp", "12a")
	mac := hmac.New(sha256.New, secretKey)
	fmt.Fprintf(mac, "m.12a.%s", paid)
	h.Set("Webhook-Signature", "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	if err := webhooks.VerifySignature([]byte(paid), h, secret); !errors.As(err, &stampErr) {
		t.Errorf("non-numeric timestamp: %v", err)
	}
	// a secret without whsec_ is its UTF-8 bytes; a bad whsec_ secret is an error
	raw := "plain dashboard secret"
	if err := webhooks.VerifySignature([]byte(paid), delivery("m", now, sign([]byte(raw), "m", now, paid)), raw); err != nil {
		t.Errorf("plain secret: %v", err)
	}
	if err := webhooks.VerifySignature([]byte(paid), delivery("m", now, good), "whsec_!!!"); err == nil || strings.Contains(err.Error(), "!!!") {
		t.Errorf("bad whsec_ secret: %v", err)
	}
}

func TestUnknownEventsAndBadPayloads(t *testing.T) {
	now := time.Now().Unix()
	shipped := `{"type":"order.shipped","data":{"carrier":"x"}}`
	h := delivery("m", now, sign(secretKey, "m", now, shipped))
	event, err := webhooks.Verify([]byte(shipped), h, secret)
	if err != nil || event.Type != components.WebhookEventTypeUnknown || string(event.Unknown) != shipped {
		t.Errorf("unknown event kept: %+v %v", event, err)
	}
	_, err = webhooks.Verify([]byte(shipped), h, secret, webhooks.DisallowUnknown())
	var unknown *webhooks.UnknownEventError
	if !errors.As(err, &unknown) || unknown.EventType != "order.shipped" {
		t.Errorf("disallowed unknown event: %v", err)
	}
	var payloadErr *webhooks.PayloadError
	for _, body := range []string{`{"type":"order.paid","data":{"id":"o1"}}`, `not json`} {
		_, err = webhooks.Verify([]byte(body), delivery("m", now, sign(secretKey, "m", now, body)), secret)
		if !errors.As(err, &payloadErr) {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// Deliveries signed by the Python side (SDKGEN_PY_DELIVERIES) verify here; this side
// signs deliveries for Python to verify (SDKGEN_GO_DELIVERIES).
type crossDelivery struct {
	Secret  string            `json:"secret"`
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers"`
	Type    string            `json:"type"`
}

func TestCrossCheckWithPython(t *testing.T) {
	in, out := os.Getenv("SDKGEN_PY_DELIVERIES"), os.Getenv("SDKGEN_GO_DELIVERIES")
	if in == "" || out == "" {
		t.Skip("run by tests/test_go_security.py, which signs deliveries in Python")
	}
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	var deliveries []crossDelivery
	if err := json.Unmarshal(data, &deliveries); err != nil {
		t.Fatal(err)
	}
	if len(deliveries) == 0 {
		t.Fatal("no deliveries")
	}
	for _, d := range deliveries {
		h := http.Header{}
		for k, v := range d.Headers {
			h.Set(k, v)
		}
		event, err := webhooks.Verify([]byte(d.Body), h, d.Secret)
		if err != nil {
			t.Errorf("a delivery signed in Python does not verify: %v", err)
			continue
		}
		decoded := map[string]bool{"order.paid": event.OrderPaid != nil, "order.refunded": event.OrderRefunded != nil}
		if !decoded[d.Type] || event.Type == components.WebhookEventTypeUnknown {
			t.Errorf("%s decoded as %q", d.Type, event.Type)
		}
	}
	now := time.Now().Unix()
	mine := []crossDelivery{}
	for i, body := range []string{paid, `{"type":"order.refunded","data":{"id":"é ü","amount":1}}`} {
		id := fmt.Sprintf("msg_go_%d", i)
		mine = append(mine, crossDelivery{Secret: secret, Body: body, Headers: map[string]string{
			"webhook-id": id, "webhook-timestamp": strconv.FormatInt(now, 10), "webhook-signature": sign(secretKey, id, now, body),
		}})
	}
	encoded, _ := json.Marshal(mine)
	if err := os.WriteFile(out, encoded, 0o600); err != nil {
		t.Fatal(err)
	}
}
