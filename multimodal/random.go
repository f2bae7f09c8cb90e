package multimodal

import "math"

// splitMix is the generators' random source: SplitMix64, tiny and fully
// determined by its seed, so the same seed gives the same data on every
// machine and Go version.
type splitMix struct{ s uint64 }

func newSplitMix(seed uint64) *splitMix { return &splitMix{s: seed*0x9E3779B97F4A7C15 + 1} }

func (r *splitMix) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// intn is uniform in [0, n).
func (r *splitMix) intn(n int) int { return int(r.next() % uint64(n)) }

// float is uniform in [0, 1).
func (r *splitMix) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// normal is a standard normal draw (Box–Muller).
func (r *splitMix) normal() float64 {
	u := r.float()
	for u == 0 {
		u = r.float()
	}
	v := r.float()
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*v)
}

func pick(r *splitMix, xs []string) string { return xs[r.intn(len(xs))] }

// other picks a value of xs different from x.
func other(r *splitMix, xs []string, x string) string {
	for {
		if y := pick(r, xs); y != x {
			return y
		}
	}
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}
