// Values the Go client cannot send as tests/go/refusals/refusals.yaml asks: an item of a
// spaceDelimited or pipeDelimited list holding the separator itself is written the same
// as the separator (%20, %7C, no escape), and a header list's item holding a comma cannot
// be escaped at all (a header value is never percent-decoded): the server would split
// them apart. The call returns an error before anything is sent; other items go as
// before. The same as tests/test_wire_styles.py's Python checks.
package refusals

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "example.com/refusals"
	"example.com/refusals/models/components"
	"example.com/refusals/models/operations"
)

type seen struct{ uri, body, tags string }

func server(t *testing.T) (*sdk.SDK, *[]seen) {
	t.Helper()
	var got []seen
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = append(got, seen{r.RequestURI, string(body), r.Header.Get("X-Tags")})
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(s.Close)
	return sdk.New(sdk.WithServerURL(s.URL)), &got
}

func TestDelimitedItemsHoldingTheirSeparatorAreRefused(t *testing.T) {
	client, got := server(t)
	ctx := context.Background()
	refused := []operations.RefusalsSearchRequest{
		{Tags: []string{"a", "b|c"}},
		{Words: []string{"x y"}},
		{XTags: []string{"a", "b,c"}},
	}
	for _, request := range refused {
		_, err := client.Refusals.Search(ctx, request)
		if err == nil || !strings.Contains(err.Error(), "escape") {
			t.Fatalf("%+v: %v", request, err)
		}
	}
	_, err := client.Refusals.PostForm(ctx, components.RefusalsPostFormBody{Words: []string{"x y"}})
	if err == nil || !strings.Contains(err.Error(), "spaceDelimited") {
		t.Fatalf("form: %v", err)
	}
	if len(*got) != 0 {
		t.Fatalf("sent: %+v", *got)
	}
	if _, err := client.Refusals.Search(ctx, operations.RefusalsSearchRequest{Tags: []string{"a", "b,c"}, Words: []string{"x", "y|z"}, XTags: []string{"a b", "c|d"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Refusals.PostForm(ctx, components.RefusalsPostFormBody{Words: []string{"x", "y"}}); err != nil {
		t.Fatal(err)
	}
	want := []seen{{"/search?tags=a%7Cb%2Cc&words=x%20y%7Cz", "", "a b,c|d"}, {"/form", "words=x+y", ""}}
	if len(*got) != 2 || (*got)[0] != want[0] || (*got)[1] != want[1] {
		t.Fatalf("sent: %+v", *got)
	}
}
