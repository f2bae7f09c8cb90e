package autograd

// Comparisons return 1 where the relation holds and 0 elsewhere, as float32
// tensors usable as masks (Where, MaskedFill, Mul). They are not differentiable:
// the result never requires gradients.

func boolf(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// Eq is 1 where t == u (broadcasting).
func (t *Tensor) Eq(u *Tensor) *Tensor {
	return zipRaw("Eq", t, u, func(x, y float32) float32 { return boolf(x == y) })
}

// Ne is 1 where t != u.
func (t *Tensor) Ne(u *Tensor) *Tensor {
	return zipRaw("Ne", t, u, func(x, y float32) float32 { return boolf(x != y) })
}

// Gt is 1 where t > u.
func (t *Tensor) Gt(u *Tensor) *Tensor {
	return zipRaw("Gt", t, u, func(x, y float32) float32 { return boolf(x > y) })
}

// Ge is 1 where t >= u.
func (t *Tensor) Ge(u *Tensor) *Tensor {
	return zipRaw("Ge", t, u, func(x, y float32) float32 { return boolf(x >= y) })
}

// Lt is 1 where t < u.
func (t *Tensor) Lt(u *Tensor) *Tensor {
	return zipRaw("Lt", t, u, func(x, y float32) float32 { return boolf(x < y) })
}

// Le is 1 where t <= u.
func (t *Tensor) Le(u *Tensor) *Tensor {
	return zipRaw("Le", t, u, func(x, y float32) float32 { return boolf(x <= y) })
}

// EqScalar is 1 where t == s.
func (t *Tensor) EqScalar(s float32) *Tensor {
	return mapRaw(t, func(x float32) float32 { return boolf(x == s) })
}

// GtScalar is 1 where t > s.
func (t *Tensor) GtScalar(s float32) *Tensor {
	return mapRaw(t, func(x float32) float32 { return boolf(x > s) })
}

// LtScalar is 1 where t < s.
func (t *Tensor) LtScalar(s float32) *Tensor {
	return mapRaw(t, func(x float32) float32 { return boolf(x < s) })
}

// AllClose reports whether every |t - u| ≤ atol + rtol·|u| (shapes must match
// after broadcasting), like torch.allclose.
func (t *Tensor) AllClose(u *Tensor, rtol, atol float32) bool {
	ok := true
	zipRaw("AllClose", t, u, func(x, y float32) float32 {
		d := x - y
		if d < 0 {
			d = -d
		}
		ay := y
		if ay < 0 {
			ay = -ay
		}
		if !(d <= atol+rtol*ay) {
			ok = false
		}
		return 0
	})
	return ok
}
