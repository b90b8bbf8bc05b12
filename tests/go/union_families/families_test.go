// Decoding of tests/go/union_families/families.yaml. Product: a union without a
// discriminator of two unions discriminated by one property whose values overlap. Each
// price lands in the family that names it: "fixed" and "custom" with `type` in the legacy
// one, without it in the other; "seat_based" in the other; an unknown value kept as sent.
// Grant: models with the same keys, told apart by their benefit's `type`. Source: variants
// without a key of their own, told apart by the kind of `repoId`. Channels, Hooks: arrays
// told apart by their first item.
package families

import (
	"encoding/json"
	"testing"

	"example.com/families/models/components"
)

const product = `{"name":"p","prices":[
{"amount_type":"fixed","type":"recurring","recurring_interval":"month","price_amount":100},
{"amount_type":"fixed","price_amount":200},
{"amount_type":"custom","type":"recurring","recurring_interval":"year"},
{"amount_type":"custom","minimum_amount":5},
{"amount_type":"seat_based","seats":3},
{"amount_type":"metered","unit":"GB"}]}`

func TestEachPriceLandsInTheFamilyThatNamesIt(t *testing.T) {
	var p components.Product
	if err := json.Unmarshal([]byte(product), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Prices) != 6 {
		t.Fatalf("%d prices", len(p.Prices))
	}
	got := func(i int) string {
		u := p.Prices[i]
		switch u.Type {
		case components.ProductPricesTypeLegacyPrice:
			return "legacy " + string(u.LegacyPrice.Type)
		case components.ProductPricesTypePrice:
			return "price " + string(u.Price.Type)
		}
		return string(u.Type) + " " + string(u.Unknown)
	}
	want := []string{
		"legacy LegacyFixed",
		"price Fixed",
		"legacy LegacyCustom",
		"price Custom",
		"price Seats",
		`unknown {"amount_type":"metered","unit":"GB"}`,
	}
	for i, w := range want {
		if g := got(i); g != w {
			t.Errorf("price %d: %s, want %s", i, g, w)
		}
	}
	if p.Prices[0].LegacyPrice.LegacyFixed.PriceAmount != 100 || p.Prices[1].Price.Fixed.PriceAmount != 200 {
		t.Errorf("amounts: %+v", p.Prices[:2])
	}
	back, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var x, y any
	_ = json.Unmarshal([]byte(product), &x)
	_ = json.Unmarshal(back, &y)
	if a, b := mustJSON(x), mustJSON(y); a != b {
		t.Errorf("round trip:\n%s\n%s", a, b)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestEachGrantIsToldApartByItsBenefitsType(t *testing.T) {
	grants := []string{
		`{"id":"g1","benefit":{"type":"discord","id":"b1"},"properties":{"guild_id":"x"}}`,
		`{"id":"g2","benefit":{"type":"custom","id":"b2"},"properties":{}}`,
		`{"id":"g3","benefit":{"type":"slack","id":"b3"},"properties":{}}`,
	}
	want := []components.GrantType{components.GrantTypeDiscordGrant, components.GrantTypeCustomGrant, components.GrantTypeUnknown}
	for i, g := range grants {
		var u components.Grant
		if err := json.Unmarshal([]byte(g), &u); err != nil {
			t.Fatalf("grant %d: %v", i, err)
		}
		if u.Type != want[i] {
			t.Errorf("grant %d: %s, want %s", i, u.Type, want[i])
		}
	}
	var u components.Grant
	_ = json.Unmarshal([]byte(grants[1]), &u)
	if u.CustomGrant == nil || u.CustomGrant.Benefit.ID != "b2" {
		t.Errorf("custom grant: %+v", u)
	}
}

func TestASourceIsToldApartByTheKindOfItsRepoID(t *testing.T) {
	sources := []string{
		`{"type":"github","repoId":12,"sha":"abc"}`,
		`{"type":"github","repoId":"octo/repo","sha":"abc"}`,
		`{"type":"github","repoId":"octo/repo"}`,
	}
	want := []components.SourceType{components.SourceTypePinnedSource, components.SourceTypeRepoSource, components.SourceTypeRepoSource}
	for i, src := range sources {
		var u components.Source
		if err := json.Unmarshal([]byte(src), &u); err != nil {
			t.Fatalf("source %d: %v", i, err)
		}
		if u.Type != want[i] {
			t.Errorf("source %d: %s, want %s", i, u.Type, want[i])
		}
	}
}

func TestArraysAreToldApartByTheirFirstItem(t *testing.T) {
	cases := []struct {
		json string
		want string
	}{
		{`[{"channelId":"a"}]`, string(components.ChannelsTypeArrayOfChannel)},
		{`["a","b"]`, string(components.ChannelsTypeArrayOfStr)},
		{`[]`, string(components.ChannelsTypeArrayOfChannel)},
	}
	for _, c := range cases {
		var u components.Channels
		if err := json.Unmarshal([]byte(c.json), &u); err != nil {
			t.Fatalf("%s: %v", c.json, err)
		}
		if string(u.Type) != c.want {
			t.Errorf("%s: %s, want %s", c.json, u.Type, c.want)
		}
	}
	hooks := []struct {
		json string
		want components.HooksType
	}{
		{`[{"id":"1","projectsMetadata":["p"]}]`, components.HooksTypeArrayOfProjectHook},
		{`[{"id":"1"}]`, components.HooksTypeArrayOfHook},
	}
	for _, c := range hooks {
		var u components.Hooks
		if err := json.Unmarshal([]byte(c.json), &u); err != nil {
			t.Fatalf("%s: %v", c.json, err)
		}
		if u.Type != c.want {
			t.Errorf("%s: %s, want %s", c.json, u.Type, c.want)
		}
	}
}
