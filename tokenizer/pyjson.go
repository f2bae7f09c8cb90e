package tokenizer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/internal/jsonstr"
)

// marshalPyJSON writes v the way Python's
// json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False) + "\n" does,
// which is how HF saves vocab.json, tokenizer_config.json and
// special_tokens_map.json; writing the same bytes keeps a saved folder
// byte-identical to one HF saved. v is made of map[string]any, []any,
// map[string]int, string, bool, nil, int and json.Number.
func marshalPyJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writePyJSON(&b, v, 0); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// writePyJSON writes one value at nesting depth level.
func writePyJSON(b *bytes.Buffer, v any, level int) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case json.Number:
		s, err := pyNumber(x)
		if err != nil {
			return err
		}
		b.WriteString(s)
	case string:
		jsonstr.Write(b, x)
	case map[string]int:
		m := make(map[string]any, len(x))
		for k, v := range x {
			m[k] = v
		}
		return writePyJSON(b, m, level)
	case map[string]any:
		if len(x) == 0 {
			b.WriteString("{}")
			return nil
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // byte order of UTF-8 = Python's code point order
		b.WriteString("{\n")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(",\n")
			}
			indent(b, level+1)
			jsonstr.Write(b, k)
			b.WriteString(": ")
			if err := writePyJSON(b, x[k], level+1); err != nil {
				return err
			}
		}
		b.WriteByte('\n')
		indent(b, level)
		b.WriteByte('}')
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[\n")
		for i, e := range x {
			if i > 0 {
				b.WriteString(",\n")
			}
			indent(b, level+1)
			if err := writePyJSON(b, e, level+1); err != nil {
				return err
			}
		}
		b.WriteByte('\n')
		indent(b, level)
		b.WriteByte(']')
	default:
		return fmt.Errorf("cannot write a %T as JSON", v)
	}
	return nil
}

// indent writes two spaces per level.
func indent(b *bytes.Buffer, level int) {
	b.WriteString(strings.Repeat("  ", level))
}

// pyNumber formats a JSON number as Python re-dumps what json.load read: an
// integer literal stays as it is, anything else is a float in repr form
// (1e30 -> "1e+30", 2.50 -> "2.5", 1.0 -> "1.0").
func pyNumber(n json.Number) (string, error) {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		return s, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", fmt.Errorf("number %s: %w", s, err)
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e, nil
	}
	fixed := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(fixed, ".") {
		fixed += ".0"
	}
	return fixed, nil
}
