package sdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"reflect"
	"sort"
	"strings"
)

// Parameters and bodies on the wire: OpenAPI's style/explode rules as RFC 6570
// expansions, percent-encoded as RFC 3986 says (a space is %20), the same text the
// Python client sends. Values are first turned into plain JSON data with the keys of
// objects in the order the models write them.

// object is a JSON object that keeps its key order.
type object struct {
	keys   []string
	values []any
}

// plain is v as JSON data: nil, string, json.Number, bool, []any or *object;
// ok is false when v is undefined (a nil pointer, slice or map).
func plain(v any) (any, bool) {
	if v == nil {
		return nil, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		if rv.IsNil() {
			return nil, false
		}
	}
	data, err := Marshal(v)
	if err != nil {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	value, err := ordered(dec)
	if err != nil {
		return nil, false
	}
	return value, true
}

func ordered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			items := []any{}
			for dec.More() {
				item, err := ordered(dec)
				if err != nil {
					return nil, err
				}
				items = append(items, item)
			}
			_, err := dec.Token()
			return items, err
		}
		obj := &object{}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			value, err := ordered(dec)
			if err != nil {
				return nil, err
			}
			obj.keys = append(obj.keys, key.(string))
			obj.values = append(obj.values, value)
		}
		_, err := dec.Token()
		return obj, err
	}
	return tok, nil
}

func composite(v any) bool {
	switch v.(type) {
	case []any, *object:
		return true
	}
	return false
}

// jsonText writes plain data back as compact JSON (keys in order).
func jsonText(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = jsonText(item)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case *object:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			key, _ := Marshal(k)
			parts[i] = string(key) + ":" + jsonText(x.values[i])
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	data, _ := Marshal(v)
	return string(data)
}

// text is the wire text of one value; a composite where no rule exists is JSON text.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return jsonText(v)
}

const reservedChars = ":/?[]@!$&'()*+,;="

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func hexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Enc percent-encodes text (UTF-8); with reserved, RFC 3986 reserved characters and
// existing %XX triplets are kept (allowReserved).
func Enc(s string, reserved bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case unreserved(c):
			b.WriteByte(c)
		case reserved && strings.IndexByte(reservedChars, c) >= 0:
			b.WriteByte(c)
		case reserved && c == '%' && i+2 < len(s) && hexDigit(s[i+1]) && hexDigit(s[i+2]):
			b.WriteString(s[i : i+3])
			i += 2
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

type expansion struct {
	first, sep, ifemp, delimiter string
	named, explode, reserved     bool
}

// expand is one variable of an RFC 6570 expression; ok is false when undefined.
func expand(name string, v any, e expansion) (string, bool) {
	value, ok := plain(v)
	if !ok || value == nil {
		return "", false
	}
	encName := Enc(name, false)
	if e.delimiter == "" {
		e.delimiter = ","
	}
	switch x := value.(type) {
	case []any:
		var items, texts []string
		for _, item := range x {
			if item != nil {
				t := text(item)
				texts = append(texts, t)
				items = append(items, Enc(t, e.reserved))
			}
		}
		if len(items) == 0 {
			return "", false
		}
		if refusedItem := delimitedItems(name, e.delimiter, texts); !e.explode && refusedItem != "" {
			return refusedItem, true
		}
		if e.explode {
			if e.named {
				parts := make([]string, len(items))
				for i, item := range items {
					if item == "" {
						parts[i] = encName + e.ifemp
					} else {
						parts[i] = encName + "=" + item
					}
				}
				return e.first + strings.Join(parts, e.sep), true
			}
			return e.first + strings.Join(items, e.sep), true
		}
		joined := strings.Join(items, e.delimiter)
		if e.named {
			return e.first + encName + "=" + joined, true
		}
		return e.first + joined, true
	case *object:
		var keys, values, texts []string
		for i, k := range x.keys {
			if x.values[i] != nil {
				t := text(x.values[i])
				keys = append(keys, Enc(k, false))
				values = append(values, Enc(t, e.reserved))
				texts = append(texts, k, t)
			}
		}
		if len(keys) == 0 {
			return "", false
		}
		if refusedItem := delimitedItems(name, e.delimiter, texts); !e.explode && refusedItem != "" {
			return refusedItem, true
		}
		parts := make([]string, len(keys))
		if e.explode {
			for i := range keys {
				if values[i] != "" || !e.named {
					parts[i] = keys[i] + "=" + values[i]
				} else {
					parts[i] = keys[i] + e.ifemp
				}
			}
			return e.first + strings.Join(parts, e.sep), true
		}
		for i := range keys {
			parts[i] = keys[i] + e.delimiter + values[i]
		}
		joined := strings.Join(parts, e.delimiter)
		if e.named {
			return e.first + encName + "=" + joined, true
		}
		return e.first + joined, true
	}
	t := Enc(text(value), e.reserved)
	if e.named {
		if t == "" {
			return e.first + encName + e.ifemp, true
		}
		return e.first + encName + "=" + t, true
	}
	return e.first + t, true
}

// PathParam is a path parameter in simple, label or matrix style.
func PathParam(name string, v any, style string, explode bool) string {
	var out string
	switch style {
	case "label":
		out, _ = expand(name, v, expansion{first: ".", sep: ".", explode: explode})
	case "matrix":
		out, _ = expand(name, v, expansion{first: ";", sep: ";", named: true, explode: explode})
	default:
		out, _ = expand(name, v, expansion{sep: ",", explode: explode})
	}
	return out
}

// refused marks, in a Call's Path or RawQuery, a value the call cannot carry: NUL, which
// no encoded path or query carries (Enc writes it %00), around the reason. Do returns the
// reason as the call's error before anything is sent.
const refused = "\x00"

func refusal(reason string) string { return refused + reason + refused }

// Segment is the encoded value of a path parameter that fills a whole path segment.
// An empty, "." or ".." value would address another endpoint (URL normalisation makes
// "/v1/customers/.." "/v1", and "/v1/customers/" is another route): refused.
func Segment(encoded string) string {
	if encoded == "" || encoded == "." || encoded == ".." {
		return refusal(fmt.Sprintf("a path parameter cannot be %q: it would address another endpoint", encoded))
	}
	return encoded
}

// checkRefused is the error for a path or query holding a refusal.
func checkRefused(texts ...string) error {
	for _, t := range texts {
		if start := strings.Index(t, refused); start >= 0 {
			rest := t[start+1:]
			return errors.New(rest[:strings.Index(rest, refused)])
		}
	}
	return nil
}

// delimiters is each delimited style's separator, percent-encoded (the other styles
// separate with ",").
var delimiters = map[string]string{"spaceDelimited": "%20", "pipeDelimited": "%7C"}

// delimitedItems is the refusal of the first item of a spaceDelimited or pipeDelimited
// list or object holding its separator (written the same, %20 or %7C, with no escape:
// the server would split it apart), "" when none does.
func delimitedItems(name, delimiter string, texts []string) string {
	var char, style string
	switch delimiter {
	case "%20":
		char, style = " ", "spaceDelimited"
	case "%7C":
		char, style = "|", "pipeDelimited"
	default:
		return ""
	}
	for _, t := range texts {
		if strings.Contains(t, char) {
			return refusal(fmt.Sprintf("parameter %q: %q holds %q, the separator of its %s style, which cannot be escaped: the server would split it apart", name, t, char, style))
		}
	}
	return ""
}

// QueryParam is one query parameter as k=v pairs joined by & ("" when left out).
func QueryParam(name string, v any, style string, explode, allowReserved bool) string {
	if style == "deepObject" {
		value, ok := plain(v)
		if !ok {
			return ""
		}
		var parts []string
		for _, kv := range deep(name, value, true, false, nil) {
			parts = append(parts, Enc(kv[0], false)+"="+Enc(kv[1], allowReserved))
		}
		return strings.Join(parts, "&")
	}
	delimiter := delimiters[style]
	out, _ := expand(name, v, expansion{sep: "&", named: true, ifemp: "=", explode: explode, reserved: allowReserved,
		delimiter: delimiter})
	return out
}

// document is a value written as a document of mediaType (JSON, or its text).
func document(v any, mediaType string) (string, bool) {
	value, ok := plain(v)
	if !ok {
		return "", false
	}
	if IsJSON(mediaType) {
		return jsonText(value), true
	}
	return text(value), true
}

// QueryContent is a query parameter described with `content` ("" when left out).
func QueryContent(name string, v any, mediaType string) string {
	doc, ok := document(v, mediaType)
	if !ok {
		return ""
	}
	return Enc(name, false) + "=" + Enc(doc, false)
}

// PathContent is a path parameter described with `content`.
func PathContent(v any, mediaType string) string {
	doc, _ := document(v, mediaType)
	return Enc(doc, false)
}

// JoinQuery is the query string from the parameters that are present.
func JoinQuery(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "&")
}

// headerText percent-encodes what a header value cannot carry (CR, LF, non-ASCII).
func headerText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || (c >= 0x20 && c <= 0x7e) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// headerItems is the refusal of the first of texts holding one of separators, the
// simple style's, which a header value (never percent-decoded) cannot escape: the server
// would split it apart. "" when none does.
func headerItems(texts []string, separators string) string {
	for _, t := range texts {
		for _, c := range separators {
			if strings.ContainsRune(t, c) {
				return refusal(fmt.Sprintf("%q holds %q, a separator of a header parameter's simple style, which a header cannot escape: the server would split it apart", t, string(c)))
			}
		}
	}
	return ""
}

// HeaderParam is a header parameter in simple style (ok false: left out).
func HeaderParam(v any, explode bool) (string, bool) {
	value, ok := plain(v)
	if !ok || value == nil {
		return "", false
	}
	switch x := value.(type) {
	case []any:
		var items []string
		for _, item := range x {
			if item != nil {
				items = append(items, text(item))
			}
		}
		if refusedItem := headerItems(items, ","); refusedItem != "" {
			return refusedItem, true
		}
		return headerText(strings.Join(items, ",")), len(items) > 0
	case *object:
		var keys, values []string
		for i, k := range x.keys {
			if x.values[i] != nil {
				keys, values = append(keys, k), append(values, text(x.values[i]))
			}
		}
		separators, joiner := ",", ","
		if explode {
			separators, joiner = ",=", "="
		}
		if refusedItem := headerItems(keys, separators) + headerItems(values, ","); refusedItem != "" {
			return refusedItem, true
		}
		parts := make([]string, len(keys))
		for i := range keys {
			parts[i] = keys[i] + joiner + values[i]
		}
		return headerText(strings.Join(parts, ",")), len(parts) > 0
	}
	return headerText(text(value)), true
}

// HeaderContent is a header parameter described with `content`.
func HeaderContent(v any, mediaType string) (string, bool) {
	doc, ok := document(v, mediaType)
	return headerText(doc), ok
}

// CookieParam is a cookie parameter in form style: name=value pairs joined by "; ".
func CookieParam(name string, v any, explode bool) string {
	out, _ := expand(name, v, expansion{sep: "; ", named: true, ifemp: "=", explode: explode})
	return out
}

// CookieContent is a cookie parameter described with `content`.
func CookieContent(name string, v any, mediaType string) string {
	doc, ok := document(v, mediaType)
	if !ok {
		return ""
	}
	return Enc(name, false) + "=" + Enc(doc, false)
}

// JoinCookies is the Cookie header from the cookie parameters that are present.
func JoinCookies(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "; ")
}

// deep is (key, text) pairs, unencoded: prefix[k], prefix[i] for arrays; empty is the
// text sent for null (nil: left out).
func deep(prefix string, value any, top, indexNested bool, empty *string) [][2]string {
	switch x := value.(type) {
	case nil:
		if empty == nil {
			return nil
		}
		return [][2]string{{prefix, *empty}}
	case *object:
		var out [][2]string
		for i, k := range x.keys {
			out = append(out, deep(prefix+"["+k+"]", x.values[i], false, indexNested, empty)...)
		}
		return out
	case []any:
		scalars := true
		for _, item := range x {
			if composite(item) {
				scalars = false
			}
		}
		var out [][2]string
		if scalars && !top && !indexNested {
			for _, item := range x {
				if item != nil {
					out = append(out, [2]string{prefix, text(item)})
				}
			}
			return out
		}
		for i, item := range x {
			out = append(out, deep(fmt.Sprintf("%s[%d]", prefix, i), item, false, indexNested, empty)...)
		}
		return out
	}
	return [][2]string{{prefix, text(value)}}
}

// FormRule is how one property of a form body is written (its `encoding`).
type FormRule struct {
	Style         string // "" with Content set
	Explode       bool
	AllowReserved bool
	Content       string // a media type: the value as a document
}

// FormBody encodes a model as application/x-www-form-urlencoded; properties
// without a rule go in form style, nested values with brackets; null is `key=`.
func FormBody(v any, rules map[string]FormRule) ([]byte, error) {
	value, ok := plain(v)
	obj, isObject := value.(*object)
	if !ok || !isObject {
		return nil, fmt.Errorf("a form body is an object of fields")
	}
	var pieces []string
	for i, key := range obj.keys {
		item := obj.values[i]
		rule, has := rules[key]
		if !has {
			rule = FormRule{Style: "form", Explode: true}
		}
		if rule.Content != "" {
			doc := text(item)
			if IsJSON(rule.Content) {
				doc = jsonText(item)
			}
			pieces = append(pieces, Enc(key, false)+"="+Enc(doc, false))
			continue
		}
		if item == nil {
			pieces = append(pieces, Enc(key, false)+"=")
			continue
		}
		if rule.Style == "deepObject" || (rule.Style == "form" && rule.Explode && nested(item)) {
			empty := ""
			for _, kv := range deep(key, item, true, true, &empty) {
				pieces = append(pieces, Enc(kv[0], false)+"="+Enc(kv[1], rule.AllowReserved))
			}
			continue
		}
		delimiter := delimiters[rule.Style]
		if piece, ok := expand(key, rawValue{item}, expansion{sep: "&", named: true, ifemp: "=", explode: rule.Explode,
			reserved: rule.AllowReserved, delimiter: delimiter}); ok {
			pieces = append(pieces, piece)
		}
	}
	joined := strings.Join(pieces, "&")
	if err := checkRefused(joined); err != nil {
		return nil, err
	}
	// the form-urlencoded serialisation (WHATWG URL, what browsers send) writes a space
	// as `+`, as the Python client does
	return []byte(strings.ReplaceAll(joined, "%20", "+")), nil
}

// rawValue carries plain data through expand (which takes Go values).
type rawValue struct{ v any }

func (r rawValue) MarshalJSON() ([]byte, error) { return []byte(jsonText(r.v)), nil }

func nested(v any) bool {
	switch x := v.(type) {
	case *object:
		for _, item := range x.values {
			if composite(item) {
				return true
			}
		}
	case []any:
		for _, item := range x {
			if composite(item) {
				return true
			}
		}
	}
	return false
}

// File is the content of a file part of a multipart body.
type File struct {
	FileName    string
	Content     io.Reader
	ContentType string
}

// Part is one property of a multipart body.
type Part struct {
	Name        string
	Kind        string // "file", "text" or "json"
	ContentType string
	Value       any // File / *File / []byte for files; anything for text and json
}

// MapParts is one part per key of a map (keys in order): []byte, File and *File
// values are file parts, objects and arrays JSON parts, other values text parts.
// A body whose schema names no parts (a binary string, say) is given as such a map.
func MapParts(v any) ([]Part, error) {
	values, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a multipart body is a map of part names to values, not %T", v)
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]Part, 0, len(keys))
	for _, k := range keys {
		switch x := values[k].(type) {
		case []byte, File, *File:
			parts = append(parts, Part{Name: k, Kind: "file", ContentType: "application/octet-stream", Value: x})
		default:
			if value, _ := plain(x); composite(value) {
				parts = append(parts, Part{Name: k, Kind: "json", ContentType: "application/json", Value: x})
			} else {
				parts = append(parts, Part{Name: k, Kind: "text", ContentType: "text/plain", Value: x})
			}
		}
	}
	return parts, nil
}

// MultipartBody writes the parts under the media type (multipart/form-data, or
// another multipart type, with form-data parts); it returns the body and its content
// type (with the boundary).
func MultipartBody(parts []Part, media string) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		header := textproto.MIMEHeader{}
		var content io.Reader
		switch p.Kind {
		case "file":
			file := File{FileName: p.Name, ContentType: p.ContentType}
			switch f := p.Value.(type) {
			case File:
				file = f
			case *File:
				file = *f
			case []byte:
				file.Content = bytes.NewReader(f)
			case string:
				file.Content = strings.NewReader(f)
			default:
				return nil, "", fmt.Errorf("%s: a file part takes a File or bytes", p.Name)
			}
			if file.FileName == "" {
				file.FileName = p.Name
			}
			if file.ContentType == "" {
				file.ContentType = p.ContentType
			}
			header.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`,
				escapeQuotes(p.Name), escapeQuotes(file.FileName)))
			header.Set("Content-Type", file.ContentType)
			content = file.Content
		case "json":
			value, _ := plain(p.Value)
			header.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, escapeQuotes(p.Name)))
			header.Set("Content-Type", p.ContentType)
			content = strings.NewReader(jsonText(value))
		default:
			value, _ := plain(p.Value)
			header.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, escapeQuotes(p.Name)))
			if p.ContentType != "" && p.ContentType != "text/plain" {
				header.Set("Content-Type", p.ContentType)
			}
			content = strings.NewReader(text(value))
		}
		part, err := w.CreatePart(header)
		if err != nil {
			return nil, "", err
		}
		if content != nil {
			if _, err := io.Copy(part, content); err != nil {
				return nil, "", err
			}
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), media + "; boundary=" + w.Boundary(), nil
}

func escapeQuotes(s string) string {
	return strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A").Replace(s)
}
