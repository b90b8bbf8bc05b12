package sdk

import "strings"

// ServerVariable is one {name} of the server URLs and the value it takes.
type ServerVariable struct {
	Name  string
	Value string
	Keep  string // the characters besides letters, digits and -._~ kept where it sits
}

// FillServer replaces every {name} of template with its value, percent-encoded so a
// value cannot change the URL's structure (the host, say): every byte but letters,
// digits, -._~ and the variable's Keep is escaped, as the Python client does.
func FillServer(template string, variables []ServerVariable) string {
	for _, v := range variables {
		template = strings.ReplaceAll(template, "{"+v.Name+"}", escapeVariable(v.Value, v.Keep))
	}
	return template
}

func escapeVariable(value string, keep string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
