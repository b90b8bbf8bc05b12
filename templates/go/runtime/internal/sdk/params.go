package sdk

import (
	"encoding/json"
	"net/url"
	"reflect"
	"sort"
	"strings"
)

// deref follows pointers; ok is false for nil (an unset optional value).
func deref(v any) (reflect.Value, bool) {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) {
		if rv.IsNil() {
			return rv, false
		}
		rv = rv.Elem()
	}
	return rv, rv.IsValid()
}

// AddQuery adds one query parameter: nil is left out; a slice repeats the key
// (form, explode) or joins its items with commas (explode=false); a map or an
// object becomes key[sub]=value (deepObject) or, with form style, its pairs.
func AddQuery(q url.Values, name string, v any, style string, explode bool) {
	rv, ok := deref(v)
	if !ok {
		return
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
			q.Add(name, string(rv.Bytes()))
			return
		}
		var items []string
		for i := 0; i < rv.Len(); i++ {
			if item, ok := deref(rv.Index(i).Interface()); ok {
				items = append(items, Text(item.Interface()))
			}
		}
		if explode || style == "deepObject" {
			for _, item := range items {
				q.Add(name, item)
			}
		} else if len(items) > 0 {
			q.Add(name, strings.Join(items, ","))
		}
		return
	case reflect.Map, reflect.Struct:
		if _, isUnion := rv.Interface().(json.Marshaler); rv.Kind() == reflect.Struct && !isUnion {
			q.Add(name, Text(rv.Interface()))
			return
		}
		pairs := objectPairs(rv.Interface())
		if pairs == nil {
			q.Add(name, Text(rv.Interface()))
			return
		}
		for _, kv := range pairs {
			if style == "deepObject" {
				q.Add(name+"["+kv[0]+"]", kv[1])
			} else {
				q.Add(kv[0], kv[1])
			}
		}
		return
	}
	q.Add(name, Text(rv.Interface()))
}

// objectPairs is an object value as sorted (key, text) pairs, or nil if it is not an object.
func objectPairs(v any) [][2]string {
	data, err := Marshal(v)
	if err != nil || JSONKind(data) != "object" {
		return nil
	}
	var fields map[string]json.RawMessage
	if Unmarshal(data, &fields) != nil {
		return nil
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := [][2]string{}
	for _, k := range keys {
		raw := fields[k]
		switch JSONKind(raw) {
		case "null":
			continue
		case "string":
			var s string
			_ = json.Unmarshal(raw, &s)
			pairs = append(pairs, [2]string{k, s})
		default:
			pairs = append(pairs, [2]string{k, string(raw)})
		}
	}
	return pairs
}

// SetHeader sets a header parameter (nil is left out; slices are comma-joined).
func SetHeader(h map[string][]string, name string, v any) {
	rv, ok := deref(v)
	if !ok {
		return
	}
	if rv.Kind() == reflect.Slice {
		var items []string
		for i := 0; i < rv.Len(); i++ {
			items = append(items, Text(rv.Index(i).Interface()))
		}
		h[name] = []string{strings.Join(items, ",")}
		return
	}
	h[name] = []string{Text(rv.Interface())}
}

// PathValue is a path parameter, escaped for its segment.
func PathValue(v any) string {
	rv, ok := deref(v)
	if !ok {
		return ""
	}
	if rv.Kind() == reflect.Slice {
		var items []string
		for i := 0; i < rv.Len(); i++ {
			items = append(items, url.PathEscape(Text(rv.Index(i).Interface())))
		}
		return strings.Join(items, ",")
	}
	return url.PathEscape(Text(rv.Interface()))
}

// Form is an object encoded as application/x-www-form-urlencoded: arrays repeat
// the key, nested objects become key[sub]=value, nulls are left out.
func Form(v any) ([]byte, error) {
	data, err := Marshal(v)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := Unmarshal(data, &fields); err != nil {
		return nil, err
	}
	q := url.Values{}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var value any
		if err := Unmarshal(fields[k], &value); err != nil {
			return nil, err
		}
		flatten(q, k, value)
	}
	return []byte(q.Encode()), nil
}

func flatten(q url.Values, key string, value any) {
	switch x := value.(type) {
	case nil:
	case []any:
		for _, item := range x {
			if item != nil {
				q.Add(key, Text(item))
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			flatten(q, key+"["+k+"]", x[k])
		}
	default:
		q.Add(key, Text(x))
	}
}

// AddCookie adds a cookie parameter to the Cookie header (nil is left out).
func AddCookie(h map[string][]string, name string, v any) {
	rv, ok := deref(v)
	if !ok {
		return
	}
	pair := name + "=" + url.QueryEscape(Text(rv.Interface()))
	if existing, ok := h["Cookie"]; ok && len(existing) > 0 {
		h["Cookie"] = []string{existing[0] + "; " + pair}
		return
	}
	h["Cookie"] = []string{pair}
}
