// Behaviour of the Go iterators generated from the shapes spec of
// tests/test_pagination_shapes.py (a pyproject go job with a pagination override)
// against an httptest server: Azure's {value, nextLink} with a page without `value`
// (nothing yielded, the next link followed), Google's pageToken/nextPageToken ending on
// `{}`, and eBay's next URL wired by the override.
package behaviour

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	shapes "example.com/shapes"
	"example.com/shapes/models/components"
	"example.com/shapes/models/operations"
	"example.com/shapes/pagination"
)

// serve answers by path and raw query and records them in order.
func serve(t *testing.T, answers func(base string) map[string]string) (*shapes.SDK, *[]string) {
	t.Helper()
	var seen []string
	var base string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path + "?" + r.URL.RawQuery
		seen = append(seen, key)
		body, ok := answers(base)[key]
		if !ok {
			w.WriteHeader(404)
			fmt.Fprint(w, `{"detail":"no such page"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	base = server.URL
	t.Cleanup(server.Close)
	return shapes.New(shapes.WithServerURL(server.URL)), &seen
}

func walk(t *testing.T, it *pagination.Iterator[components.Thing], seen *[]string, items, requests string) {
	t.Helper()
	var got []string
	for it.Next() {
		got = append(got, it.Item().ID)
	}
	if err := it.Err(); err != nil {
		t.Fatalf("after %v: %v", got, err)
	}
	if strings.Join(got, " ") != items || strings.Join(*seen, " ") != requests {
		t.Fatalf("items %v, requests %v; want %s, %s", got, *seen, items, requests)
	}
}

func TestAzurePageWithoutValueIsEmptyNotTheEnd(t *testing.T) {
	s, seen := serve(t, func(base string) map[string]string {
		return map[string]string{
			"/azure?api-version=1":        `{"value":[{"id":"a"}],"nextLink":"` + base + `/azure?api-version=1&page=2"}`,
			"/azure?api-version=1&page=2": `{"nextLink":"/azure?page=3"}`,
			"/azure?page=3":               `{"value":[{"id":"c"}]}`,
		}
	})
	version := "1"
	it := s.Things.ThingsListIter(context.Background(), operations.ThingsThingsListRequest{APIVersion: &version})
	walk(t, it, seen, "a c", "/azure?api-version=1 /azure?api-version=1&page=2 /azure?page=3")
}

func TestGoogleTokensUntilAnEmptyAnswer(t *testing.T) {
	s, seen := serve(t, func(string) map[string]string {
		return map[string]string{
			"/google?pageSize=1":              `{"things":[{"id":"g1"}],"nextPageToken":"t2","unreachable":[]}`,
			"/google?pageToken=t2&pageSize=1": `{"things":[{"id":"g2"}],"nextPageToken":"t3"}`,
			"/google?pageToken=t3&pageSize=1": `{}`,
		}
	})
	size := int64(1)
	it := s.Things.ListIter(context.Background(), operations.ThingsListRequest{PageSize: &size})
	walk(t, it, seen, "g1 g2", "/google?pageSize=1 /google?pageToken=t2&pageSize=1 /google?pageToken=t3&pageSize=1")
}

func TestEbayNextURLFromTheOverride(t *testing.T) {
	s, seen := serve(t, func(string) map[string]string {
		return map[string]string{
			"/ebay?limit=1":          `{"dealItems":[{"id":"e1"}],"next":"/ebay?limit=1&offset=1"}`,
			"/ebay?limit=1&offset=1": `{"total":2}`,
		}
	})
	limit := "1"
	it := s.Things.GetDealItemsIter(context.Background(), operations.ThingsGetDealItemsRequest{Limit: &limit})
	walk(t, it, seen, "e1", "/ebay?limit=1 /ebay?limit=1&offset=1")
}
