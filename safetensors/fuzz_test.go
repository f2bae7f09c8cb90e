package safetensors

import (
	"bytes"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the parser: it must never panic, and any
// file it accepts must re-encode (in sorted-name order) to a file that parses to
// the same tensors with the same bytes.
func FuzzParse(f *testing.F) {
	good, _ := Marshal([]Entry{
		F32Entry("a", []int{2}, []float32{1, 2}),
		I64Entry("b", nil, []int64{7}),
		RawEntry("c", F16, []int{1, 1}, []byte{0, 0x3c}),
	}, map[string]string{"format": "pt"})
	f.Add(good)
	f.Add(build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, make([]byte, 12)))
	f.Add(build(`{"__metadata__":{"k":"v"}}`, nil))
	f.Add(build(`{}`, nil))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, buf []byte) {
		file, err := Parse(buf)
		if err != nil {
			return
		}
		var entries []Entry
		for _, n := range file.Names() {
			raw, info, err := file.Raw(n)
			if err != nil {
				t.Fatal(err)
			}
			if info.DType.IsFloat() {
				file.Float32(n)
			} else {
				file.Int64(n)
			}
			entries = append(entries, RawEntry(n, info.DType, info.Shape, raw))
		}
		out, err := Marshal(entries, file.Metadata)
		if err != nil {
			t.Fatalf("re-encoding an accepted file: %v", err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("re-encoded file does not parse: %v", err)
		}
		for _, n := range file.Names() {
			a, _, _ := file.Raw(n)
			b, _, _ := again.Raw(n)
			if !bytes.Equal(a, b) {
				t.Fatalf("tensor %q changed in the round trip", n)
			}
		}
	})
}
