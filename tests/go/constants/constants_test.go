// One-value enums and consts of tests/go/constants/constants.yaml: an optional one that
// is not a tag and has no default is sent only when set and left nil when a response
// leaves it out; a tag or a default-valued one is always sent. The same JSON as
// tests/test_constants.py.
package constants

import (
	"encoding/json"
	"testing"

	"example.com/constants/models/components"
)

func marshal(t *testing.T, v any) string {
	t.Helper()
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(got)
}

func TestOnlyTheConstantsTheClientMustWriteAreSent(t *testing.T) {
	name := "n"
	if got := marshal(t, components.ItemUpdate{Name: &name}); got != `{"name":"n","format":"v2"}` {
		t.Errorf("update: %s", got)
	}
	status, pinned := "archived", true
	got := marshal(t, components.ItemUpdate{Name: &name, Status: &status, Pinned: &pinned})
	if got != `{"name":"n","status":"archived","pinned":true,"format":"v2"}` {
		t.Errorf("update with every field: %s", got)
	}
	if got := marshal(t, components.Dog{}); got != `{"type":"dog"}` {
		t.Errorf("dog: %s", got)
	}
	if got := marshal(t, components.CreatePetDog(components.Dog{})); got != `{"type":"dog"}` {
		t.Errorf("pet: %s", got)
	}
	if got := marshal(t, components.Square{Side: 2}); got != `{"shape":"Square","side":2}` {
		t.Errorf("square: %s", got)
	}
}

func TestAResponseLeavesOutWhatTheServerLeftOut(t *testing.T) {
	var item components.Item
	if err := json.Unmarshal([]byte(`{"id":"i1"}`), &item); err != nil {
		t.Fatal(err)
	}
	if item.Status != nil {
		t.Errorf("status: %q", *item.Status)
	}
	if got := marshal(t, item); got != `{"id":"i1","object":"item"}` {
		t.Errorf("item: %s", got)
	}
}
