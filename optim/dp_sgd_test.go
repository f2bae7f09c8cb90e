package optim

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// dpProblem is least squares on three examples: loss_i = (w·x_i + b − y_i)²,
// so the per-example gradients are g_i = 2 r_i (x_i, 1) with r_i the residual.
type dpProblem struct {
	w, b *autograd.Tensor
	xs   [][]float32
	ys   []float32
}

func newDPProblem() *dpProblem {
	return &dpProblem{
		w:  param(0.5, -1, 2),
		b:  param(0.1),
		xs: [][]float32{{1, 2, 3}, {0.1, 0, -0.2}, {-3, 1, 0.5}},
		ys: []float32{1, 0, 2},
	}
}

func (p *dpProblem) loss(i int) (*autograd.Tensor, error) {
	x := autograd.New(append([]float32(nil), p.xs[i]...), 3)
	r := p.w.Mul(x).Sum().Add(p.b.Sum()).SubScalar(p.ys[i])
	return r.Square(), nil
}

// grads are the per-example gradients (w then b) in float64, by the formula.
func (p *dpProblem) grads() [][]float64 {
	w, b := p.w.Data(), p.b.Data()[0]
	var out [][]float64
	for i, x := range p.xs {
		r := float64(b) - float64(p.ys[i])
		for k := range x {
			r += float64(w[k]) * float64(x[k])
		}
		out = append(out, []float64{2 * r * float64(x[0]), 2 * r * float64(x[1]), 2 * r * float64(x[2]), 2 * r})
	}
	return out
}

// want is the DP-SGD gradient without noise by the formula: clip each g_i to
// norm c, sum, divide by n.
func (p *dpProblem) want(c float64) (sum []float64, clipped int) {
	sum = make([]float64, 4)
	for _, g := range p.grads() {
		var n float64
		for _, v := range g {
			n += v * v
		}
		n = math.Sqrt(n)
		scale := 1.0
		if n > c {
			scale, clipped = c/n, clipped+1
		}
		for k, v := range g {
			sum[k] += scale * v / 3
		}
	}
	return sum, clipped
}

func TestPrivateGradientClipsEachExample(t *testing.T) {
	for _, c := range []float64{1e6, 5, 0.5} {
		p := newDPProblem()
		st, err := PrivateGradient([]*autograd.Tensor{p.w, p.b}, 3, p.loss, DPConfig{ClipNorm: c}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, clipped := p.want(c)
		near(t, "w grad", p.w.Grad().Data(), want[:3], 1e-5)
		near(t, "b grad", p.b.Grad().Data(), want[3:], 1e-5)
		if got := int(math.Round(st.ClippedFrac * 3)); got != clipped || st.Examples != 3 {
			t.Errorf("C=%g: stats %+v, want %d of 3 clipped", c, st, clipped)
		}
		if c == 1e6 && clipped != 0 {
			t.Errorf("C=%g clipped %d examples", c, clipped)
		}
		if c == 0.5 && clipped != 3 {
			t.Errorf("C=%g clipped %d examples, want all 3", c, clipped)
		}
	}
}

func TestPrivateGradientWithoutClippingIsTheMeanGradient(t *testing.T) {
	p := newDPProblem()
	// The ordinary mean-loss gradient by backward over the whole batch.
	var total *autograd.Tensor
	for i := range p.xs {
		l, _ := p.loss(i)
		if total == nil {
			total = l
		} else {
			total = total.Add(l)
		}
	}
	total.MulScalar(1.0 / 3).Backward()
	wantW := append([]float32(nil), p.w.Grad().Data()...)
	wantB := append([]float32(nil), p.b.Grad().Data()...)
	if _, err := PrivateGradient([]*autograd.Tensor{p.w, p.b}, 3, p.loss, DPConfig{ClipNorm: 1e9}, nil); err != nil {
		t.Fatal(err)
	}
	for k := range wantW {
		if d := math.Abs(float64(p.w.Grad().Data()[k] - wantW[k])); d > 1e-5 {
			t.Errorf("w grad[%d] = %g, the batch gradient is %g", k, p.w.Grad().Data()[k], wantW[k])
		}
	}
	if d := math.Abs(float64(p.b.Grad().Data()[0] - wantB[0])); d > 1e-5 {
		t.Errorf("b grad = %g, the batch gradient is %g", p.b.Grad().Data()[0], wantB[0])
	}
}

func TestPrivateGradientAddsSeededGaussianNoise(t *testing.T) {
	const c, sigma, seed = 0.5, 2.0, 42
	p := newDPProblem()
	if _, err := PrivateGradient([]*autograd.Tensor{p.w, p.b}, 3, p.loss, DPConfig{ClipNorm: c, NoiseMultiplier: sigma}, autograd.NewRNG(seed)); err != nil {
		t.Fatal(err)
	}
	clean, _ := p.want(c)
	// The noise is drawn parameter by parameter from the RNG, std σC, then
	// divided by the batch size with the clipped sum.
	rng := autograd.NewRNG(seed)
	nw := autograd.Normal(rng, 0, float32(sigma*c), 3).Data()
	nb := autograd.Normal(rng, 0, float32(sigma*c), 1).Data()
	want := []float64{clean[0] + float64(nw[0])/3, clean[1] + float64(nw[1])/3, clean[2] + float64(nw[2])/3, clean[3] + float64(nb[0])/3}
	near(t, "w grad", p.w.Grad().Data(), want[:3], 1e-5)
	near(t, "b grad", p.b.Grad().Data(), want[3:], 1e-5)
	// The same seed gives the same gradient.
	q := newDPProblem()
	if _, err := PrivateGradient([]*autograd.Tensor{q.w, q.b}, 3, q.loss, DPConfig{ClipNorm: c, NoiseMultiplier: sigma}, autograd.NewRNG(seed)); err != nil {
		t.Fatal(err)
	}
	for k, v := range q.w.Grad().Data() {
		if v != p.w.Grad().Data()[k] {
			t.Errorf("w grad[%d] differs between two runs with seed %d: %g vs %g", k, seed, v, p.w.Grad().Data()[k])
		}
	}
}

func TestPrivateGradientRejectsBadSettings(t *testing.T) {
	p := newDPProblem()
	ps := []*autograd.Tensor{p.w, p.b}
	cases := []struct {
		n    int
		cfg  DPConfig
		rng  *autograd.RNG
		want string
	}{
		{0, DPConfig{ClipNorm: 1}, nil, "batch of 0"},
		{3, DPConfig{ClipNorm: 0}, nil, "ClipNorm 0"},
		{3, DPConfig{ClipNorm: 1, NoiseMultiplier: -1}, nil, "NoiseMultiplier -1"},
		{3, DPConfig{ClipNorm: 1, NoiseMultiplier: 1}, nil, "needs an RNG"},
	}
	for _, tc := range cases {
		_, err := PrivateGradient(ps, tc.n, p.loss, tc.cfg, tc.rng)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("n=%d %+v: error %v, want one containing %q", tc.n, tc.cfg, err, tc.want)
		}
	}
	_, err := PrivateGradient(ps, 1, func(int) (*autograd.Tensor, error) { return p.w.Mul(p.w), nil }, DPConfig{ClipNorm: 1}, nil)
	if err == nil || !strings.Contains(err.Error(), "want a scalar") {
		t.Errorf("a vector loss: error %v, want one asking for a scalar", err)
	}
}
