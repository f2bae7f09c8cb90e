package safetensors

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// build assembles a file from a literal header and a data section, with the
// correct length prefix (unless the test overrides it).
func build(header string, data []byte) []byte {
	buf := make([]byte, 8, 8+len(header)+len(data))
	binary.LittleEndian.PutUint64(buf, uint64(len(header)))
	buf = append(buf, header...)
	return append(buf, data...)
}

// TestMalformed feeds broken files to the parser and checks each error names the
// problem (and the tensor, where there is one).
func TestMalformed(t *testing.T) {
	good, err := Marshal([]Entry{
		F32Entry("a", []int{2}, []float32{1, 2}),
		F32Entry("b", []int{1}, []float32{3}),
	}, map[string]string{"format": "pt"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(good); err != nil {
		t.Fatalf("the well-formed file fails: %v", err)
	}
	huge := make([]byte, 16)
	binary.LittleEndian.PutUint64(huge, MaxHeaderSize+1)
	longLen := make([]byte, 16)
	binary.LittleEndian.PutUint64(longLen, 100)
	d12 := make([]byte, 12)

	cases := []struct {
		name string
		file []byte
		want []string
	}{
		{"empty", nil, []string{"too short"}},
		{"truncated prefix", good[:5], []string{"too short"}},
		{"truncated header", good[:20], []string{"header length", "truncated"}},
		{"truncated data", good[:len(good)-2], []string{`tensor "b"`, "run past the end", "truncated"}},
		{"oversized header", huge, []string{"exceeds", "cap"}},
		{"length past end", longLen, []string{"header length 100", "8 bytes follow"}},
		{"not json", build("hello world", nil), []string{"does not start with '{'"}},
		{"bad json", build(`{"a":{"dtype":"F32",`, nil), []string{"tensor \"a\"", "bad header entry"}},
		{"trailing json", build(`{} {}`, nil), []string{"after the closing"}},
		{"not an object", build(`{"a":3}`, d12), []string{`tensor "a"`}},
		{"missing field", build(`{"a":{"dtype":"F32","shape":[3]}}`, d12), []string{`tensor "a"`, "needs dtype, shape and data_offsets"}},
		{"unknown dtype", build(`{"a":{"dtype":"F128","shape":[3],"data_offsets":[0,12]}}`, d12), []string{`tensor "a"`, `unknown dtype "F128"`}},
		{"negative dim", build(`{"a":{"dtype":"F32","shape":[-3],"data_offsets":[0,12]}}`, d12), []string{`tensor "a"`, "negative"}},
		{"float dim", build(`{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,12]}}`, d12), []string{`tensor "a"`}},
		{"wrong byte count", build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}`, d12), []string{`tensor "a"`, "needs 8 bytes", "span 12"}},
		{"reversed offsets", build(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[12,0]}}`, d12), []string{`tensor "a"`, "begin <= end"}},
		{"three offsets", build(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12,12]}}`, d12), []string{`tensor "a"`, "[begin, end]"}},
		{"overlap", build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, d12),
			[]string{`tensor "b"`, "overlap", `tensor "a"`}},
		{"gap", build(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, d12),
			[]string{`tensor "b"`, "gap of 4 bytes", `"a"`}},
		{"gap at start", build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, d12), []string{`tensor "a"`, "gap of 4 bytes at the start"}},
		{"trailing bytes", build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, d12), []string{"12 bytes", "cover only 8"}},
		{"past end", build(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, d12), []string{`tensor "a"`, "run past the end"}},
		{"duplicate name", build(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, d12),
			[]string{`tensor "a" appears twice`}},
		{"metadata not strings", build(`{"__metadata__":{"format":1}}`, nil), []string{`"__metadata__"`, `"format"`, "want a string"}},
		{"metadata twice", build(`{"__metadata__":{},"__metadata__":{}}`, nil), []string{"appears twice"}},
		{"huge shape", build(`{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,12]}}`, d12), []string{`tensor "a"`, "impossibly large"}},
		{"bad utf8", build("{\"\xff\":1}", nil), []string{"UTF-8"}},
	}
	for _, c := range cases {
		_, err := Parse(c.file)
		if err == nil {
			t.Errorf("%s: parsed without error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
}

// TestOpenErrorsNameTheFile checks Open puts the path in its errors.
func TestOpenErrorsNameTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.safetensors")
	if err := os.WriteFile(path, build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}`, make([]byte, 12)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `tensor "a"`) {
		t.Errorf("error %v should name %s and tensor a", err, path)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.safetensors")); err == nil || !strings.Contains(err.Error(), "missing.safetensors") {
		t.Errorf("missing file error = %v", err)
	}
}

// TestEmptyFile accepts the smallest valid file: no tensors, header "{}".
func TestEmptyFile(t *testing.T) {
	buf, err := Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(buf[8:]) != "{}      " {
		t.Errorf("empty file header %q", buf[8:])
	}
	f, err := Parse(buf)
	if err != nil || f.Len() != 0 || f.Metadata != nil {
		t.Errorf("empty file: %v %v", f, err)
	}
}
