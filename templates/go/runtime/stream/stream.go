// Package stream reads answers that arrive piece by piece: Server-Sent Events and
// JSON lines (NDJSON). A stream holds the HTTP response open: read it with Next, then
// Close it (Close is safe to call twice, and after the end). Cancelling the context of
// the call ends the stream too: Next returns false and Err the context's error.
package stream

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"sdkgen.invalid/module/models/apierrors"
)

// Decode turns the data of one event, or one line, into an item.
type Decode[T any] func(data []byte) (T, error)

// Event is one dispatched Server-Sent Event.
type Event[T any] struct {
	// Data is the event's data (its lines joined with "\n"), decoded.
	Data T
	// Event is the event type: "message" unless the server named one.
	Event string
	// ID is the last event ID the stream has seen ("" if none yet), to resume with
	// a Last-Event-ID header.
	ID string
	// Retry is the reconnection time in milliseconds this event's block set, if any.
	Retry *int64
}

// body is what both kinds of stream share: the open response, its lines, and closing.
type body struct {
	Response *http.Response
	reader   *bufio.Reader
	cancel   context.CancelFunc
	once     sync.Once
	closed   atomic.Bool
	err      error
	done     bool
}

func (b *body) open(res *http.Response, cancel context.CancelFunc) {
	if cancel == nil {
		cancel = func() {}
	}
	b.Response, b.reader, b.cancel = res, bufio.NewReader(res.Body), cancel
}

// line reads one line without its ending (\n, \r\n or \r); io.EOF at the end.
func (b *body) line() ([]byte, error) {
	var out []byte
	for {
		c, err := b.reader.ReadByte()
		if err != nil {
			if err == io.EOF && len(out) > 0 {
				return out, nil
			}
			return nil, err
		}
		switch c {
		case '\n':
			return out, nil
		case '\r':
			if next, err := b.reader.Peek(1); err == nil && next[0] == '\n' {
				_, _ = b.reader.ReadByte()
			}
			return out, nil
		}
		out = append(out, c)
	}
}

// fail ends the stream; a read that fails because the caller closed it is no error.
func (b *body) fail(err error) {
	b.done = true
	if b.closed.Load() || err == io.EOF {
		return
	}
	if ctxErr := b.Response.Request.Context().Err(); ctxErr != nil {
		err = ctxErr
	}
	b.err = err
	b.Close()
}

func (b *body) invalid(data []byte, err error) {
	b.fail(&apierrors.ResponseValidationError{
		StatusCode: b.Response.StatusCode, Header: b.Response.Header, RawBody: data, Err: err,
	})
}

// Close ends the stream and releases the connection.
func (b *body) Close() error {
	b.once.Do(func() {
		b.closed.Store(true)
		b.cancel()
		b.Response.Body.Close()
	})
	return nil
}

// Err is the error that ended the stream, if any (nil after Close or a clean end).
func (b *body) Err() error { return b.err }

// Events reads Server-Sent Events as the WHATWG HTML standard parses them: comments
// and keep-alives skipped, multi-line data joined, the last event ID kept across
// events, unknown fields ignored; an event whose data is a terminal value ("[DONE]")
// ends the stream.
type Events[T any] struct {
	body
	decode    Decode[T]
	terminals []string
	current   Event[T]
	lastID    string
	first     bool
}

// NewEvents wraps an open response (the generated methods call it).
func NewEvents[T any](res *http.Response, cancel context.CancelFunc, decode Decode[T], terminals ...string) *Events[T] {
	s := &Events[T]{decode: decode, terminals: terminals, first: true}
	s.open(res, cancel)
	return s
}

// Next reads up to the next event; false at the end, on an error (see Err) or after Close.
func (s *Events[T]) Next() bool {
	var data [][]byte
	var event string
	var retry *int64
	for !s.done && !s.closed.Load() {
		raw, err := s.line()
		if err != nil {
			s.fail(err)
			break
		}
		if s.first {
			s.first = false
			raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		}
		if len(raw) == 0 {
			if data == nil {
				event, retry = "", nil
				continue // no data field: nothing is dispatched
			}
			joined := bytes.Join(data, []byte("\n"))
			for _, end := range s.terminals {
				if string(joined) == end {
					s.done = true
					s.Close()
					return false
				}
			}
			item, err := s.decode(joined)
			if err != nil {
				s.invalid(joined, err)
				return false
			}
			if event == "" {
				event = "message"
			}
			s.current = Event[T]{Data: item, Event: event, ID: s.lastID, Retry: retry}
			return true
		}
		if raw[0] == ':' {
			continue
		}
		name, value := raw, []byte(nil)
		if i := bytes.IndexByte(raw, ':'); i >= 0 {
			name, value = raw[:i], raw[i+1:]
			value = bytes.TrimPrefix(value, []byte(" "))
		}
		switch string(name) {
		case "data":
			data = append(data, append([]byte(nil), value...))
		case "event":
			event = string(value)
		case "id":
			if bytes.IndexByte(value, 0) < 0 {
				s.lastID = string(value)
			}
		case "retry":
			if n, err := strconv.ParseInt(string(value), 10, 64); err == nil && n >= 0 && isDigits(value) {
				retry = &n
			}
		}
	}
	return false
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// Event is the current event (valid after Next returned true).
func (s *Events[T]) Event() Event[T] { return s.current }

// LastEventID is the last event ID the stream has seen ("" if none).
func (s *Events[T]) LastEventID() string { return s.lastID }

// Lines reads JSON lines (NDJSON, application/jsonl, application/json;stream=watch):
// one JSON value per line, blank lines skipped.
type Lines[T any] struct {
	body
	decode  Decode[T]
	current T
}

// NewLines wraps an open response (the generated methods call it).
func NewLines[T any](res *http.Response, cancel context.CancelFunc, decode Decode[T]) *Lines[T] {
	s := &Lines[T]{decode: decode}
	s.open(res, cancel)
	return s
}

// Next reads the next item; false at the end, on an error (see Err) or after Close.
func (s *Lines[T]) Next() bool {
	for !s.done && !s.closed.Load() {
		raw, err := s.line()
		if err != nil {
			s.fail(err)
			return false
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		item, err := s.decode(raw)
		if err != nil {
			s.invalid(raw, err)
			return false
		}
		s.current = item
		return true
	}
	return false
}

// Item is the current item (valid after Next returned true).
func (s *Lines[T]) Item() T { return s.current }

// Download is a binary answer read as it arrives: an io.ReadCloser over the body
// (Close it when done; a done context ends it with the context's error).
type Download struct {
	body
}

// NewDownload wraps an open response (the generated methods call it).
func NewDownload(res *http.Response, cancel context.CancelFunc) *Download {
	d := &Download{}
	d.open(res, cancel)
	return d
}

// Read reads the next bytes of the body; io.EOF at its end (and after Close).
func (d *Download) Read(p []byte) (int, error) {
	if d.closed.Load() {
		return 0, io.EOF
	}
	n, err := d.reader.Read(p)
	if err != nil && err != io.EOF {
		if d.closed.Load() {
			return n, io.EOF
		}
		if ctxErr := d.Response.Request.Context().Err(); ctxErr != nil {
			err = ctxErr
		}
	}
	return n, err
}

// ContentLength is the body's length as the server announced it (-1: unknown).
func (d *Download) ContentLength() int64 { return d.Response.ContentLength }
