package autograd

import (
	"math"
	"runtime"
	"testing"
)

// TestSumOverRowsAcrossProcs checks that a sum over the leading dims (a
// bias gradient, which splits by columns over goroutines when large) gives
// the same bits at one and at four goroutines, and the float64 sums of the
// definition.
func TestSumOverRowsAcrossProcs(t *testing.T) {
	rng := NewRNG(5)
	x := RandN(rng, 2, 300, 257).Permute(1, 0, 2) // [300, 2, 257], strided
	var first []float32
	for _, procs := range []int{1, 4} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			got := x.SumToSize(257).Data()
			if first == nil {
				first = got
				xd := x.Contiguous().Data()
				for j := range 257 {
					var want float64
					for r := range 600 {
						want += float64(xd[r*257+j])
					}
					if got[j] != float32(want) {
						t.Fatalf("column %d: %v, want %v", j, got[j], float32(want))
					}
				}
				return
			}
			for j := range got {
				if math.Float32bits(got[j]) != math.Float32bits(first[j]) {
					t.Fatalf("GOMAXPROCS=%d: column %d = %v, at one goroutine %v", procs, j, got[j], first[j])
				}
			}
		}()
	}
}
