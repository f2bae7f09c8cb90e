package autograd

import (
	"strings"
	"testing"
)

// softplus is log(1 + eˣ) as a Custom op with its hand-written backward σ(x).
func softplus(x *Tensor) *Tensor {
	return Custom("Softplus", []*Tensor{x},
		func(in []*Tensor) *Tensor { return in[0].Exp().AddScalar(1).Log() },
		func(g *Tensor, in []*Tensor, out *Tensor) []*Tensor { return []*Tensor{g.Mul(in[0].Sigmoid())} })
}

func TestCustomOpPassesGradCheck(t *testing.T) {
	x := RandN(NewRNG(1), 3, 4).SetRequiresGrad(true)
	if err := GradCheck(func(in []*Tensor) *Tensor { return softplus(in[0]) }, []*Tensor{x}, 1e-3, 1e-2, 1e-2); err != nil {
		t.Fatal(err)
	}
	y := softplus(x)
	if y.GradFn() != "SoftplusBackward" {
		t.Errorf("grad_fn %q, want SoftplusBackward", y.GradFn())
	}
	want := x.Exp().AddScalar(1).Log()
	if !y.AllClose(want, 1e-6, 1e-6) {
		t.Errorf("forward %v, want %v", y, want)
	}
}

func TestCustomOpWrongBackwardIsCaught(t *testing.T) {
	x := RandN(NewRNG(2), 5).SetRequiresGrad(true)
	// The backward returns the input itself (the derivative of x²/2 is x), and
	// forgets the incoming gradient: GradCheck must notice.
	half := func(in []*Tensor) *Tensor {
		return Custom("HalfSquare", in,
			func(in []*Tensor) *Tensor { return in[0].Square().MulScalar(0.5) },
			func(g *Tensor, in []*Tensor, out *Tensor) []*Tensor { return []*Tensor{in[0]} })
	}
	if err := GradCheck(half, []*Tensor{x}, 1e-3, 1e-2, 1e-2); err == nil {
		t.Fatal("a backward that ignores the incoming gradient passed GradCheck")
	}
	before := x.Clone()
	half([]*Tensor{x}).Sum().Backward()
	if !x.Grad().AllClose(x, 0, 0) || !x.AllClose(before, 0, 0) {
		t.Errorf("returning the input as its gradient must copy it, not recycle it: grad %v, x %v", x.Grad(), x)
	}
}

func TestCustomOpShapeErrors(t *testing.T) {
	x := Ones(2, 3).SetRequiresGrad(true)
	bad := Custom("Bad", []*Tensor{x},
		func(in []*Tensor) *Tensor { return in[0].MulScalar(2) },
		func(g *Tensor, in []*Tensor, out *Tensor) []*Tensor { return []*Tensor{g.Sum(0)} })
	defer func() {
		msg := recover()
		if msg == nil || !strings.Contains(msg.(string), `autograd.Custom("Bad"): backward returned a gradient of shape [3] for input 0 of shape [2 3]`) {
			t.Errorf("panic %v", msg)
		}
	}()
	bad.Sum().Backward()
}
