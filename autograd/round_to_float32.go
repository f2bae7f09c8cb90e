package autograd

// toFloat32 rounds values accumulated in float64 (cross-entropy's per-row
// losses, which must not lose precision while they are summed) to float32,
// once, at the end.
func toFloat32(xs []float64) []float32 {
	out := make([]float32, len(xs))
	for i, v := range xs {
		out[i] = float32(v)
	}
	return out
}
