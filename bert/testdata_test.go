package bert

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/safetensors"
)

// parityExpected opens expected.safetensors of the reference folder.
func parityExpected(t testing.TB, dir string) *safetensors.File {
	t.Helper()
	f, err := safetensors.Open(filepath.Join(dir, "expected.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// parityFloats reads a float tensor from f, failing the test if absent.
func parityFloats(t testing.TB, f *safetensors.File, name string) ([]float32, []int) {
	t.Helper()
	v, shape, err := f.Float32(name)
	if err != nil {
		t.Fatalf("expected.safetensors: %v", err)
	}
	return v, shape
}

// parityInts reads an integer tensor from f as ints.
func parityInts(t testing.TB, f *safetensors.File, name string) ([]int, []int) {
	t.Helper()
	v, shape, err := f.Int64(name)
	if err != nil {
		t.Fatalf("expected.safetensors: %v", err)
	}
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out, shape
}

// parityClose compares got with want elementwise as |got-want| <= atol +
// rtol*|want| (the reference README's rule) and reports the worst element.
func parityClose(t testing.TB, name string, got []float32, gotShape []int, want []float32, wantShape []int, atol, rtol float64) {
	t.Helper()
	if !autograd.SameShape(gotShape, wantShape) {
		t.Errorf("%s: shape %v, want %v", name, gotShape, wantShape)
		return
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", name, len(got), len(want))
		return
	}
	worst, worstAt, bad := 0.0, -1, 0
	for i := range want {
		d := math.Abs(float64(got[i]) - float64(want[i]))
		lim := atol + rtol*math.Abs(float64(want[i]))
		if d > lim || math.IsNaN(float64(got[i])) {
			bad++
		}
		if excess := d - lim; worstAt < 0 || excess > worst || math.IsNaN(float64(got[i])) {
			worst, worstAt = excess, i
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d values outside atol %g rtol %g; worst at flat index %d: got %g, want %g",
			name, bad, len(want), atol, rtol, worstAt, got[worstAt], want[worstAt])
	}
}
