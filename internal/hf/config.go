package hf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/internal/atomicfile"
)

// The JSON settings files of a checkpoint (config.json,
// generation_config.json) are read and written the same way in every
// family: keys decoded one by one over HF's defaults, the keys a package
// does not interpret kept in an Extra map and written back unchanged, and the
// file saved sorted, indented by two, atomically. what names the document in
// errors ("bert config", "gpt2 generation config").

// Document is a settings file a package can check and encode.
type Document interface {
	Validate() error
	MarshalJSON() ([]byte, error)
}

// DecodeObject decodes a settings document into its keys.
func DecodeObject(what string, data []byte) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object: %w", what, err)
	}
	return raw, nil
}

// IsNull reports whether a raw value is JSON's null.
func IsNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// DecodeFields decodes each key of fields into the Go field its value
// points to, in sorted key order; a key that is absent or null leaves the
// field at its default.
func DecodeFields(what string, raw map[string]json.RawMessage, fields map[string]any) error {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, ok := raw[k]
		if !ok || IsNull(v) {
			continue
		}
		if err := json.Unmarshal(v, fields[k]); err != nil {
			return fmt.Errorf("%s: key %q: %w", what, k, err)
		}
	}
	return nil
}

// Extra returns the keys of raw that known does not list (nil when there
// are none): what a package keeps to write back unchanged.
func Extra(raw map[string]json.RawMessage, known map[string]bool) map[string]json.RawMessage {
	var extra map[string]json.RawMessage
	for k, v := range raw {
		if !known[k] {
			if extra == nil {
				extra = map[string]json.RawMessage{}
			}
			extra[k] = v
		}
	}
	return extra
}

// CloneExtra returns a deep copy of an Extra map (nil stays nil).
func CloneExtra(extra map[string]json.RawMessage) map[string]json.RawMessage {
	if extra == nil {
		return nil
	}
	d := make(map[string]json.RawMessage, len(extra))
	for k, v := range extra {
		d[k] = append(json.RawMessage(nil), v...)
	}
	return d
}

// WithExtra returns the keys to write: extra's, with fields over them.
func WithExtra(extra map[string]json.RawMessage, fields map[string]any) map[string]any {
	m := make(map[string]any, len(extra)+len(fields))
	for k, v := range extra {
		m[k] = v
	}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

// ReadJSON reads the settings file at path (or the file called name inside
// the folder path) and decodes it with parse. A read error names the
// document, a parse error the file.
func ReadJSON[T any](what, path, name string, parse func(data []byte) (T, error)) (T, error) {
	path = FileIn(path, name)
	var none T
	data, err := os.ReadFile(path)
	if err != nil {
		return none, fmt.Errorf("%s: %w", what, err)
	}
	v, err := parse(data)
	if err != nil {
		return none, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// Unmarshal decodes data with parse into *dst: the UnmarshalJSON of a
// settings type whose parser fills HF's defaults and validates.
func Unmarshal[T any](dst *T, data []byte, parse func(data []byte) (*T, error)) error {
	v, err := parse(data)
	if err != nil {
		return err
	}
	*dst = *v
	return nil
}

// SaveJSON validates d and writes it at path (or as name inside the folder
// path) atomically, ending with a newline as HF's files do.
func SaveJSON(what, path, name string, d Document) error {
	path = FileIn(path, name)
	if err := d.Validate(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	data, err := d.MarshalJSON()
	if err != nil {
		return fmt.Errorf("%s: encoding %s: %w", what, path, err)
	}
	if err := atomicfile.WriteFile(path, append(data, '\n')); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// MarshalIndent is json.MarshalIndent with two spaces and without Go's
// escaping of <, > and &, which Python's json.dumps does not do.
func MarshalIndent(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// PyFloat is a float64 that marshals as Python's repr does: the shortest
// digits that read back exactly, in exponent form below 1e-4 or from 1e16
// ("1e-05", "0.02", "1e+16"), with ".0" on whole numbers ("1.0").
type PyFloat float64

// MarshalJSON writes the Python spelling.
func (f PyFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("%v cannot be written to JSON", v)
	}
	if v == 0 {
		return []byte("0.0"), nil
	}
	s := strconv.FormatFloat(v, 'e', -1, 64) // shortest digits: "1e-05", "2e-02"
	exp, _ := strconv.Atoi(s[strings.IndexByte(s, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return []byte(s), nil
	}
	s = strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return []byte(s), nil
}
