// Decoding and encoding of tests/go/inheritance/inheritance.yaml: a value typed as the
// inheritance base `Pet` lands in the subtype its `petType` names (a mapping entry, else
// the schema's name), or in `Pet` for a tag no subtype has; a subtype nothing extends
// writes its tag itself. The same JSON as tests/test_inheritance.py.
package inheritance

import (
	"encoding/json"
	"testing"

	"example.com/inheritance/models/components"
)

var pets = []string{
	`{"petType":"Dog","name":"rex","bark":true}`,
	`{"petType":"Cat","name":"tom","lives":9}`,
	`{"petType":"Lion","name":"leo","lives":3,"mane":true}`,
	`{"petType":"fish-type","name":"nemo","fins":2}`,
	`{"petType":"Stone","name":"rock"}`,
	`{"petType":"Pet","name":"plain"}`,
	`{"petType":"Hamster","name":"ham"}`,
}

func TestEachPetIsTheSubtypeItsTagNames(t *testing.T) {
	want := []components.AnyPetType{
		components.AnyPetTypeDog,
		components.AnyPetTypeCat,
		components.AnyPetTypeLion,
		components.AnyPetTypeFish,
		components.AnyPetTypeStone,
		components.AnyPetTypePet,
		components.AnyPetTypePet,
	}
	for i, text := range pets {
		var p components.AnyPet
		if err := json.Unmarshal([]byte(text), &p); err != nil {
			t.Fatalf("pet %d: %v", i, err)
		}
		if p.Type != want[i] {
			t.Errorf("pet %d: %s, want %s", i, p.Type, want[i])
		}
		back, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := normal(text), normal(string(back)); a != b {
			t.Errorf("pet %d round trip:\n%s\n%s", i, a, b)
		}
	}
	var p components.AnyPet
	_ = json.Unmarshal([]byte(pets[0]), &p)
	if !p.Dog.Bark {
		t.Errorf("dog: %+v", p.Dog)
	}
	var o components.Owner
	text := `{"pet":` + pets[3] + `,"cat":` + pets[2] + `,"dog":` + pets[0] + `}`
	if err := json.Unmarshal([]byte(text), &o); err != nil {
		t.Fatal(err)
	}
	if o.Pet.Type != components.AnyPetTypeFish || o.Cat.Type != components.AnyCatTypeLion || !o.Dog.Bark {
		t.Errorf("owner: %+v", o)
	}
	var s components.AnyShape
	if err := json.Unmarshal([]byte(`{"kind":"#circle","radius":1.5}`), &s); err != nil || s.Type != components.AnyShapeTypeCircle {
		t.Errorf("shape: %+v %v", s, err)
	}
}

func TestASubtypeSendsItsTagUnwritten(t *testing.T) {
	mane := true
	back, err := json.Marshal(components.CreateAnyPetLion(components.Lion{Name: "leo", Mane: &mane}))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := normal(string(back)), normal(`{"petType":"Lion","name":"leo","mane":true}`); a != b {
		t.Errorf("lion:\n%s\n%s", a, b)
	}
	back, _ = json.Marshal(components.Fish{Name: "nemo"})
	if a, b := normal(string(back)), normal(`{"petType":"fish-type","name":"nemo"}`); a != b {
		t.Errorf("fish:\n%s\n%s", a, b)
	}
}

func normal(text string) string {
	var v any
	_ = json.Unmarshal([]byte(text), &v)
	b, _ := json.Marshal(v)
	return string(b)
}
