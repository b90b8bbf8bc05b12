package sdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
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

// Kind is the JSON kind of a value.
type Kind int

const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
	KindObject
	KindArray
	KindAny // a variant that accepts every kind
)

// KindOf is the JSON kind of an encoded value.
func KindOf(data []byte) Kind {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return KindNull
	}
	switch trimmed[0] {
	case '"':
		return KindString
	case '{':
		return KindObject
	case '[':
		return KindArray
	case 't', 'f':
		return KindBool
	case 'n':
		return KindNull
	}
	return KindNumber
}

// Variant is one way a union may decode.
type Variant struct {
	Kind Kind
	// Keys an object must have, and Tags the (key, JSON value) pairs it must hold
	// (discriminator values, const properties): the evidence for an object variant.
	Keys []string
	Tags [][2]string
	// Decode sets the union from data; exact is false when the value fits only
	// loosely (an enum value that is not a known member).
	Decode func(data []byte) (exact bool, err error)
}

// DecodeUnion picks the variant the value fits: first an exact fit (an object with
// every required key and tag, a known enum member, ...), then any variant of the
// value's kind. An object that fits no variant is unknown: kept when the union is
// open (unknown is called), an error otherwise.
func DecodeUnion(name string, data []byte, variants []Variant, unknown func(json.RawMessage)) error {
	kind := KindOf(data)
	if kind == KindNull {
		return nil
	}
	var fields map[string]json.RawMessage
	if kind == KindObject {
		if err := Unmarshal(data, &fields); err != nil {
			return err
		}
	}
	fits := func(v Variant) bool {
		if v.Kind != kind && v.Kind != KindAny {
			return false
		}
		for _, k := range v.Keys {
			if _, ok := fields[k]; !ok {
				return false
			}
		}
		for _, tag := range v.Tags {
			got, ok := fields[tag[0]]
			if !ok || !jsonEqual(got, tag[1]) {
				return false
			}
		}
		return true
	}
	var firstErr error
	for pass := 0; pass < 2; pass++ {
		for _, v := range variants {
			if !fits(v) {
				continue
			}
			exact, err := v.Decode(data)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if exact || pass == 1 {
				return nil
			}
		}
	}
	if unknown != nil {
		unknown(append(json.RawMessage(nil), data...))
		return nil
	}
	if firstErr != nil {
		return fmt.Errorf("%s: %w", name, firstErr)
	}
	return fmt.Errorf("%s: the value fits none of the union's variants", name)
}

func jsonEqual(raw json.RawMessage, want string) bool {
	var a, b any
	if Unmarshal(raw, &a) != nil || Unmarshal([]byte(want), &b) != nil {
		return false
	}
	return fmt.Sprint(a) == fmt.Sprint(b) && KindOf(raw) == KindOf([]byte(want))
}

// Text is the wire text of a scalar (query, header, path and form values).
func Text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	data, err := Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if KindOf(data) == KindString {
		var s string
		if json.Unmarshal(data, &s) == nil {
			return s
		}
	}
	return strings.TrimSpace(string(data))
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
