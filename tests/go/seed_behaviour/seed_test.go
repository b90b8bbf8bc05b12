// Behaviour of the Go client generated from specs/customers-update.yaml, against
// local httptest servers: decoding, PATCH semantics, errors, retries, timeouts,
// open enums and unknown union variants.
package behaviour

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/apierrors"
	"github.com/polarsource/polar-go/models/components"
	"github.com/polarsource/polar-go/models/operations"
	"github.com/polarsource/polar-go/retry"
)

type seen struct {
	method string
	uri    string
	header http.Header
	body   string
}

// serve answers each request with the next (status, headers, body) and records requests.
func serve(t *testing.T, answers ...func(w http.ResponseWriter)) (*httptest.Server, *[]seen) {
	t.Helper()
	var got []seen
	var n int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = append(got, seen{r.Method, r.RequestURI, r.Header.Clone(), string(body)})
		i := int(atomic.AddInt32(&n, 1)) - 1
		if i >= len(answers) {
			i = len(answers) - 1
		}
		answers[i](w)
	}))
	t.Cleanup(server.Close)
	return server, &got
}

func answer(status int, body string, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func seedCustomer(t *testing.T) string {
	data, err := os.ReadFile(os.Getenv("SDKGEN_SEED_CUSTOMER"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func client(server *httptest.Server, opts ...polargo.SDKOption) *polargo.SDK {
	return polargo.New(append([]polargo.SDKOption{polargo.WithSecurity("polar_oat_test"), polargo.WithServerURL(server.URL)}, opts...)...)
}

const customerID = "992fae2a-2a17-4b7a-8d9e-e287cf90131b"

func TestSeedCustomerDecodesEveryField(t *testing.T) {
	server, _ := serve(t, answer(200, seedCustomer(t)))
	res, err := client(server).Customers.Update(context.Background(), customerID, components.CustomerUpdate{})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Customer
	stamp := time.Date(2023, 11, 7, 5, 31, 56, 0, time.UTC)
	if c.ID != customerID || !c.CreatedAt.Equal(stamp) || c.ModifiedAt == nil || !c.ModifiedAt.Equal(stamp) {
		t.Fatalf("id/timestamps: %+v", c)
	}
	if len(c.Metadata) != 0 || c.Metadata == nil {
		t.Fatalf("metadata: %#v", c.Metadata)
	}
	if *c.ExternalID != "usr_1337" || c.Email != "customer@example.com" || !c.EmailVerified || *c.Name != "John Doe" {
		t.Fatalf("strings: %+v", c)
	}
	a := c.BillingAddress
	if *a.Line1 != "<string>" || *a.Line2 != "<string>" || *a.PostalCode != "<string>" || *a.City != "<string>" ||
		*a.State != "<string>" || a.Country != "US" {
		t.Fatalf("address: %+v", a)
	}
	if len(c.TaxID) != 2 || c.TaxID[0].Type != components.CustomerTaxIDTypeStr || *c.TaxID[0].Str != "911144442" ||
		c.TaxID[1].Type != components.CustomerTaxIDTypeTaxIDFormat || *c.TaxID[1].TaxIDFormat != components.TaxIDFormatUsEin {
		t.Fatalf("tax_id: %+v %+v", c.TaxID[0], c.TaxID[1])
	}
	if c.OrganizationID != "1dbfc517-0bbf-4301-9ba8-555ca42b9737" || c.DeletedAt == nil || !c.DeletedAt.Equal(stamp) ||
		c.AvatarURL != "https://www.gravatar.com/avatar/xxx?d=blank" {
		t.Fatalf("rest: %+v", c)
	}
	if res.HTTPMeta.Response.StatusCode != 200 {
		t.Fatal("HTTPMeta")
	}
	// and back: the decoded customer encodes to the same JSON
	again, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var want, have any
	_ = json.Unmarshal([]byte(seedCustomer(t)), &want)
	_ = json.Unmarshal(again, &have)
	if !reflect.DeepEqual(want, have) {
		t.Fatalf("round trip:\n%s", again)
	}
}

// An id that is empty, "." or ".." would address another endpoint ("/v1/customers/" is
// another route, "/v1/customers/.." is "/v1"): refused before anything is sent, as the
// Python client refuses it. "..." is no dot segment: sent, as it is.
func TestDotAndEmptyPathParametersAreRefused(t *testing.T) {
	server, got := serve(t, answer(200, seedCustomer(t)))
	for _, id := range []string{"", ".", ".."} {
		_, err := client(server).Customers.Update(context.Background(), id, components.CustomerUpdate{})
		if err == nil || !strings.Contains(err.Error(), "a path parameter cannot be") {
			t.Fatalf("%q: %v", id, err)
		}
	}
	if len(*got) != 0 {
		t.Fatalf("sent: %+v", *got)
	}
	if _, err := client(server).Customers.Update(context.Background(), "...", components.CustomerUpdate{}); err != nil {
		t.Fatal(err)
	}
	if len(*got) != 1 || (*got)[0].uri != "/v1/customers/..." {
		t.Fatalf("sent: %+v", *got)
	}
}

func TestPatchUnsetIsOmittedAndNullFieldsAreSentAsNull(t *testing.T) {
	server, got := serve(t, answer(200, seedCustomer(t)))
	s := client(server)
	ctx := context.Background()
	bodies := []components.CustomerUpdate{
		{},
		{NullFields: []string{"Name", "TaxID"}},
		{Name: polargo.String(""), TaxID: []*components.CustomerUpdateTaxID{}},
		{Metadata: map[string]components.CustomerUpdateMetadata{"n": components.CreateCustomerUpdateMetadataInteger(3)}},
	}
	for _, body := range bodies {
		if _, err := s.Customers.Update(ctx, customerID, body); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{`{}`, `{"name":null,"tax_id":null}`, `{"name":"","tax_id":[]}`, `{"metadata":{"n":3}}`}
	for i, w := range want {
		if (*got)[i].body != w {
			t.Errorf("body %d: got %s, want %s", i, (*got)[i].body, w)
		}
	}
}

func TestErrorsAreTypedWithTheParsedBody(t *testing.T) {
	server, _ := serve(t,
		answer(404, `{"error":"ResourceNotFound","detail":"Customer not found"}`),
		answer(422, `{"detail":[{"loc":["body","tax_id",1],"msg":"Invalid tax ID format","type":"value_error"}]}`),
		answer(500, `{"detail":"nope"}`),
		answer(200, `{"id": 1}`),
		answer(200, `{"id": "x"}`),
	)
	s := client(server)
	ctx := context.Background()

	_, err := s.Customers.Update(ctx, customerID, components.CustomerUpdate{})
	var notFound *apierrors.NotFoundError
	if !errors.As(err, &notFound) || notFound.StatusCode != 404 {
		t.Fatalf("404: %T %v", err, err)
	}
	body, ok := notFound.Body.(*components.ResourceNotFound)
	if !ok || body.Detail != "Customer not found" || body.GetError() != "ResourceNotFound" {
		t.Fatalf("404 body: %#v", notFound.Body)
	}

	_, err = s.Customers.Update(ctx, customerID, components.CustomerUpdate{})
	var invalid *apierrors.UnprocessableEntityError
	if !errors.As(err, &invalid) {
		t.Fatalf("422: %T", err)
	}
	detail := invalid.Body.(*components.HTTPValidationError).Detail[0]
	if detail.Msg != "Invalid tax ID format" || *detail.Loc[0].Str != "body" || *detail.Loc[2].Integer != 1 {
		t.Fatalf("422 body: %+v", detail)
	}

	_, err = s.Customers.Update(ctx, customerID, components.CustomerUpdate{})
	var server500 *apierrors.InternalServerError
	var apiErr *apierrors.APIError
	if !errors.As(err, &server500) || !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Fatalf("500: %T %v", err, err)
	}
	if m, ok := server500.Body.(map[string]any); !ok || m["detail"] != "nope" {
		t.Fatalf("500 body: %#v", server500.Body)
	}

	_, err = s.Customers.Update(ctx, customerID, components.CustomerUpdate{})
	var validation *apierrors.ResponseValidationError
	if !errors.As(err, &validation) {
		t.Fatalf("bad 2xx body: %T %v", err, err)
	}

	// a required key missing from a 2xx body is a ResponseValidationError too
	_, err = s.Customers.Update(ctx, customerID, components.CustomerUpdate{})
	if !errors.As(err, &validation) || !strings.Contains(err.Error(), `"created_at"`) {
		t.Fatalf("missing required key: %T %v", err, err)
	}
}

func fastRetries(n int) retry.Config {
	c := retry.WithMaxRetries(n)
	c.InitialInterval, c.MaxInterval = time.Millisecond, 5*time.Millisecond
	return c
}

func TestRetriesAreOptInAndHonourRetryAfter(t *testing.T) {
	// no retry configuration: a 503 is returned at once
	server, got := serve(t, answer(503, `{}`), answer(200, seedCustomer(t)))
	_, err := client(server).Customers.Update(context.Background(), customerID, components.CustomerUpdate{})
	var unavailable *apierrors.InternalServerError
	if !errors.As(err, &unavailable) || len(*got) != 1 {
		t.Fatalf("without retries: %v after %d requests", err, len(*got))
	}

	// PATCH is resent on 429 and on a Retry-After; the wait follows Retry-After
	server, got = serve(t, answer(429, `{}`), answer(503, `{}`, "Retry-After", "1"), answer(200, seedCustomer(t)))
	started := time.Now()
	res, err := client(server, polargo.WithRetryConfig(fastRetries(3))).Customers.Update(
		context.Background(), customerID, components.CustomerUpdate{})
	if err != nil || res.Customer == nil || len(*got) != 3 {
		t.Fatalf("with retries: %v after %d requests", err, len(*got))
	}
	if waited := time.Since(started); waited < 900*time.Millisecond {
		t.Fatalf("Retry-After: 1 was not honoured (%v)", waited)
	}

	// a 502 without Retry-After: the server may have acted on the PATCH, no retry
	server, got = serve(t, answer(502, `{}`), answer(200, seedCustomer(t)))
	_, err = client(server, polargo.WithRetryConfig(fastRetries(3))).Customers.Update(
		context.Background(), customerID, components.CustomerUpdate{})
	if err == nil || len(*got) != 1 {
		t.Fatalf("502 PATCH: %v after %d requests", err, len(*got))
	}

	// per call: operations.WithRetries
	server, got = serve(t, answer(429, `{}`), answer(200, seedCustomer(t)))
	_, err = client(server).Customers.Update(context.Background(), customerID, components.CustomerUpdate{},
		operations.WithRetries(fastRetries(1)))
	if err != nil || len(*got) != 2 {
		t.Fatalf("per-call retries: %v after %d requests", err, len(*got))
	}
}

func TestTimeoutsAndConnectionErrorsAreTyped(t *testing.T) {
	slow := func(w http.ResponseWriter) { time.Sleep(300 * time.Millisecond); answer(200, "{}")(w) }
	server, _ := serve(t, slow)
	_, err := client(server, polargo.WithTimeout(50*time.Millisecond)).Customers.Update(
		context.Background(), customerID, components.CustomerUpdate{})
	var timeout *apierrors.TimeoutError
	if !errors.As(err, &timeout) {
		t.Fatalf("timeout: %T %v", err, err)
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	_, err = client(closed).Customers.Update(context.Background(), customerID, components.CustomerUpdate{})
	var conn *apierrors.ConnectionError
	if !errors.As(err, &conn) {
		t.Fatalf("connection refused: %T %v", err, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	server, _ = serve(t, answer(200, "{}"))
	if _, err = client(server).Customers.Update(ctx, customerID, components.CustomerUpdate{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}

func TestUnknownEnumValuesAndUnionVariantsAreKept(t *testing.T) {
	var c components.Customer
	data := `{"id":"x","created_at":"2023-11-07T05:31:56Z","modified_at":null,"metadata":{"k":{"nested":true}},` +
		`"external_id":null,"email":"e","email_verified":false,"name":null,"billing_address":null,` +
		`"tax_id":["123","xx_new"],"organization_id":"o","deleted_at":null,"avatar_url":"a"}`
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		t.Fatal(err)
	}
	if c.Metadata["k"].Type != components.CustomerMetadataTypeUnknown || string(c.Metadata["k"].Unknown) != `{"nested":true}` {
		t.Fatalf("unknown union variant: %+v", c.Metadata["k"])
	}
	// a tuple is decoded by position: its second item is a TaxIDFormat, known or not
	if c.TaxID[0].Type != components.CustomerTaxIDTypeStr || *c.TaxID[0].Str != "123" ||
		c.TaxID[1].Type != components.CustomerTaxIDTypeTaxIDFormat || *c.TaxID[1].TaxIDFormat != "xx_new" ||
		c.TaxID[1].TaxIDFormat.IsKnown() {
		t.Fatalf("unknown tax id format: %+v", c.TaxID[1])
	}
	format := components.TaxIDFormat("xx_new")
	if format.IsKnown() || !components.TaxIDFormatEuVat.IsKnown() {
		t.Fatal("IsKnown")
	}
	var decoded components.TaxIDFormat
	if err := json.Unmarshal([]byte(`"xx_new"`), &decoded); err != nil || decoded != format {
		t.Fatalf("open enum: %v %q", err, decoded)
	}
	again, _ := json.Marshal(c)
	if !json.Valid(again) || !containsAll(string(again), `"k":{"nested":true}`, `"tax_id":["123","xx_new"]`, `"modified_at":null`) {
		t.Fatalf("re-encoded: %s", again)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		found := false
		for i := 0; i+len(p) <= len(s); i++ {
			if s[i:i+len(p)] == p {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func TestServersAndDefaultTransport(t *testing.T) {
	if polargo.ServerList[polargo.ServerProduction] != "https://api.polar.sh" ||
		polargo.ServerList[polargo.ServerSandbox] != "https://sandbox-api.polar.sh" {
		t.Fatal(polargo.ServerList)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("an unknown server name must panic")
		}
	}()
	polargo.New(polargo.WithServer("nowhere"))
}
