// Request and response shapes of tests/go/directions/directions.yaml: a PetInput sends
// no readOnly field (it has none) and its password always; a Pet read from a response
// has its readOnly id and its subtype's readOnly date. The same JSON as
// tests/test_directions.py.
package directions

import (
	"encoding/json"
	"testing"

	"example.com/directions/models/components"
)

func TestARequestSendsNoReadOnlyField(t *testing.T) {
	wingspan := 1.5
	companion := components.CreateAnyAnimalInputBirdInput(components.BirdInput{Wingspan: &wingspan})
	pet := components.PetInput{
		Name:      "Rex",
		Password:  "pw",
		Owner:     &components.OwnerInput{Email: "a@b.c"},
		Friends:   []components.PetInput{{Name: "Tom", Password: "x"}},
		Companion: &companion,
	}
	got, err := json.Marshal(pet)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"Rex","password":"pw","owner":{"email":"a@b.c"},"friends":[{"name":"Tom","password":"x"}],` +
		`"companion":{"kind":"Bird","wingspan":1.5}}`
	if normal(string(got)) != normal(want) {
		t.Errorf("sent:\n%s\nwant:\n%s", got, want)
	}
	order, err := json.Marshal(components.OrderCreate{Pet: components.PetInput{Name: "Rex", Password: "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(order) != `{"pet":{"name":"Rex","password":"pw"}}` {
		t.Errorf("order: %s", order)
	}
}

func TestAResponseReadsItsReadOnlyFields(t *testing.T) {
	var pet components.Pet
	text := `{"id":"p1","name":"Rex","companion":{"kind":"Bird","ringed_at":"2026-01-02T03:04:05Z"}}`
	if err := json.Unmarshal([]byte(text), &pet); err != nil {
		t.Fatal(err)
	}
	if pet.ID != "p1" || pet.Password != nil {
		t.Errorf("pet: %+v", pet)
	}
	if pet.Companion == nil || pet.Companion.Bird == nil || pet.Companion.Bird.RingedAt.Year() != 2026 {
		t.Errorf("companion: %+v", pet.Companion)
	}
}

func normal(text string) string {
	var v any
	_ = json.Unmarshal([]byte(text), &v)
	b, _ := json.Marshal(v)
	return string(b)
}
