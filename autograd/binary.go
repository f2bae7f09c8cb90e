package autograd

import (
	"math"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// Elementwise ops on two tensors with NumPy/PyTorch broadcasting, plus their
// scalar variants. The gradient of a broadcast input is summed back to its shape.

// rowFunc computes one row of a binary op: dst[i] = op(a[i·sa], b[i·sb]). The
// strides are 1 for a row read in order and 0 for a broadcast value.
type rowFunc func(dst, a []float32, sa int, b []float32, sb int)

// rowOf turns an element function into a rowFunc (one function call per element).
func rowOf(f func(x, y float32) float32) rowFunc {
	return func(dst, a []float32, sa int, b []float32, sb int) {
		for i := range dst {
			dst[i] = f(a[i*sa], b[i*sb])
		}
	}
}

// zipRaw applies f to every pair of broadcast elements of a and b and returns the
// result as a new contiguous tensor (no graph node). op names the caller for
// shape errors.
func zipRaw(op string, a, b *Tensor, f func(x, y float32) float32) *Tensor {
	return zipRows(op, a, b, rowOf(f))
}

// zipRows is zipRaw driven by a row function: it walks the broadcast output one
// innermost row at a time, so the per-element work is a plain loop in row.
func zipRows(op string, a, b *Tensor, row rowFunc) *Tensor {
	if SameShape(a.shape, b.shape) && a.IsContiguous() && b.IsContiguous() {
		n := a.Numel()
		out := newResultNoZero(n)
		ad, bd := a.data[a.offset:a.offset+n], b.data[b.offset:b.offset+n]
		if !kernels.ParallelPays(n, kernels.RowGrain(1)) {
			row(out, ad, 1, bd, 1)
		} else {
			// Elements are independent: large tensors (residual sums) are
			// split over goroutines, at multiples of 32 like Saxpy's vectors.
			kernels.ParallelForAligned(n, 32, kernels.RowGrain(1), func(lo, hi int) {
				row(out[lo:hi], ad[lo:hi], 1, bd[lo:hi], 1)
			})
		}
		return fromData(out, a.shape)
	}
	var shapeBuf [inlineDims]int
	shape := appendBroadcastShape(shapeBuf[:0], op, a.shape, b.shape)
	out := newResultNoZero(numel(shape))
	ra, ia := broadcastRows(a, shape)
	rb, ib := broadcastRows(b, shape)
	n := 1
	if len(shape) > 0 {
		n = shape[len(shape)-1]
	}
	rows := func(r0, r1 int) {
		for r := r0; r < r1; r++ {
			row(out[r*n:(r+1)*n], a.data[ra[r]:], ia, b.data[rb[r]:], ib)
		}
	}
	if kernels.ParallelPays(len(ra), kernels.RowGrain(n)) {
		kernels.ParallelFor(len(ra), kernels.RowGrain(n), rows) // rows are independent
	} else {
		rows(0, len(ra))
	}
	return fromData(out, shape)
}

// The four arithmetic rows have a tight loop for the common case of two rows
// read in order (same-shape tensors, a bias added to every row), which the
// compiler vectorises far better than a call per element.

func addRow(dst, a []float32, sa int, b []float32, sb int) {
	if sa == 1 && sb == 1 {
		// One vectorised pass (a copy of a, then dst += b, read dst twice).
		kernels.Sadd(a[:len(dst)], b[:len(dst)], dst)
		return
	}
	for i := range dst {
		dst[i] = a[i*sa] + b[i*sb]
	}
}

func subRow(dst, a []float32, sa int, b []float32, sb int) {
	if sa == 1 && sb == 1 {
		a, b = a[:len(dst)], b[:len(dst)]
		for i := range dst {
			dst[i] = a[i] - b[i]
		}
		return
	}
	for i := range dst {
		dst[i] = a[i*sa] - b[i*sb]
	}
}

func mulRow(dst, a []float32, sa int, b []float32, sb int) {
	if sa == 1 && sb == 1 {
		a, b = a[:len(dst)], b[:len(dst)]
		for i := range dst {
			dst[i] = a[i] * b[i]
		}
		return
	}
	for i := range dst {
		dst[i] = a[i*sa] * b[i*sb]
	}
}

func divRow(dst, a []float32, sa int, b []float32, sb int) {
	if sa == 1 && sb == 1 {
		a, b = a[:len(dst)], b[:len(dst)]
		for i := range dst {
			dst[i] = a[i] / b[i]
		}
		return
	}
	for i := range dst {
		dst[i] = a[i*sa] / b[i*sb]
	}
}

// mapRaw applies f to every element of t, returning a new contiguous tensor.
func mapRaw(t *Tensor, f func(x float32) float32) *Tensor {
	x := t.Data()
	out := newResultNoZero(len(x))
	for i, v := range x {
		out[i] = f(v)
	}
	return fromData(out, t.shape)
}

// mapScalar computes x+s, s−x, x·s or x/s (op "+", "s-", "*", "/") for every
// element of t into a new contiguous tensor (no graph node), with one plain
// loop per op instead of mapRaw's function call per element, and the vector
// kernel Sdiv for the quotients: attention divides every score by √d this
// way, forward and backward, when √d is not a power of two.
func mapScalar(t *Tensor, op string, s float32) *Tensor {
	x := t.Data()
	out := newResultNoZero(len(x))
	x = x[:len(out)]
	switch op {
	case "+":
		for i, v := range x {
			out[i] = v + s
		}
	case "s-":
		for i, v := range x {
			out[i] = s - v
		}
	case "*":
		for i, v := range x {
			out[i] = v * s
		}
	case "/":
		// Vector divisions, each correctly rounded: the bits of v / s.
		kernels.Sdiv(x, s, out)
	default:
		panic("autograd: internal error: unknown scalar op " + op)
	}
	return fromData(out, t.shape)
}

// exactReciprocal returns 1/s and true when s is a power of two whose
// reciprocal is also a normal float32: then v/s and v·(1/s) are both the
// correctly rounded v·2⁻ᵏ, equal for every v (zeros, infinities, NaNs and
// subnormal results included).
func exactReciprocal(s float32) (float32, bool) {
	normalPowerOfTwo := func(f float32) bool {
		b := math.Float32bits(f)
		exp := b >> 23 & 0xff
		return b&0x7fffff == 0 && exp != 0 && exp != 0xff
	}
	r := 1 / s
	return r, normalPowerOfTwo(s) && normalPowerOfTwo(r)
}

// Add returns t + u, broadcasting.
func (t *Tensor) Add(u *Tensor) *Tensor {
	out := zipRows("Add", t, u, addRow)
	if recording(t, u) {
		record("Add", out, []*Tensor{t, u}, func(g *Tensor, grads []*Tensor) {
			grads[0], grads[1] = g.SumToSize(t.shape...), g.SumToSize(u.shape...)
		})
	}
	return out
}

// Sub returns t - u, broadcasting.
func (t *Tensor) Sub(u *Tensor) *Tensor {
	out := zipRows("Sub", t, u, subRow)
	if recording(t, u) {
		record("Sub", out, []*Tensor{t, u}, func(g *Tensor, grads []*Tensor) {
			var gu *Tensor
			if u.requiresGrad {
				gu = g.Neg().SumToSize(u.shape...)
			}
			grads[0], grads[1] = g.SumToSize(t.shape...), gu
		})
	}
	return out
}

// Mul returns the elementwise product t ⊙ u, broadcasting.
func (t *Tensor) Mul(u *Tensor) *Tensor {
	out := zipRows("Mul", t, u, mulRow)
	if recording(t, u) {
		record("Mul", out, []*Tensor{t, u}, func(g *Tensor, grads []*Tensor) {
			var gt, gu *Tensor
			if t.requiresGrad {
				gt = g.Mul(u.Detach()).SumToSize(t.shape...)
			}
			if u.requiresGrad {
				gu = g.Mul(t.Detach()).SumToSize(u.shape...)
			}
			grads[0], grads[1] = gt, gu
		})
	}
	return out
}

// Div returns t / u elementwise, broadcasting.
func (t *Tensor) Div(u *Tensor) *Tensor {
	out := zipRows("Div", t, u, divRow)
	if recording(t, u) {
		record("Div", out, []*Tensor{t, u}, func(g *Tensor, grads []*Tensor) {
			var gt, gu *Tensor
			if t.requiresGrad {
				gt = g.Div(u.Detach()).SumToSize(t.shape...)
			}
			if u.requiresGrad {
				// d(t/u)/du = -t/u² = -out/u
				gu = g.Mul(out.Detach()).Div(u.Detach()).Neg().SumToSize(u.shape...)
			}
			grads[0], grads[1] = gt, gu
		})
	}
	return out
}

// Pow returns t raised to the power u elementwise, broadcasting. The gradient
// with respect to the exponent uses ln(t), so t must be positive where it matters.
func (t *Tensor) Pow(u *Tensor) *Tensor {
	out := zipRaw("Pow", t, u, func(x, y float32) float32 { return float32(math.Pow(float64(x), float64(y))) })
	if recording(t, u) {
		record("Pow", out, []*Tensor{t, u}, func(g *Tensor, grads []*Tensor) {
			var gt, gu *Tensor
			if t.requiresGrad {
				// y·x^(y-1)
				d := zipRaw("Pow", t, u, func(x, y float32) float32 {
					if y == 0 {
						return 0
					}
					return y * float32(math.Pow(float64(x), float64(y-1)))
				})
				gt = g.Mul(d).SumToSize(t.shape...)
			}
			if u.requiresGrad {
				// x^y·ln x, taken as 0 where x = 0 and y > 0 (the limit).
				d := zipRaw("Pow", out.Detach(), t, func(p, x float32) float32 {
					if x == 0 {
						return 0
					}
					return p * float32(math.Log(float64(x)))
				})
				gu = g.Mul(d).SumToSize(u.shape...)
			}
			grads[0], grads[1] = gt, gu
		})
	}
	return out
}

// Maximum returns the elementwise larger of t and u; on ties the gradient is
// split equally, as in torch.
func (t *Tensor) Maximum(u *Tensor) *Tensor { return t.pick("Maximum", u, 1) }

// Minimum returns the elementwise smaller of t and u.
func (t *Tensor) Minimum(u *Tensor) *Tensor { return t.pick("Minimum", u, -1) }

// pick implements Maximum (sign 1) and Minimum (sign -1).
func (t *Tensor) pick(op string, u *Tensor, sign float32) *Tensor {
	out := zipRaw(op, t, u, func(x, y float32) float32 {
		if x*sign > y*sign || x != x {
			return x
		}
		return y
	})
	if recording(t, u) {
		record(op, out, []*Tensor{t, u}, func(g *Tensor, grads []*Tensor) {
			// Weight 1 for the winner, 1/2 each on a tie.
			wt := zipRaw(op, t, u, func(x, y float32) float32 {
				switch {
				case x == y:
					return 0.5
				case x*sign > y*sign:
					return 1
				}
				return 0
			})
			var gt, gu *Tensor
			if t.requiresGrad {
				gt = g.Mul(wt).SumToSize(t.shape...)
			}
			if u.requiresGrad {
				gu = g.Mul(wt.RSubScalar(1)).SumToSize(u.shape...)
			}
			grads[0], grads[1] = gt, gu
		})
	}
	return out
}

// AddScalar returns t + s.
func (t *Tensor) AddScalar(s float32) *Tensor {
	out := mapScalar(t, "+", s)
	if recording(t) {
		record("AddScalar", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) { grads[0] = g })
	}
	return out
}

// SubScalar returns t - s.
func (t *Tensor) SubScalar(s float32) *Tensor { return t.AddScalar(-s) }

// RSubScalar returns s - t (torch's rsub), e.g. mask.RSubScalar(1) for 1 - mask.
func (t *Tensor) RSubScalar(s float32) *Tensor {
	out := mapScalar(t, "s-", s)
	if recording(t) {
		record("RSubScalar", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) { grads[0] = g.Neg() })
	}
	return out
}

// MulScalar returns t · s.
func (t *Tensor) MulScalar(s float32) *Tensor {
	out := mapScalar(t, "*", s)
	if recording(t) {
		record("MulScalar", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) { grads[0] = g.MulScalar(s) })
	}
	return out
}

// DivScalar returns t / s.
func (t *Tensor) DivScalar(s float32) *Tensor {
	out := mapScalar(t, "/", s)
	if recording(t) {
		record("DivScalar", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) { grads[0] = g.DivScalar(s) })
	}
	return out
}

// PowScalar returns t raised to the power p elementwise.
func (t *Tensor) PowScalar(p float32) *Tensor {
	var f func(x float32) float32
	switch p {
	case 2:
		f = func(x float32) float32 { return x * x }
	case 0.5:
		f = func(x float32) float32 { return float32(math.Sqrt(float64(x))) }
	default:
		f = func(x float32) float32 { return float32(math.Pow(float64(x), float64(p))) }
	}
	out := mapRaw(t, f)
	if recording(t) {
		record("PowScalar", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			if p == 0 {
				grads[0] = ZerosLike(g)
				return
			}
			d := mapRaw(t, func(x float32) float32 { return p * float32(math.Pow(float64(x), float64(p-1))) })
			grads[0] = g.Mul(d)
		})
	}
	return out
}
