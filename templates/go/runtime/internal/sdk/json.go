package sdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Marshal is json.Marshal without HTML escaping and without the trailing
// newline: the compact UTF-8 JSON the Python client sends too.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Unmarshal decodes one JSON document (numbers into `any` stay exact).
func Unmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the JSON value")
	}
	return nil
}

// Object writes one JSON object, keys in the order they are added.
type Object struct {
	buf bytes.Buffer
	err error
}

func (o *Object) key(name string) {
	if o.buf.Len() == 0 {
		o.buf.WriteByte('{')
	} else {
		o.buf.WriteByte(',')
	}
	k, _ := Marshal(name)
	o.buf.Write(k)
	o.buf.WriteByte(':')
}

// Field adds a key and its value.
func (o *Object) Field(name string, value any) {
	if o.err != nil {
		return
	}
	data, err := Marshal(value)
	if err != nil {
		o.err = fmt.Errorf("%s: %w", name, err)
		return
	}
	o.key(name)
	o.buf.Write(data)
}

// Null adds a key whose value is null.
func (o *Object) Null(name string) {
	o.key(name)
	o.buf.WriteString("null")
}

// Raw adds a key and already-encoded JSON.
func (o *Object) Raw(name string, data []byte) {
	o.key(name)
	o.buf.Write(data)
}

// Bytes is the finished object.
func (o *Object) Bytes() ([]byte, error) {
	if o.err != nil {
		return nil, o.err
	}
	if o.buf.Len() == 0 {
		return []byte("{}"), nil
	}
	o.buf.WriteByte('}')
	return o.buf.Bytes(), nil
}

// IsNull reports whether field (its Go name) is listed in a model's NullFields.
func IsNull(nullFields []string, field string) bool {
	for _, name := range nullFields {
		if name == field {
			return true
		}
	}
	return false
}

// Extra decodes the keys of an object that are not among known, each into V
// (the additional properties beside a model's named ones).
func Extra[V any](data []byte, known ...string) (map[string]V, error) {
	var raw map[string]json.RawMessage
	if err := Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	for _, name := range known {
		delete(raw, name)
	}
	if len(raw) == 0 {
		return nil, nil
	}
	out := make(map[string]V, len(raw))
	for name, value := range raw {
		var v V
		if err := Unmarshal(value, &v); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = v
	}
	return out, nil
}

// JSONKind is the JSON kind of an encoded value: "object", "array", "string",
// "boolean", "integer" (a number without fraction or exponent), "number" or "null".
func JSONKind(data []byte) string {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return "null"
	}
	switch trimmed[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	if bytes.ContainsAny(trimmed, ".eE") {
		return "number"
	}
	return "integer"
}

// Equal reports whether an encoded value equals the encoded constant want.
func Equal(data []byte, want string) bool {
	var a, b any
	if Unmarshal(data, &a) != nil || Unmarshal([]byte(want), &b) != nil {
		return false
	}
	return JSONKind(data) == JSONKind([]byte(want)) && fmt.Sprint(a) == fmt.Sprint(b)
}

// Tag is the string value of an object's key (a discriminator), if it has one; with
// several keys, of the last one inside the objects the others lead to.
func Tag(data []byte, path ...string) (string, bool) {
	for _, key := range path {
		var fields map[string]json.RawMessage
		if Unmarshal(data, &fields) != nil {
			return "", false
		}
		raw, ok := fields[key]
		if !ok {
			return "", false
		}
		data = raw
	}
	var value string
	if json.Unmarshal(data, &value) != nil {
		return "", false
	}
	return value, true
}

// KeyIs reports whether an object's key holds a value of one of the kinds JSONKind names.
func KeyIs(data []byte, key string, kinds ...string) bool {
	var fields map[string]json.RawMessage
	if Unmarshal(data, &fields) != nil {
		return false
	}
	raw, ok := fields[key]
	return ok && kindIn(raw, kinds)
}

// FirstItemIs reports whether an array's first item is of one of the kinds JSONKind names.
func FirstItemIs(data []byte, kinds ...string) bool {
	var items []json.RawMessage
	if Unmarshal(data, &items) != nil || len(items) == 0 {
		return false
	}
	return kindIn(items[0], kinds)
}

// kindIn reports whether a value is of one of the kinds JSONKind names.
func kindIn(data []byte, kinds []string) bool {
	kind := JSONKind(data)
	for _, k := range kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// FirstItemHasKeys reports whether an array's first item is an object with every key.
func FirstItemHasKeys(data []byte, keys ...string) bool {
	var items []json.RawMessage
	if Unmarshal(data, &items) != nil || len(items) == 0 {
		return false
	}
	return HasKeys(items[0], keys...)
}

// HasKeys reports whether an object has every key.
func HasKeys(data []byte, keys ...string) bool {
	var fields map[string]json.RawMessage
	if Unmarshal(data, &fields) != nil {
		return false
	}
	for _, k := range keys {
		if _, ok := fields[k]; !ok {
			return false
		}
	}
	return true
}

// Required fails when an object lacks one of the keys its schema requires.
func Required(data []byte, model string, keys ...string) error {
	if JSONKind(data) != "object" {
		return nil // json.Unmarshal has refused anything but an object (or null) already
	}
	var fields map[string]json.RawMessage
	if err := Unmarshal(data, &fields); err != nil {
		return err
	}
	for _, k := range keys {
		if _, ok := fields[k]; !ok {
			return fmt.Errorf("%s: the required key %q is missing", model, k)
		}
	}
	return nil
}

// TupleKey decodes the array under key position by position (a `prefixItems` tuple):
// item i with items[i]. A missing key or null leaves out untouched.
func TupleKey[U any](data []byte, key string, out *[]*U, items ...func([]byte) (U, error)) error {
	var fields map[string]json.RawMessage
	if err := Unmarshal(data, &fields); err != nil {
		return err
	}
	raw, ok := fields[key]
	if !ok || JSONKind(raw) == "null" {
		return nil
	}
	var values []json.RawMessage
	if err := Unmarshal(raw, &values); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if len(values) != len(items) {
		return fmt.Errorf("%s: a tuple of %d items, not %d", key, len(items), len(values))
	}
	decoded := make([]*U, len(values))
	for i, value := range values {
		v, err := items[i](value)
		if err != nil {
			return fmt.Errorf("%s[%d]: %w", key, i, err)
		}
		decoded[i] = &v
	}
	*out = decoded
	return nil
}

// SortedKeys are a map's keys in order (additional properties are written sorted).
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Key decodes one key of an object into v, if the object has it (for keys a
// struct tag cannot name).
func Key(data []byte, key string, v any) error {
	var fields map[string]json.RawMessage
	if err := Unmarshal(data, &fields); err != nil {
		return err
	}
	raw, ok := fields[key]
	if !ok {
		return nil
	}
	return Unmarshal(raw, v)
}
