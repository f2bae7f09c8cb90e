package kernels

import (
	"math/rand"
	"testing"
)

func TestGatherScatterRows(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(15))
		const rows, cols = 10, 37
		table := randSlice(rng, rows*cols)
		ids := []int{3, 0, 9, 3, 3, 7}
		out := make([]float32, len(ids)*cols)
		GatherRows(table, cols, ids, out)
		for i, id := range ids {
			for j := range cols {
				if out[i*cols+j] != table[id*cols+j] {
					t.Fatalf("GatherRows: out[%d][%d] = %g, want table[%d][%d] = %g", i, j, out[i*cols+j], id, j, table[id*cols+j])
				}
			}
		}
		grad := randSlice(rng, len(ids)*cols)
		acc := make([]float32, rows*cols)
		want := make([]float64, rows*cols)
		for i, id := range ids {
			for j := range cols {
				want[id*cols+j] += float64(grad[i*cols+j])
			}
		}
		ScatterAddRows(grad, cols, ids, acc)
		for i := range acc {
			if d := float64(acc[i]) - want[i]; d > 1e-6 || d < -1e-6 {
				t.Fatalf("ScatterAddRows: element %d = %g, want %g", i, acc[i], want[i])
			}
		}
	})
	for name, call := range map[string]func(){
		"id too large": func() { GatherRows(make([]float32, 6), 3, []int{2}, make([]float32, 3)) },
		"negative id":  func() { ScatterAddRows(make([]float32, 3), 3, []int{-1}, make([]float32, 6)) },
		"ragged table": func() { GatherRows(make([]float32, 7), 3, nil, nil) },
		"short out":    func() { GatherRows(make([]float32, 6), 3, []int{0, 1}, make([]float32, 5)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}
