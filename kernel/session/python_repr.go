package session

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Some magics return values that IPython shows as Python objects: %pwd and
// `%env NAME` a str, `%env` a dict. The session shows them exactly as IPython
// would (Out: '/home/me'), so a notebook reads the same in both kernels.

// prettyWidth is the line width of IPython's pretty printer: a dict whose repr
// is longer is shown one entry per line.
const prettyWidth = 79

// pyRepr is Python's repr of a str: single quotes unless the text holds a
// single quote and no double quote; backslashes, the quote and control
// characters escaped; other printable characters as they are.
func pyRepr(s string) string {
	quote := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteRune(quote)
	for _, r := range s {
		switch {
		case r == '\\' || r == quote:
			b.WriteRune('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == unicode.ReplacementChar || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteRune(quote)
	return b.String()
}

// pyDictRepr shows string pairs the way IPython's pretty printer shows a dict
// of str: {'a': '1', 'b': '2'} on one line when it fits in prettyWidth
// columns, otherwise one entry per line, aligned after the opening brace.
func pyDictRepr(keys, values []string) string {
	entries := make([]string, len(keys))
	for i := range keys {
		entries[i] = pyRepr(keys[i]) + ": " + pyRepr(values[i])
	}
	one := "{" + strings.Join(entries, ", ") + "}"
	if utf8.RuneCountInString(one) <= prettyWidth {
		return one
	}
	return "{" + strings.Join(entries, ",\n ") + "}"
}
