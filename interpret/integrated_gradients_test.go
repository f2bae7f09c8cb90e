package interpret

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
)

func TestIntegrationRules(t *testing.T) {
	// captum: trapezoid with 3 points is α = 0, ½, 1 with weights ¼, ½, ¼.
	a, w, err := IntegrationRule(RiemannTrapezoid, 3)
	if err != nil {
		t.Fatal(err)
	}
	wantA, wantW := []float64{0, 0.5, 1}, []float64{0.25, 0.5, 0.25}
	for i := range a {
		if math.Abs(a[i]-wantA[i]) > 1e-12 || math.Abs(w[i]-wantW[i]) > 1e-12 {
			t.Fatalf("trapezoid: got %v %v, want %v %v", a, w, wantA, wantW)
		}
	}
	a, _, _ = IntegrationRule(RiemannMiddle, 4)
	if math.Abs(a[0]-0.125) > 1e-12 || math.Abs(a[3]-0.875) > 1e-12 {
		t.Fatalf("middle: %v", a)
	}
	// Gauss–Legendre with n points integrates degree 2n−1 exactly: ∫₀¹ x⁵ = 1/6.
	for _, m := range []string{RiemannLeft, RiemannRight, RiemannMiddle, RiemannTrapezoid, GaussLegendre} {
		_, w, _ := IntegrationRule(m, 7)
		var s float64
		for _, v := range w {
			s += v
		}
		if math.Abs(s-1) > 1e-12 {
			t.Fatalf("%s weights sum to %v", m, s)
		}
	}
	a, w, _ = IntegrationRule(GaussLegendre, 3)
	var s float64
	for i := range a {
		s += w[i] * math.Pow(a[i], 5)
	}
	if math.Abs(s-1.0/6) > 1e-12 {
		t.Fatalf("Gauss–Legendre ∫x⁵ = %v, want 1/6", s)
	}
	if _, _, err := IntegrationRule("simpson", 5); err == nil {
		t.Fatal("unknown rule accepted")
	}
}

// linearTarget scores Σ_{p,h} c[h]·x[p,h] of the embedding output x: IG on a
// linear function is exact, attr[p] = Σ_h c[h](x − x')[p,h].
func linearTarget(m *bert.ForSequenceClassification, c []float32) *Target {
	return &Target{
		Name: "linear", Module: m, Bert: m.Bert,
		Score: func(in *bert.Inputs) (*autograd.Tensor, error) {
			in.OutputHiddenStates = true
			out, err := m.Bert.Forward(in)
			if err != nil {
				return nil, err
			}
			h := out.HiddenStates[0] // [B, T, H]
			return h.Mul(autograd.New(c, len(c))).Sum(2).Sum(1), nil
		},
	}
}

func TestIGCompletenessOnLinearModel(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 1)
	c := make([]float32, 16)
	for i := range c {
		c[i] = float32(i%5) - 2
	}
	target := linearTarget(m, c)
	enc := encode(t, tok, "the film was very good")
	base := PadBaseline(enc, tok.PadID)
	x := embeddingOutput(m.Bert, enc).Data()
	x0 := embeddingOutput(m.Bert, base).Data()
	for _, method := range []string{RiemannLeft, RiemannTrapezoid, GaussLegendre} {
		a, err := IntegratedGradients(target, enc, IGOptions{Steps: 5, Method: method, PadID: tok.PadID, InternalBatchSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		var exactSum float64
		for p := range enc.IDs {
			var want float64
			for h := 0; h < 16; h++ {
				want += float64(c[h]) * float64(x[p*16+h]-x0[p*16+h])
			}
			exactSum += want
			if math.Abs(a.Scores[p]-want) > 1e-4 {
				t.Fatalf("%s: token %d attribution %v, want %v", method, p, a.Scores[p], want)
			}
		}
		if math.Abs(a.Delta) > 1e-4 || math.Abs((a.Score-a.Baseline)-exactSum) > 1e-4 {
			t.Fatalf("%s: delta %v, F(x)−F(x') = %v, want %v", method, a.Delta, a.Score-a.Baseline, exactSum)
		}
		// Special tokens are kept in the baseline, so they get exactly zero.
		if a.Scores[0] != 0 || a.Scores[len(a.Scores)-1] != 0 {
			t.Fatalf("[CLS]/[SEP] attributions %v %v, want 0", a.Scores[0], a.Scores[len(a.Scores)-1])
		}
	}
}

func TestIGDeltaShrinksWithSteps(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 3)
	enc := encode(t, tok, "i liked the movie , it was not bad")
	target := ClassProbability(m, 1)
	var deltas []float64
	for _, steps := range []int{2, 8, 64} {
		a, err := IntegratedGradients(target, enc, IGOptions{Steps: steps, Method: RiemannTrapezoid, PadID: tok.PadID})
		if err != nil {
			t.Fatal(err)
		}
		deltas = append(deltas, math.Abs(a.Delta))
	}
	if !(deltas[2] < deltas[0]) || deltas[2] > 1e-3 {
		t.Fatalf("|delta| by steps 2, 8, 64 = %v: want shrinking to < 1e-3", deltas)
	}
	// Gauss–Legendre with captum's default 50 points is far more accurate.
	a, err := IntegratedGradients(target, enc, IGOptions{PadID: tok.PadID})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(a.Delta) > 1e-4 {
		t.Fatalf("Gauss–Legendre 50: delta %v", a.Delta)
	}
	// Parameters were frozen during attribution: no gradient leaked into the model.
	for _, p := range m.NamedParameters("") {
		if p.Tensor.Grad() != nil || !p.Tensor.RequiresGrad() {
			t.Fatalf("parameter %s: grad %v, requires grad %v", p.Name, p.Tensor.Grad() != nil, p.Tensor.RequiresGrad())
		}
	}
}

func TestSaliencyMatchesFiniteDifferences(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 5)
	enc := encode(t, tok, "the film was awful")
	target := ClassLogit(m, 0)
	x, g, err := inputGradient(target, enc)
	if err != nil {
		t.Fatal(err)
	}
	// Central differences on a few coordinates (float32 model: loose tolerance).
	for _, i := range []int{17, 40, 50} {
		const eps = 1e-2
		xp := append([]float32(nil), x...)
		xp[i] += eps
		fp, _ := scoreAtEmbedding(target, enc, xp)
		xp[i] -= 2 * eps
		fm, _ := scoreAtEmbedding(target, enc, xp)
		fd := (fp - fm) / (2 * eps)
		if math.Abs(fd-float64(g[i])) > 2e-3+0.05*math.Abs(fd) {
			t.Fatalf("coordinate %d: gradient %v, finite difference %v", i, g[i], fd)
		}
	}
	s, err := Saliency(target, enc)
	if err != nil {
		t.Fatal(err)
	}
	ixg, err := InputXGradient(target, enc)
	if err != nil {
		t.Fatal(err)
	}
	var want0, wantX float64
	for h := 0; h < 16; h++ {
		want0 += math.Abs(float64(g[16+h]))
		wantX += float64(x[16+h]) * float64(g[16+h])
	}
	if math.Abs(s.Scores[1]-want0) > 1e-6 || math.Abs(ixg.Scores[1]-wantX) > 1e-6 {
		t.Fatalf("token 1: saliency %v (want %v), input×gradient %v (want %v)", s.Scores[1], want0, ixg.Scores[1], wantX)
	}
	if html := ixg.HTML(); len(html) == 0 || ixg.BarChart() == nil {
		t.Fatal("no rendering")
	}
}
