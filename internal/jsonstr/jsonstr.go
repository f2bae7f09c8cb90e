// Package jsonstr writes a JSON string the way both of the writers whose
// files this project must reproduce byte for byte do it: Python's json.dumps
// with ensure_ascii=False (HF's vocab.json, tokenizer_config.json, …) and
// Rust's serde_json (the safetensors header). They agree: only '"', '\\' and
// the control characters U+0000..U+001F are escaped — \b \f \n \r \t by name,
// the others as \u00xx in lowercase hex — and everything else (U+007F, U+2028,
// any non-ASCII text) is written as it is. Go's encoding/json differs (it
// escapes <, >, & and U+2028), so saved files would not match.
package jsonstr

import "bytes"

// Write appends s to b as a JSON string literal, quotes included.
func Write(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}
