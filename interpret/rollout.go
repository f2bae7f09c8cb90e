package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// Rollout is attention rollout (Abnar & Zuidema 2020): how much each token
// of the input flows into each position through all layers, treating
// attention as the only mixing. Per layer the heads are averaged, the
// residual connection is added as the identity and the rows renormalised,
//
//	Â = ½(mean_heads A + I)  (rows summing to 1),
//
// and the layers are multiplied from the bottom up: R = Â_L ··· Â_1.
// attentions are one [batch, heads, T, T] tensor per layer (what
// bert.Inputs.OutputAttentions reports); the result is R of batch row b as a
// T × T matrix. Row 0 ([CLS]) is the relevance of each token for the
// classifier.
func Rollout(attentions []*autograd.Tensor, b int) ([][]float64, error) {
	if len(attentions) == 0 {
		return nil, fmt.Errorf("interpret: rollout needs at least one layer's attention")
	}
	var r [][]float64
	for l, a := range attentions {
		s := a.Shape()
		if len(s) != 4 || s[2] != s[3] || b < 0 || b >= s[0] {
			return nil, fmt.Errorf("interpret: rollout: layer %d attention has shape %v, want [batch, heads, T, T] with batch row %d", l, s, b)
		}
		heads, T := s[1], s[2]
		data := a.Contiguous().Data()
		m := make([][]float64, T)
		for i := range m {
			m[i] = make([]float64, T)
			for h := 0; h < heads; h++ {
				row := data[((b*heads+h)*T+i)*T : ((b*heads+h)*T+i+1)*T]
				for j, v := range row {
					m[i][j] += float64(v) / float64(heads)
				}
			}
			m[i][i]++
			var sum float64
			for _, v := range m[i] {
				sum += v
			}
			for j := range m[i] {
				m[i][j] /= sum
			}
		}
		if r == nil {
			r = m
			continue
		}
		if len(r) != T {
			return nil, fmt.Errorf("interpret: rollout: layer %d has %d tokens, layer 0 has %d", l, T, len(r))
		}
		r = matMul(m, r)
	}
	return r, nil
}

// matMul is the product of two square matrices.
func matMul(a, b [][]float64) [][]float64 {
	n := len(a)
	c := make([][]float64, n)
	for i := range c {
		c[i] = make([]float64, n)
		for k, aik := range a[i] {
			for j, bkj := range b[k] {
				c[i][j] += aik * bkj
			}
		}
	}
	return c
}
