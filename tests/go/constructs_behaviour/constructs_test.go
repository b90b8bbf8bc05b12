// Behaviour of the Go client generated from tests/specs/constructs.yaml against
// httptest servers: pagination, parameters on the wire, form bodies, text answers,
// discriminated unions (known and unknown variants), additional properties.
package behaviour

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	constructs "example.com/constructs"
	"example.com/constructs/models/components"
	"example.com/constructs/models/operations"
)

func pet(i int, animal string) string {
	return fmt.Sprintf(`{"id":"id-%d","name":"pet %d","animal":%s,"created_at":"2024-01-02T03:04:05Z","tags":[]}`, i, i, animal)
}

func TestPaginationWalksEveryPage(t *testing.T) {
	var pages []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		pages = append(pages, page)
		if r.URL.Query().Get("limit") != "2" {
			t.Errorf("limit not kept on page %s: %s", page, r.URL.RawQuery)
		}
		items := map[string]string{
			"1": pet(1, `{"type":"cat","lives":9}`) + "," + pet(2, `{"type":"dog","good":true}`),
			"2": pet(3, `{"type":"bird","wings":2}`),
			"3": "",
		}[page]
		fmt.Fprintf(w, `{"items":[%s],"pagination":{"total_count":3,"max_page":3}}`, items)
	}))
	defer server.Close()
	// the spec's root security needs a token: without one nothing is sent (as in Python)
	s := constructs.New(constructs.WithServerURL(server.URL), constructs.WithSecurity("test-token"))
	it := s.Pets.ListIter(context.Background(), operations.PetsListRequest{Limit: constructs.Int64(2)})
	var names []string
	var animals []components.AnimalType
	for it.Next() {
		names = append(names, it.Item().Name)
		animals = append(animals, it.Item().Animal.Type)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(names) != "[pet 1 pet 2 pet 3]" || fmt.Sprint(pages) != "[1 2 3]" {
		t.Fatalf("names %v pages %v", names, pages)
	}
	want := []components.AnimalType{components.AnimalTypeCat, components.AnimalTypeDog, components.AnimalTypeUnknown}
	if fmt.Sprint(animals) != fmt.Sprint(want) {
		t.Fatalf("animals %v", animals)
	}
}

func TestDiscriminatedUnionsAndAdditionalProperties(t *testing.T) {
	var p components.Pet
	data := pet(1, `{"type":"dog","good":true}`)
	data = data[:len(data)-1] + `,"extra":{"note":"n","a":1,"b":2}}`
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		t.Fatal(err)
	}
	if p.Animal.Type != components.AnimalTypeDog || !p.Animal.Dog.Good || p.Animal.Cat != nil {
		t.Fatalf("animal %+v", p.Animal)
	}
	if *p.Extra.Note != "n" || p.Extra.AdditionalProperties["a"] != 1 || p.Extra.AdditionalProperties["b"] != 2 ||
		len(p.Extra.AdditionalProperties) != 2 {
		t.Fatalf("extra %+v", p.Extra)
	}
	out, err := json.Marshal(components.CreateAnimalCat(components.Cat{Lives: 7}))
	if err != nil || string(out) != `{"type":"cat","lives":7}` {
		t.Fatalf("cat: %s %v", out, err)
	}
	var unknown components.Animal
	if err := json.Unmarshal([]byte(`{"type":"bird","wings":2}`), &unknown); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(unknown)
	if unknown.Type != components.AnimalTypeUnknown || string(again) != `{"type":"bird","wings":2}` {
		t.Fatalf("unknown variant: %+v %s", unknown, again)
	}
}

func TestParametersFormBodiesAndTextAnswers(t *testing.T) {
	var seen []*http.Request
	var bodies []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, r)
		bodies = append(bodies, string(body))
		switch r.URL.Path {
		case "/pets/export":
			w.Header().Set("Content-Type", "text/csv")
			fmt.Fprint(w, "id,name\n1,a\n")
		case "/oauth/token":
			fmt.Fprint(w, `{"access_token":"t"}`)
		default:
			w.WriteHeader(204)
		}
	}))
	defer server.Close()
	s := constructs.New(constructs.WithServerURL(server.URL), constructs.WithSecurity("tok"))
	ctx := context.Background()
	_, err := s.Pets.List(ctx, operations.PetsListRequest{
		Kind:       []components.Kind{components.KindCat, components.Kind("new")},
		Metadata:   map[string]components.PetsListMetadata{"a": components.CreatePetsListMetadataStr("x")},
		XRequestID: constructs.String("req-1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	q := seen[0].URL.Query()
	if fmt.Sprint(q["kind"]) != "[cat new]" || q.Get("metadata[a]") != "x" || q.Has("page") {
		t.Fatalf("query %s", seen[0].URL.RawQuery)
	}
	if seen[0].Header.Get("X-Request-Id") != "req-1" || seen[0].Header.Get("Authorization") != "Bearer tok" {
		t.Fatalf("headers %v", seen[0].Header)
	}
	res, err := s.Pets.Export(ctx, operations.PetsExportRequest{Session: constructs.String("s 1")})
	if err != nil || *res.Res != "id,name\n1,a\n" {
		t.Fatalf("export %v %v", res, err)
	}
	if seen[1].Header.Get("Cookie") != "session=s+1" && seen[1].Header.Get("Cookie") != "session=s%201" {
		t.Fatalf("cookie %q", seen[1].Header.Get("Cookie"))
	}
	tok, err := s.Oauth.Tokens.Token(ctx, components.OauthTokensTokenBody{Scope: constructs.String("a b")})
	if err != nil || *tok.OauthTokensTokenResponse200.AccessToken != "t" {
		t.Fatalf("token %+v %v", tok, err)
	}
	form, _ := url.ParseQuery(bodies[2])
	if seen[2].Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
		form.Get("grant_type") != "client_credentials" || form.Get("scope") != "a b" {
		t.Fatalf("form %q %v", bodies[2], seen[2].Header)
	}
	if _, err := s.Pets.Delete(ctx, "a/b"); err != nil || seen[3].URL.RawPath != "/pets/a%2Fb" && seen[3].RequestURI != "/pets/a%2Fb" {
		t.Fatalf("delete %v %s", err, seen[3].RequestURI)
	}
}
