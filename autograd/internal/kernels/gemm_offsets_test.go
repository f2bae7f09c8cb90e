package kernels

import (
	"math"
	"math/rand"
	"strings"
	"testing"
)

// TestSgemmOffsetsInterleavedC writes a batch of products into C at
// arbitrary offsets with a row stride wider than a product (attention's
// heads written in [batch, T, heads, head_dim] order) and checks each one,
// bit for bit, against the same product by Sgemm into its own matrix, and
// that the floats between the products' rows are left alone. Enough
// products run to be split over goroutines when GOMAXPROCS allows.
func TestSgemmOffsetsInterleavedC(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(5))
		const batch, heads, m, n, k = 6, 4, 48, 32, 40
		a, b := randSlice(rng, batch*heads*m*k), randSlice(rng, batch*heads*k*n)
		ldc := heads * n
		c := make([]float32, batch*m*ldc+7)
		for i := range c {
			c[i] = float32(math.NaN())
		}
		var offA, offB, offC []int
		for s := range batch {
			for h := range heads {
				i := s*heads + h
				offA, offB = append(offA, i*m*k), append(offB, i*k*n)
				offC = append(offC, s*m*ldc+h*n)
			}
		}
		SgemmOffsets(false, true, m, n, k, 1, a, k, offA, b, k, offB, 0, c, ldc, offC)
		for i := range offA {
			want := make([]float32, m*n)
			Sgemm(false, true, m, n, k, 1, a[offA[i]:], k, b[offB[i]:], k, 0, want, n)
			for r := range m {
				for j := range n {
					if got := c[offC[i]+r*ldc+j]; math.Float32bits(got) != math.Float32bits(want[r*n+j]) {
						t.Fatalf("product %d, C[%d][%d] = %v, want %v", i, r, j, got, want[r*n+j])
					}
				}
			}
		}
		if tail := c[batch*m*ldc:]; !math.IsNaN(float64(tail[0])) {
			t.Fatalf("SgemmOffsets wrote past the last product: %v", tail)
		}
	})
}

// TestSgemmOffsetsBadInput checks the messages for offsets of different
// counts and a C too short for a product's offset.
func TestSgemmOffsetsBadInput(t *testing.T) {
	buf := make([]float32, 16)
	for _, c := range []struct {
		name string
		call func()
		want string
	}{
		{"offset counts", func() {
			SgemmOffsets(false, false, 2, 2, 2, 1, buf, 2, []int{0}, buf, 2, []int{0}, 0, buf, 2, []int{0, 4})
		}, "2 into C"},
		{"short C", func() {
			SgemmOffsets(false, false, 2, 2, 2, 1, buf, 2, []int{0}, buf, 2, []int{0}, 0, buf, 2, []int{14})
		}, "C"},
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, c.want) || !strings.Contains(msg, "SgemmOffsets") {
					t.Errorf("%s: panic %q, want one naming SgemmOffsets and %q", c.name, msg, c.want)
				}
			}()
			c.call()
		}()
	}
}
