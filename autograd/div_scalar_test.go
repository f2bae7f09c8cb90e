package autograd

import (
	"math"
	"testing"
)

// TestDivScalarByPowerOfTwoIsExact checks DivScalar's quotients (the vector
// kernel Sdiv) bit for bit against the plain v/s, subnormal results, zeros,
// infinities and NaN included, and the premise of exactReciprocal, which
// lets MatMulDivScalar fold the division into the product: for powers of two
// (attention's √64 = 8 among them) v·(1/s) gives those same bits, and other
// divisors are not taken for powers of two.
func TestDivScalarByPowerOfTwoIsExact(t *testing.T) {
	values := []float32{0, float32(math.Copysign(0, -1)), 1, -3.5, 1e-38, -1.17549435e-38, 1.4e-45, 3e-39,
		math.MaxFloat32, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	rng := NewRNG(3)
	for range 2000 {
		values = append(values, float32(rng.NormFloat64()*math.Pow(2, float64(rng.Intn(260)-130))))
	}
	x := New(values, len(values))
	for _, s := range []float32{8, 0.125, 1, 2, 1 << 20, 0x1p-100, 0x1p126, 0x1p127, 3, 5.65685424949238, -4} {
		r, exact := exactReciprocal(s)
		got := x.DivScalar(s).Data()
		for i, v := range values {
			want := v / s
			if math.Float32bits(got[i]) != math.Float32bits(want) && !(want != want && got[i] != got[i]) {
				t.Fatalf("DivScalar(%g) of %g = %g, want %g", s, v, got[i], want)
			}
			if p := v * r; exact && math.Float32bits(p) != math.Float32bits(want) && !(want != want && p != p) {
				t.Fatalf("%g·(1/%g) = %g, but %g/%g = %g", v, s, p, v, s, want)
			}
		}
	}
	for s, want := range map[float32]bool{8: true, 0.125: true, 0x1p127: false, 3: false, 0: false, float32(math.Inf(1)): false} {
		if _, ok := exactReciprocal(s); ok != want {
			t.Errorf("exactReciprocal(%g) reports %v, want %v", s, ok, want)
		}
	}
}
