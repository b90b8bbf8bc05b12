// Package pagination walks paginated list operations page by page.
package pagination

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"sdkgen.invalid/module/models/apierrors"
)

// Fetch returns the items of one page (1-based) and the number of the last page.
type Fetch[T any] func(ctx context.Context, page int64) (items []T, lastPage int64, err error)

// Step fetches the page for one value of the stepped parameter (a page number, an
// offset or a cursor) and returns its items and the value that asks for the next page;
// more is false when this page is the last.
type Step[C any, T any] func(ctx context.Context, value C) (items []T, next C, more bool, err error)

// Iterator yields every item of every page, fetching pages as they are needed:
//
//	it := s.Customers.ListIter(ctx, request)
//	for it.Next() {
//		item := it.Item()
//	}
//	if err := it.Err(); err != nil { ... }
type Iterator[T any] struct {
	ctx   context.Context
	fetch func(ctx context.Context) (items []T, more bool, err error)
	page  int64
	items []T
	index int
	item  T
	err   error
	done  bool
	// an empty page does not end the walk (pages the server names: only the lack of a
	// next one does)
	throughEmpty bool
}

// New walks page numbers from `first` (1 when the caller set no page) up to the last
// page each answer names, or to an empty page.
func New[T any](ctx context.Context, first int64, fetch Fetch[T]) *Iterator[T] {
	if first < 1 {
		first = 1
	}
	it := Walk(ctx, first, func(ctx context.Context, page int64) ([]T, int64, bool, error) {
		items, last, err := fetch(ctx, page)
		return items, page + 1, page < last, err
	})
	it.page = first - 1
	return it
}

// Walk starts with the stepped parameter at `start` and follows each page's next
// value until a page is empty or says it is the last.
func Walk[C any, T any](ctx context.Context, start C, step Step[C, T]) *Iterator[T] {
	value := start
	return &Iterator[T]{ctx: ctx, fetch: func(ctx context.Context) ([]T, bool, error) {
		items, next, more, err := step(ctx, value)
		value = next
		return items, more, err
	}}
}

// Follow walks the pages the server names (step returns the next page's URL): a page
// without items yields nothing and the walk goes on; it ends on a page naming no next one.
func Follow[T any](ctx context.Context, step Step[string, T]) *Iterator[T] {
	it := Walk(ctx, "", step)
	it.throughEmpty = true
	return it
}

// Next advances to the next item; false at the end or on an error (see Err). A page
// is fetched only when the items of the previous one have been read.
func (it *Iterator[T]) Next() bool {
	if it.index < len(it.items) {
		it.item = it.items[it.index]
		it.index++
		return true
	}
	if it.done {
		return false
	}
	if err := it.ctx.Err(); err != nil {
		it.err, it.done = err, true
		return false
	}
	items, more, err := it.fetch(it.ctx)
	it.page++
	// a page whose next one cannot be followed still yields its items, then stops
	it.items, it.index, it.err = items, 0, err
	it.done = err != nil || !more || (len(items) == 0 && !it.throughEmpty)
	return it.Next()
}

// Item is the current item (valid after Next returned true).
func (it *Iterator[T]) Item() T { return it.item }

// Page is the page the current item came from: its number for page-numbered
// listings, else how many pages have been fetched (1 for the first).
func (it *Iterator[T]) Page() int64 { return it.page }

// Err is the error that stopped the iteration, if any.
func (it *Iterator[T]) Err() error { return it.err }

// All collects every remaining item.
func (it *Iterator[T]) All() ([]T, error) {
	var out []T
	for it.Next() {
		out = append(out, it.Item())
	}
	return out, it.Err()
}

// Text is a cursor taken from an item's field: a string as it is, a number in decimal,
// nil as "" (which ends the walk).
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case *string:
		if x == nil {
			return ""
		}
		return *x
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// Pages follows the next pages a server names: each URL is resolved against the page
// it came from, and a page named twice stops the walk with *apierrors.PaginationError.
// (The call itself refuses a URL on another origin than the server's.)
type Pages struct{ seen map[string]bool }

// Next is the absolute URL of the next page ("" when the server named none).
func (p *Pages) Next(from *http.Request, next string) (string, error) {
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	p.seen[from.URL.String()] = true
	next = strings.TrimSpace(next)
	if next == "" {
		return "", nil
	}
	ref, err := url.Parse(next)
	if err != nil {
		return "", &apierrors.PaginationError{Message: "the server named a next page that is not a URL"}
	}
	target := from.URL.ResolveReference(ref).String()
	if p.seen[target] {
		return "", &apierrors.PaginationError{Message: "the server named a page already fetched as the next one: stopped"}
	}
	return target, nil
}

// NextLink is the target of the rel="next" link of RFC 8288 Link headers ("" if none).
// Link = #( "<" URI-Reference ">" *( OWS ";" OWS token [ "=" ( token / quoted-string ) ] ) )
func NextLink(h http.Header) string {
	for _, value := range h.Values("Link") {
		for rest := value; ; {
			rest = strings.TrimLeft(rest, " \t,")
			if !strings.HasPrefix(rest, "<") {
				break
			}
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				break
			}
			target := rest[1:end]
			rest = rest[end+1:]
			next := false
			for {
				rest = strings.TrimLeft(rest, " \t")
				if !strings.HasPrefix(rest, ";") {
					break
				}
				var name, param string
				name, param, rest = linkParam(strings.TrimLeft(rest[1:], " \t"))
				if strings.EqualFold(name, "rel") {
					for _, rel := range strings.Fields(param) {
						next = next || strings.EqualFold(rel, "next")
					}
				}
			}
			if next {
				return target
			}
			if i := strings.IndexByte(rest, ','); i >= 0 {
				rest = rest[i:]
			} else {
				break
			}
		}
	}
	return ""
}

// linkParam reads `token [ "=" ( token / quoted-string ) ]`: name, value, the rest.
func linkParam(s string) (string, string, string) {
	i := strings.IndexAny(s, "=;, \t")
	if i < 0 {
		return s, "", ""
	}
	name, s := s[:i], strings.TrimLeft(s[i:], " \t")
	if !strings.HasPrefix(s, "=") {
		return name, "", s
	}
	s = strings.TrimLeft(s[1:], " \t")
	if strings.HasPrefix(s, "\"") {
		var out strings.Builder
		for j := 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				if j+1 < len(s) {
					j++
					out.WriteByte(s[j])
				}
			case '"':
				return name, out.String(), s[j+1:]
			default:
				out.WriteByte(s[j])
			}
		}
		return name, out.String(), ""
	}
	end := strings.IndexAny(s, ";, \t")
	if end < 0 {
		return name, s, ""
	}
	return name, s[:end], s[end:]
}
