// The same calls as tests/test_body_shapes.py makes with the Python client of its
// spec; every request is recorded by a local httptest server and printed as JSON lines,
// for the test to compare byte for byte.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	mpshapes "example.com/mpshapes"
	"example.com/mpshapes/models/components"
)

func main() {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		record, _ := json.Marshal(map[string]any{
			"method":       r.Method,
			"target":       r.RequestURI,
			"content_type": r.Header.Get("Content-Type"),
			"accept":       r.Header.Get("Accept"),
			"body":         string(body),
		})
		fmt.Println(string(record))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}))
	defer server.Close()
	s := mpshapes.New(mpshapes.WithServerURL(server.URL))
	ctx := context.Background()
	check := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	_, err := s.Files.UploadBin(ctx, map[string]any{"file": []byte("abc")})
	check(err)
	_, err = s.Files.Free(ctx, map[string]any{"a": "1", "b": map[string]any{"c": 2}})
	check(err)
	_, err = s.Files.Mixed(ctx, components.A{Name: "n"})
	check(err)
	_, err = s.Files.TypedAny(ctx, components.A{Name: "t"})
	check(err)
	_, err = s.Files.Star(ctx)
	check(err)
	_, err = s.Files.XML(ctx)
	check(err)
	_, err = s.Files.Union(ctx, components.CreateFilesUnionBodyB(components.B{ID: 7, Note: mpshapes.String("n")}))
	check(err)
	_, err = s.Files.Union(ctx, components.CreateFilesUnionBodyA(components.A{Name: "a", File: []byte("xyz")}))
	check(err)
	_, err = s.Files.NamedUnion(ctx, components.CreateAOrBB(components.B{ID: 8}))
	check(err)
}
