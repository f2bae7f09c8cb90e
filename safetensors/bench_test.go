package safetensors

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
)

// BenchmarkParseModel parses and validates the reference model.safetensors
// (~160 KB, 40 tensors) and decodes every tensor to float32.
func BenchmarkParseModel(b *testing.B) {
	buf, err := os.ReadFile(filepath.Join(testref.BertRefDir(b), "model.safetensors"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	for i := 0; i < b.N; i++ {
		f, err := Parse(buf)
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range f.Names() {
			if _, _, err := f.Float32(n); err != nil {
				b.Fatal(err)
			}
		}
	}
}
