// The same calls as tests/test_go_target.py makes with the Python client generated from
// tests/specs/wire.yaml; every request is recorded by a local httptest server and
// printed as JSON lines, for the test to compare byte for byte.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	wire "example.com/wire"
	"example.com/wire/models/components"
	"example.com/wire/models/operations"
)

func main() {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		record, _ := json.Marshal(map[string]any{
			"method":       r.Method,
			"target":       r.RequestURI,
			"content_type": r.Header.Get("Content-Type"),
			"cookie":       r.Header.Get("Cookie"),
			"x_tags":       r.Header.Get("X-Tags"),
			"body":         string(body),
		})
		fmt.Println(string(record))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}))
	defer server.Close()
	s := wire.New(wire.WithServerURL(server.URL), wire.WithSecurity("tok"))
	ctx := context.Background()
	check := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	_, err := s.Items.CreateItem(ctx, operations.ItemsCreateItemRequest{
		ID:      []string{"a", "b"},
		Created: &components.Range{Gte: wire.Int64(1)},
		Expand:  []string{"a", "b"},
		IDs:     []int64{1, 2},
		Filter:  map[string]any{"a": 1},
		XTags:   []string{"x", "y"},
		Session: wire.String("s 1"),
		ItemForm: components.ItemForm{
			Name:       "n x",
			Active:     wire.Bool(true),
			Tags:       []string{"t1", "t2"},
			Metadata:   map[string]string{"k": "v"},
			Items:      []components.Line{{Price: "p_1", Quantity: wire.Int64(2)}, {Price: "p_2"}},
			NullFields: []string{"Note"},
		},
	})
	check(err)
	_, err = s.Files.Upload(ctx, components.FilesUploadBody{
		File:   []byte("abc"),
		Extra:  [][]byte{[]byte("1"), []byte("2")},
		Title:  wire.String("T"),
		Labels: []string{"l1", "l2"},
		Meta:   &components.Range{Gte: wire.Int64(1), Lt: wire.Int64(2)},
	})
	check(err)
	_, err = s.Files.PutBlob(ctx, []byte("\x00\x01bin"))
	check(err)
	_, err = s.Files.PutNote(ctx, wire.String("héllo"))
	check(err)
	_, err = s.Things.PatchThing(ctx, "a b/c", components.Range{Gte: wire.Int64(1)})
	check(err)
	_, err = s.Things.PostAny(ctx, []byte("raw"))
	check(err)
	_, err = s.Things.Choose(ctx, components.Range{Gte: wire.Int64(1)})
	check(err)
	// the other media types of the same bodies (Python: content_type=...)
	_, err = s.Things.PatchThingJSONPatchJSON(ctx, "x", []map[string]any{{"op": "remove", "path": "/lt"}})
	check(err)
	_, err = s.Things.ChooseMultipart(ctx, components.Range{Gte: wire.Int64(1), Lt: wire.Int64(5)})
	check(err)
}
