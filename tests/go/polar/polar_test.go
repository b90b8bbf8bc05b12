// Go tests of a module generated from one of Polar's specs (tests/test_go_target.py
// copies this file into the module's root and runs `go test` there, for each of the
// three specs): the customers list walked by its iterator, PATCH semantics of a
// customer update (unset left out, NullFields sent as null), and the typed 404 and
// 422 errors with their documented bodies, against an httptest server.
//
// SDKGEN_POLAR_FIXTURES names a JSON file the Python test writes from the spec's own
// examples (or placeholders valid for their types): two list pages, a customer, and
// the ids the pages hold, so the same file serves every version of the spec.
package polargo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/apierrors"
	"github.com/polarsource/polar-go/models/components"
	"github.com/polarsource/polar-go/models/operations"
)

type fixtures struct {
	Page1    json.RawMessage `json:"page1"`
	Page2    json.RawMessage `json:"page2"`
	Customer json.RawMessage `json:"customer"`
	IDs      []string        `json:"ids"`
}

func load(t *testing.T) fixtures {
	t.Helper()
	data, err := os.ReadFile(os.Getenv("SDKGEN_POLAR_FIXTURES"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixtures
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// idOf reads "id" back from any decoded value (a customer is a union in newer specs).
func idOf(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out.ID
}

type seen struct {
	method, path, query, auth, body string
}

func serve(t *testing.T, answer func(r seen) (int, string)) (*polargo.SDK, *[]seen) {
	t.Helper()
	var requests []seen
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got := seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), string(body)}
		requests = append(requests, got)
		status, text := answer(got)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, text)
	}))
	t.Cleanup(server.Close)
	s := polargo.New(polargo.WithServerURL(server.URL), polargo.WithSecurity("polar_oat_test"))
	return s, &requests
}

func TestListWalksEveryPageWithTheIterator(t *testing.T) {
	f := load(t)
	s, requests := serve(t, func(r seen) (int, string) {
		switch r.query {
		case "page=1&limit=2":
			return 200, string(f.Page1)
		case "page=2&limit=2":
			return 200, string(f.Page2)
		}
		return 404, `{"error":"ResourceNotFound","detail":"no page"}`
	})
	it := s.Customers.ListIter(context.Background(), operations.CustomersListRequest{Limit: polargo.Int64(2)})
	var ids []string
	for it.Next() {
		ids = append(ids, idOf(t, it.Item()))
	}
	if err := it.Err(); err != nil {
		t.Fatalf("after %v: %v", ids, err)
	}
	if fmt.Sprint(ids) != fmt.Sprint(f.IDs) || len(*requests) != 2 {
		t.Fatalf("ids %v, want %v; requests %v", ids, f.IDs, *requests)
	}
	for _, r := range *requests {
		if r.method != "GET" || r.path != "/v1/customers/" || r.auth != "Bearer polar_oat_test" {
			t.Fatalf("request %+v", r)
		}
	}
}

func TestUpdateSendsSetFieldsAndNullFieldsOnly(t *testing.T) {
	f := load(t)
	s, requests := serve(t, func(r seen) (int, string) { return 200, string(f.Customer) })
	ctx := context.Background()
	updates := []components.CustomerUpdate{
		{},
		{Name: polargo.String("Jane")},
		{Email: polargo.String("jane@example.com"), NullFields: []string{"Name"}},
	}
	for _, update := range updates {
		res, err := s.Customers.Update(ctx, "cus_1", update)
		if err != nil {
			t.Fatal(err)
		}
		if res.Customer == nil || idOf(t, res.Customer) != f.IDs[0] {
			t.Fatalf("customer %+v", res.Customer)
		}
	}
	var bodies []string
	for _, r := range *requests {
		if r.method != "PATCH" || r.path != "/v1/customers/cus_1" {
			t.Fatalf("request %+v", r)
		}
		bodies = append(bodies, r.body)
	}
	want := `{} | {"name":"Jane"} | {"email":"jane@example.com","name":null}`
	if strings.Join(bodies, " | ") != want {
		t.Fatalf("bodies %s\nwant   %s", strings.Join(bodies, " | "), want)
	}
}

func TestTypedNotFoundAndValidationErrors(t *testing.T) {
	s, _ := serve(t, func(r seen) (int, string) {
		if r.method == "GET" {
			return 404, `{"error":"ResourceNotFound","detail":"Customer not found"}`
		}
		return 422, `{"detail":[{"loc":["body","email"],"msg":"value is not a valid email address","type":"value_error"}]}`
	})
	ctx := context.Background()
	_, err := s.Customers.Get(ctx, "missing")
	var notFound *apierrors.NotFoundError
	if !errors.As(err, &notFound) || notFound.StatusCode != 404 {
		t.Fatalf("404: %T %v", err, err)
	}
	if body, ok := notFound.Body.(*components.ResourceNotFound); !ok || body.Detail != "Customer not found" {
		t.Fatalf("404 body %#v", notFound.Body)
	}
	_, err = s.Customers.Update(ctx, "cus_1", components.CustomerUpdate{Email: polargo.String("nope")})
	var invalid *apierrors.UnprocessableEntityError
	if !errors.As(err, &invalid) {
		t.Fatalf("422: %T %v", err, err)
	}
	body, ok := invalid.Body.(*components.HTTPValidationError)
	if !ok || len(body.Detail) != 1 || body.Detail[0].Msg != "value is not a valid email address" {
		t.Fatalf("422 body %#v", invalid.Body)
	}
	var apiErr *apierrors.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 {
		t.Fatalf("422 as APIError: %v", err)
	}
}
