// Behaviour of the Go streams generated from tests/specs/responses.yaml against
// httptest servers: Server-Sent Events (typed and text data, comments, multi-line
// data, ids, retry, event types, the [DONE] terminal), JSON lines (NDJSON and
// watch streams), an item that does not fit its type, errors before the stream,
// closing by the caller, cancelling the context, and the timeout (headers only).
package behaviour

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	responses "example.com/responses"
	"example.com/responses/models/apierrors"
	"example.com/responses/models/components"
	"example.com/responses/models/operations"
)

func server(t *testing.T, handler http.HandlerFunc) *responses.SDK {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return responses.New(responses.WithServerURL(srv.URL))
}

// tail reads every event of TailLog (text data) and closes the stream.
func tail(t *testing.T, s *responses.SDK) ([]string, error) {
	t.Helper()
	res, err := s.Events.TailLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Events.Close()
	var got []string
	for res.Events.Next() {
		got = append(got, res.Events.Event().Data)
	}
	return got, res.Events.Err()
}

func TestTypedEventsAsTheStandardParsesThem(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "topic=a" || r.Header.Get("Accept") != "text/event-stream" {
			t.Errorf("request %q accept %q", r.URL.RawQuery, r.Header.Get("Accept"))
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "\xef\xbb\xbf: keep-alive\r\n"+
			"id: 7\nretry: 1500\ndata: {\"delta\":\"he\",\ndata: \"index\":0}\n\n"+
			"event: ping\nfoo: ignored\n\n"+ // no data: nothing is dispatched
			"event: delta\rdata:{\"delta\":\"llo\"}\r\r"+
			"data: [DONE]\n\n"+
			"data: {\"delta\":\"never\"}\n\n")
	})
	res, err := s.Events.ListenEvents(context.Background(), operations.EventsListenEventsRequest{Topic: responses.String("a")})
	if err != nil {
		t.Fatal(err)
	}
	events := res.Events
	defer events.Close()
	var got []string
	for events.Next() {
		e := events.Event()
		retry := "-"
		if e.Retry != nil {
			retry = fmt.Sprint(*e.Retry)
		}
		index := "-"
		if e.Data.Index != nil {
			index = fmt.Sprint(*e.Data.Index)
		}
		got = append(got, fmt.Sprintf("%s/%s/%s/%s/%s", e.Event, e.ID, retry, e.Data.Delta, index))
	}
	if err := events.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "[message/7/1500/he/0 delta/7/-/llo/-]"; fmt.Sprint(got) != want {
		t.Fatalf("events %v, want %s", got, want)
	}
	if events.Next() || events.LastEventID() != "7" {
		t.Fatalf("after the end: %q", events.LastEventID())
	}
}

func TestTextEventsKeepTheirData(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: line one\ndata: line two\n\ndata: {not json}\n\n")
	})
	got, err := tail(t, s)
	if err != nil || fmt.Sprintf("%q", got) != `["line one\nline two" "{not json}"]` {
		t.Fatalf("events %q, error %v", got, err)
	}
}

func TestJSONLinesAndWatchStreams(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/export":
			w.Header().Set("Content-Type", "application/x-ndjson")
			fmt.Fprint(w, "{\"n\":1,\"name\":\"a\"}\n\n{\"n\":2}\r\n{\"n\":3}")
		case "/watch":
			w.Header().Set("Content-Type", "application/json;stream=watch")
			fmt.Fprint(w, "{\"type\":\"ADDED\",\"object\":{\"n\":1}}\n{\"type\":\"BOOKMARK\",\"object\":{\"n\":2}}\n")
		}
	})
	rows, err := s.Pods.ExportRows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ns []int64
	for rows.Lines.Next() {
		ns = append(ns, rows.Lines.Item().N)
	}
	rows.Lines.Close()
	if rows.Lines.Err() != nil || fmt.Sprint(ns) != "[1 2 3]" {
		t.Fatalf("rows %v, error %v", ns, rows.Lines.Err())
	}
	watch, err := s.Pods.WatchPods(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Lines.Close()
	var kinds []string
	for watch.Lines.Next() {
		e := watch.Lines.Item()
		kinds = append(kinds, fmt.Sprintf("%s:%v:%d", e.Type, e.Type.IsKnown(), e.Object.N))
	}
	if watch.Lines.Err() != nil || fmt.Sprint(kinds) != "[ADDED:true:1 BOOKMARK:false:2]" {
		t.Fatalf("watch %v, error %v", kinds, watch.Lines.Err())
	}
}

func TestAnItemThatDoesNotFitEndsTheStreamWithAValidationError(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "{\"n\":1}\n{\"name\":\"no n\"}\n{\"n\":3}\n")
	})
	res, err := s.Pods.ExportRows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Lines.Close()
	count := 0
	for res.Lines.Next() {
		count++
	}
	var invalid *apierrors.ResponseValidationError
	if count != 1 || !errors.As(res.Lines.Err(), &invalid) || string(invalid.RawBody) != `{"name":"no n"}` {
		t.Fatalf("count %d, error %v", count, res.Lines.Err())
	}
}

func TestAnErrorStatusIsATypedErrorBeforeAnyStream(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(503)
		fmt.Fprint(w, `{"detail":"busy"}`)
	})
	_, err := s.Events.TailLog(context.Background())
	var apiErr *apierrors.InternalServerError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("error %T %v", err, err)
	}
}

// endless writes one event, then waits until the client goes away.
func endless(gone chan<- struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: first\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		close(gone)
	}
}

func TestCloseEndsTheStreamAndTheRequest(t *testing.T) {
	gone := make(chan struct{})
	s := server(t, endless(gone))
	res, err := s.Events.TailLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Events.Next() || res.Events.Event().Data != "first" {
		t.Fatalf("first event: %v", res.Events.Err())
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		res.Events.Close() // from another goroutine, while Next waits
	}()
	if res.Events.Next() || res.Events.Err() != nil {
		t.Fatalf("after Close: %v", res.Events.Err())
	}
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the server never saw the request end")
	}
	res.Events.Close() // twice is fine
}

func TestCancellingTheContextEndsTheStream(t *testing.T) {
	gone := make(chan struct{})
	s := server(t, endless(gone))
	ctx, cancel := context.WithCancel(context.Background())
	res, err := s.Events.TailLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Events.Close()
	if !res.Events.Next() {
		t.Fatal(res.Events.Err())
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	if res.Events.Next() || !errors.Is(res.Events.Err(), context.Canceled) {
		t.Fatalf("after cancel: %v", res.Events.Err())
	}
}

func TestTheTimeoutCoversTheHeadersOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Late") != "" {
			time.Sleep(300 * time.Millisecond) // the headers come after the timeout
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.(http.Flusher).Flush()
		for i := 0; i < 3; i++ {
			time.Sleep(100 * time.Millisecond) // in total, longer than the timeout
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	s := responses.New(responses.WithServerURL(srv.URL), responses.WithTimeout(150*time.Millisecond))
	_, err := s.Events.TailLog(context.Background(), operations.WithHeader("X-Late", "1"))
	var timeout *apierrors.TimeoutError
	if !errors.As(err, &timeout) {
		t.Fatalf("late headers: %T %v", err, err)
	}
	got, err := tail(t, s)
	if err != nil || strings.Join(got, ",") != "0,1,2" {
		t.Fatalf("slow stream: %v %v", got, err)
	}
}

func TestTheStreamTwinAsksForEventsAndSetsTheSwitch(t *testing.T) {
	var seen []string
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Header.Get("Accept")+" "+string(body))
		if r.Header.Get("Accept") == "text/event-stream" {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "data: {\"delta\":\"Hel\"}\n\ndata: {\"delta\":\"lo\"}\n\ndata: [DONE]\n\n")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"c1","text":"Hello"}`)
	})
	ctx := context.Background()
	whole, err := s.Chat.CreateChat(ctx, components.ChatRequest{Prompt: "hi"})
	if err != nil || whole.Chat == nil || whole.Chat.Text != "Hello" || whole.Events != nil {
		t.Fatalf("whole: %+v %v", whole, err)
	}
	streamed, err := s.Chat.CreateChatStream(ctx, components.ChatRequest{Prompt: "hi"})
	if err != nil || streamed.Chat != nil {
		t.Fatalf("stream: %+v %v", streamed, err)
	}
	defer streamed.Events.Close()
	var text string
	for streamed.Events.Next() {
		text += streamed.Events.Event().Data.Delta
	}
	if streamed.Events.Err() != nil || text != "Hello" {
		t.Fatalf("text %q, error %v", text, streamed.Events.Err())
	}
	want := `[application/json {"prompt":"hi","stream":false} text/event-stream {"prompt":"hi","stream":true}]`
	if fmt.Sprint(seen) != want {
		t.Fatalf("requests %v\nwant     %s", seen, want)
	}
}

func TestDownloadsAreReadAsTheyArrive(t *testing.T) {
	release := make(chan struct{})
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/files/missing" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			fmt.Fprint(w, `{"detail":"no such file"}`)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", "10")
		fmt.Fprint(w, "01234")
		w.(http.Flusher).Flush()
		<-release // the rest only once the client has read the first half
		fmt.Fprint(w, "56789")
	})
	ctx := context.Background()
	res, err := s.Files.DownloadFileStream(ctx, "a.bin")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Download.Close()
	first := make([]byte, 5)
	if _, err := io.ReadFull(res.Download, first); err != nil || string(first) != "01234" || res.Bytes != nil {
		t.Fatalf("first half %q: %v", first, err)
	}
	close(release)
	rest, err := io.ReadAll(res.Download)
	if err != nil || string(rest) != "56789" || res.Download.ContentLength() != 10 {
		t.Fatalf("rest %q: %v", rest, err)
	}
	_, err = s.Files.DownloadFileStream(ctx, "missing")
	var notFound *apierrors.NotFoundError
	if !errors.As(err, &notFound) {
		t.Fatalf("404: %T %v", err, err)
	}
	if body, ok := notFound.Body.(*components.Problem); !ok || body.Detail == nil || *body.Detail != "no such file" {
		t.Fatalf("404 body %#v", notFound.Body)
	}
}
