package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestWrite(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{`a"b\c`, `"a\"b\\c"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"\x7f<>&", "\"\x7f<>&\""},
		{"Ġhello ς 我 \u2028 😀", "\"Ġhello ς 我 \u2028 😀\""},
	} {
		var b bytes.Buffer
		Write(&b, c.in)
		if b.String() != c.want {
			t.Errorf("Write(%q) = %s, want %s", c.in, b.String(), c.want)
		}
		var back string
		if err := json.Unmarshal(b.Bytes(), &back); err != nil || back != c.in {
			t.Errorf("Write(%q) does not read back: %q, %v", c.in, back, err)
		}
	}
}
