// Package pagination walks paginated list operations page by page.
package pagination

import (
	"context"
	"fmt"
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
	if err != nil {
		it.err, it.done = err, true
		return false
	}
	it.items, it.index, it.done = items, 0, !more || len(items) == 0
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
