package autograd

import (
	"math"
	"sort"
	"testing"
)

// The generator is fully specified (xoshiro256** seeded by splitmix64), so its
// first outputs are fixed forever; a change here breaks every seeded notebook.
func TestRNGIsDeterministic(t *testing.T) {
	r := NewRNG(42)
	got := []uint64{r.Uint64(), r.Uint64(), r.Uint64()}
	again := NewRNG(42)
	for i, v := range got {
		if w := again.Uint64(); w != v {
			t.Fatalf("same seed, output %d differs: %x vs %x", i, v, w)
		}
	}
	if got[0] == NewRNG(43).Uint64() {
		t.Fatal("different seeds give the same first value")
	}
	want := goldenRNG42
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("NewRNG(42) output %d = %#x, want %#x (the stream changed)", i, got[i], want[i])
		}
	}
}

// goldenRNG42 are the first three outputs of NewRNG(42), computed with an
// independent (Python) implementation of xoshiro256**
// with splitmix64 seeding.
var goldenRNG42 = []uint64{0x15780b2e0c2ec716, 0x6104d9866d113a7e, 0xae17533239e499a1}

func TestRNGDistributions(t *testing.T) {
	r := NewRNG(1)
	const n = 200000
	var sum, sumSq, usum float64
	for i := 0; i < n; i++ {
		v := float64(r.NormFloat32())
		sum += v
		sumSq += v * v
		u := r.Float32()
		if u < 0 || u >= 1 {
			t.Fatalf("Float32 out of [0,1): %v", u)
		}
		usum += float64(u)
	}
	mean, variance := sum/n, sumSq/n-(sum/n)*(sum/n)
	if math.Abs(mean) > 0.01 || math.Abs(variance-1) > 0.02 {
		t.Fatalf("normal mean %v variance %v", mean, variance)
	}
	if math.Abs(usum/n-0.5) > 0.005 {
		t.Fatalf("uniform mean %v", usum/n)
	}
	counts := make([]int, 7)
	for i := 0; i < 70000; i++ {
		counts[r.Intn(7)]++
	}
	for k, c := range counts {
		if c < 9500 || c > 10500 {
			t.Fatalf("Intn(7) value %d drawn %d times of 70000", k, c)
		}
	}
	p := r.Perm(50)
	sorted := append([]int(nil), p...)
	sort.Ints(sorted)
	for i, v := range sorted {
		if v != i {
			t.Fatalf("Perm is not a permutation: %v", p)
		}
	}
	u := Uniform(NewRNG(5), -2, 3, 1000)
	if mn, mx := u.Min().Item(), u.Max().Item(); mn < -2 || mx >= 3 {
		t.Fatalf("Uniform(-2,3) range [%v, %v]", mn, mx)
	}
	x := Normal(NewRNG(5), 10, 0.5, 10000)
	if m, s := x.Mean().Item(), x.Std(true, false).Item(); math.Abs(float64(m)-10) > 0.02 || math.Abs(float64(s)-0.5) > 0.02 {
		t.Fatalf("Normal(10, 0.5): mean %v std %v", m, s)
	}
	if !RandN(NewRNG(9), 3, 3).AllClose(RandN(NewRNG(9), 3, 3), 0, 0) {
		t.Fatal("RandN not reproducible")
	}
}
