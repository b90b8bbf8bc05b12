// Package pagination walks paginated list operations page by page.
package pagination

import "context"

// Fetch returns the items of one page (1-based) and the number of the last page.
type Fetch[T any] func(ctx context.Context, page int64) (items []T, lastPage int64, err error)

// Iterator yields every item of every page, fetching pages as they are needed:
//
//	it := s.Customers.ListIter(ctx, request)
//	for it.Next() {
//		item := it.Item()
//	}
//	if err := it.Err(); err != nil { ... }
type Iterator[T any] struct {
	ctx   context.Context
	fetch Fetch[T]
	page  int64
	last  int64
	items []T
	index int
	item  T
	err   error
	done  bool
}

// New starts at page `first` (1 when the caller set no page).
func New[T any](ctx context.Context, first int64, fetch Fetch[T]) *Iterator[T] {
	if first < 1 {
		first = 1
	}
	return &Iterator[T]{ctx: ctx, fetch: fetch, page: first - 1, last: first, index: 0}
}

// Next advances to the next item; false at the end or on an error (see Err).
func (it *Iterator[T]) Next() bool {
	for !it.done {
		if it.index < len(it.items) {
			it.item = it.items[it.index]
			it.index++
			return true
		}
		if it.page >= it.last {
			it.done = true
			break
		}
		it.page++
		items, last, err := it.fetch(it.ctx, it.page)
		if err != nil {
			it.err = err
			it.done = true
			break
		}
		it.items, it.index, it.last = items, 0, last
		if len(items) == 0 {
			it.done = true
		}
	}
	return false
}

// Item is the current item (valid after Next returned true).
func (it *Iterator[T]) Item() T { return it.item }

// Page is the number of the page the current item came from.
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
