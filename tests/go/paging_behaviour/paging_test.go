// Behaviour of the Go iterators generated from paging.yaml against httptest servers:
// every pagination kind walks the pages the Python client walks, with the same stop
// rules (max page, empty page, no next cursor, has_more false), keeps the caller's
// other parameters on every page, and stops on errors and cancelled contexts.
package behaviour

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	paging "example.com/paging"
	"example.com/paging/models/apierrors"
	"example.com/paging/models/components"
	"example.com/paging/models/operations"
	"example.com/paging/pagination"
)

func things(ids ...string) string {
	var out []string
	for _, id := range ids {
		out = append(out, fmt.Sprintf(`{"id":%q}`, id))
	}
	return "[" + strings.Join(out, ",") + "]"
}

// serve answers by the raw query of each request and records the queries in order.
func serve(t *testing.T, answers map[string]string) (*paging.SDK, *[]string) {
	t.Helper()
	var seen []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RawQuery)
		body, ok := answers[r.URL.RawQuery]
		if !ok {
			w.WriteHeader(404)
			fmt.Fprint(w, `{"detail":"no such page"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(server.Close)
	return paging.New(paging.WithServerURL(server.URL)), &seen
}

// walk reads every item and checks their ids and the queries the server saw, in order.
func walk(t *testing.T, it *pagination.Iterator[components.Thing], seen *[]string, items, requests string) {
	t.Helper()
	var got []string
	for it.Next() {
		got = append(got, it.Item().ID)
	}
	if err := it.Err(); err != nil {
		t.Fatalf("after %v: %v", got, err)
	}
	if strings.Join(got, " ") != items || fmt.Sprint(*seen) != requests {
		t.Fatalf("items %q, want %q; requests %q, want %q", got, items, *seen, requests)
	}
}

func TestPageNumbersUpToTheMaxPage(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"page=2&q=x": `{"data":` + things("c", "d") + `,"meta":{"max_page":3}}`,
		"page=3&q=x": `{"data":` + things("e") + `,"meta":{"max_page":3}}`,
		"page=4&q=x": `{"data":` + things("never") + `,"meta":{"max_page":3}}`,
	})
	walk(t, s.Things.ByPageIter(context.Background(), operations.ThingsByPageRequest{Page: paging.Int64(2), Q: paging.String("x")}), seen, "c d e", "[page=2&q=x page=3&q=x]")
}

func TestPageNumbersUntilAnEmptyPage(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"page=1": `{"items":` + things("a", "b") + `}`,
		"page=2": `{"items":` + things("c") + `}`,
		"page=3": `{"items":[]}`,
	})
	walk(t, s.Things.ByPageOpenIter(context.Background(), operations.ThingsByPageOpenRequest{}), seen, "a b c", "[page=1 page=2 page=3]")
}

func TestPageNumbersOfNullableItemsUntilANullPage(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"page=1": `{"items":` + things("a", "b") + `}`,
		"page=2": `{"items":null}`,
		"page=3": `{"items":` + things("never") + `}`,
	})
	walk(t, s.Things.ByPageNullableIter(context.Background(), operations.ThingsByPageNullableRequest{}), seen, "a b", "[page=1 page=2]")
}

func TestOffsetsAdvanceByTheItemsReceived(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"offset=0&limit=2": `{"results":` + things("a", "b") + `}`,
		"offset=2&limit=2": `{"results":` + things("c") + `}`,
		"offset=3&limit=2": `{"results":[]}`,
	})
	walk(t, s.Things.ByOffsetIter(context.Background(), operations.ThingsByOffsetRequest{Limit: paging.Int64(2)}), seen, "a b c", "[offset=0&limit=2 offset=2&limit=2 offset=3&limit=2]")
}

func TestCursorsFollowTheNextCursorUntilNull(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"":          `{"data":` + things("a") + `,"page_info":{"nextCursor":"c2"}}`,
		"cursor=c2": `{"data":` + things("b") + `,"page_info":{"nextCursor":null}}`,
	})
	walk(t, s.Things.ByCursorIter(context.Background(), operations.ThingsByCursorRequest{}), seen, "a b", "[ cursor=c2]")
}

func TestCursorsFromTheLastItemWhileHasMore(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"limit=2":                  `{"data":` + things("a", "b") + `,"has_more":true}`,
		"limit=2&starting_after=b": `{"data":` + things("c") + `,"has_more":false}`,
	})
	walk(t, s.Things.ByLastIDIter(context.Background(), operations.ThingsByLastIDRequest{Limit: 2}), seen, "a b c", "[limit=2 limit=2&starting_after=b]")
}

func TestAnErrorStopsTheWalkAfterTheItemsBeforeIt(t *testing.T) {
	s, _ := serve(t, map[string]string{
		"page=1": `{"items":` + things("a") + `}`, // page 2 is a 404
	})
	it := s.Things.ByPageOpenIter(context.Background(), operations.ThingsByPageOpenRequest{})
	var got []string
	for it.Next() {
		got = append(got, it.Item().ID)
	}
	var notFound *apierrors.NotFoundError
	if fmt.Sprint(got) != "[a]" || !errors.As(it.Err(), &notFound) || it.Next() {
		t.Fatalf("items %v, error %v", got, it.Err())
	}
}

func TestACancelledContextStopsBeforeTheNextPage(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"page=1": `{"items":` + things("a") + `}`,
		"page=2": `{"items":` + things("b") + `}`,
	})
	ctx, cancel := context.WithCancel(context.Background())
	it := s.Things.ByPageOpenIter(ctx, operations.ThingsByPageOpenRequest{})
	if !it.Next() || it.Item().ID != "a" {
		t.Fatalf("first item: %v", it.Err())
	}
	cancel()
	if it.Next() || !errors.Is(it.Err(), context.Canceled) || len(*seen) != 1 {
		t.Fatalf("after cancel: %v, requests %v", it.Err(), *seen)
	}
}

// The iterator type is the runtime's, whatever the kind.
var _ *pagination.Iterator[string] = pagination.Walk(context.Background(), 0, func(context.Context, int) ([]string, int, bool, error) {
	return nil, 0, false, nil
})

func TestLinkHeadersAreFollowedOnTheServersOriginOnly(t *testing.T) {
	var seen []string
	var base string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RequestURI()+" "+r.Header.Get("X-Trace"))
		switch r.URL.RawQuery {
		case "":
			// a quoted parameter with a comma, then the next link (relative)
			w.Header().Add("Link", `<`+base+`/links?page=9>; rel="last"; title="a, b", </links?page=2>; rel="next"`)
			fmt.Fprint(w, things("a", "b"))
		case "page=2":
			w.Header().Set("Link", `<https://elsewhere.example/links?page=3>; rel="prev next"`)
			fmt.Fprint(w, things("c"))
		default:
			t.Errorf("unexpected %s", r.URL)
		}
	}))
	defer server.Close()
	base = server.URL
	s := paging.New(paging.WithServerURL(server.URL))
	it := s.Things.ByLinkIter(context.Background(), operations.WithHeader("X-Trace", "t1"))
	var got []string
	for it.Next() {
		got = append(got, it.Item().ID)
	}
	var stop *apierrors.PaginationError
	if fmt.Sprint(got) != "[a b c]" || !errors.As(it.Err(), &stop) || !strings.Contains(stop.Message, "another origin") {
		t.Fatalf("items %v, error %v", got, it.Err())
	}
	if fmt.Sprint(seen) != "[/links t1 /links?page=2 t1]" {
		t.Fatalf("requests %v", seen)
	}
}

func TestNextURLsInTheBodyReplaceTheQueryAndStopOnARepeat(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"limit=2":  `{"data":` + things("a", "b") + `,"links":{"next":"/next?after=b"}}`,
		"after=b":  `{"data":` + things("c") + `,"links":{"next":"?after=c"}}`,
		"after=c":  `{"data":` + things("d") + `,"links":{"next":"/next?after=b"}}`,
		"unused=1": `{"data":[]}`,
	})
	it := s.Things.ByNextURLIter(context.Background(), operations.ThingsByNextURLRequest{Limit: paging.Int64(2)})
	var got []string
	for it.Next() {
		got = append(got, it.Item().ID)
	}
	var stop *apierrors.PaginationError
	if fmt.Sprint(got) != "[a b c d]" || !errors.As(it.Err(), &stop) || !strings.Contains(stop.Message, "already fetched") {
		t.Fatalf("items %v, error %v", got, it.Err())
	}
	if fmt.Sprint(*seen) != "[limit=2 after=b after=c]" {
		t.Fatalf("requests %v", *seen)
	}
}

func TestNextURLsEndWhenTheServerNamesNone(t *testing.T) {
	s, seen := serve(t, map[string]string{
		"":        `{"data":` + things("a") + `,"links":{"next":"/next?after=a"}}`,
		"after=a": `{"data":` + things("b") + `,"links":{"next":null}}`,
	})
	walk(t, s.Things.ByNextURLIter(context.Background(), operations.ThingsByNextURLRequest{}), seen, "a b", "[ after=a]")
}

func TestAQueryKeyEchoedInANextURLIsSentOnce(t *testing.T) {
	var seen []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RawQuery)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("after") == "" {
			fmt.Fprint(w, `{"data":`+things("a")+`,"links":{"next":"/next?api_key=SECRET&after=a"}}`)
			return
		}
		fmt.Fprint(w, `{"data":`+things("b")+`,"links":{"next":null}}`)
	}))
	t.Cleanup(server.Close)
	s := paging.New(paging.WithServerURL(server.URL), paging.WithSecurity(components.Security{Key: paging.String("SECRET")}))
	walk(t, s.Things.ByNextURLIter(context.Background(), operations.ThingsByNextURLRequest{}), &seen, "a b",
		"[api_key=SECRET after=a&api_key=SECRET]")
}
