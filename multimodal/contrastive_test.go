package multimodal

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// TestCLIPLossHandComputed: with a = [[1,0],[0.6,0.8]], b = [[0.8,0.6],[0,1]]
// and scale 2, logits = [[1.6, 0], [1.92, 1.6]]. Both directions have the
// same two terms, so the loss is ½(log(1+e^−1.6) + log(1+e^0.32)).
func TestCLIPLossHandComputed(t *testing.T) {
	a := autograd.New([]float32{1, 0, 0.6, 0.8}, 2, 2)
	b := autograd.New([]float32{0.8, 0.6, 0, 1}, 2, 2)
	got := CLIPLoss(a, b, autograd.Scalar(float32(math.Log(2)))).Item()
	want := 0.5 * (math.Log(1+math.Exp(-1.6)) + math.Log(1+math.Exp(0.32)))
	if math.Abs(float64(got)-want) > 1e-6 {
		t.Fatalf("CLIP loss %v, hand-computed %v", got, want)
	}
	// the scale is capped at 100: log scale 10 behaves like log(100)
	capped := CLIPLoss(a, b, autograd.Scalar(10)).Item()
	at100 := CLIPLoss(a, b, autograd.Scalar(float32(math.Log(100)))).Item()
	if math.Abs(float64(capped-at100)) > 1e-5 {
		t.Fatalf("scale not capped: %v vs %v", capped, at100)
	}
}

// TestCLIPLossAsymmetric: the loss averages both directions; with 3 pairs
// and a non-symmetric similarity, compare with the two cross-entropies
// computed by hand in float64.
func TestCLIPLossAsymmetric(t *testing.T) {
	rng := autograd.NewRNG(3)
	a := L2Normalize(autograd.RandN(rng, 3, 4))
	b := L2Normalize(autograd.RandN(rng, 3, 4))
	s := 1.7
	got := float64(CLIPLoss(a, b, autograd.Scalar(float32(math.Log(s)))).Item())
	dot := func(i, j int) float64 {
		v := 0.0
		for k := 0; k < 4; k++ {
			v += float64(a.At(i, k)) * float64(b.At(j, k))
		}
		return s * v
	}
	ce := func(transposed bool) float64 {
		total := 0.0
		for i := 0; i < 3; i++ {
			z := 0.0
			for j := 0; j < 3; j++ {
				if transposed {
					z += math.Exp(dot(j, i))
				} else {
					z += math.Exp(dot(i, j))
				}
			}
			total += math.Log(z) - dot(i, i)
		}
		return total / 3
	}
	want := (ce(false) + ce(true)) / 2
	if math.Abs(got-want) > 1e-5 {
		t.Fatalf("loss %v, want %v", got, want)
	}
}

// TestContrastiveGradients checks the backward passes of the new
// compositions with finite differences: L2Normalize, CLIPLoss (including
// the temperature) and MeanPool.
func TestContrastiveGradients(t *testing.T) {
	rng := autograd.NewRNG(5)
	a := autograd.RandN(rng, 4, 3).SetRequiresGrad(true)
	b := autograd.RandN(rng, 4, 3).SetRequiresGrad(true)
	ls := autograd.Scalar(0.7).SetRequiresGrad(true)
	if err := autograd.GradCheck(func(in []*autograd.Tensor) *autograd.Tensor {
		return CLIPLoss(L2Normalize(in[0]), L2Normalize(in[1]), in[2])
	}, []*autograd.Tensor{a, b, ls}, 1e-3, 1e-2, 1e-2); err != nil {
		t.Fatal(err)
	}
	if err := autograd.GradCheck(func(in []*autograd.Tensor) *autograd.Tensor {
		return L2Normalize(in[0])
	}, []*autograd.Tensor{a}, 1e-3, 1e-2, 1e-2); err != nil {
		t.Fatal(err)
	}
	h := autograd.RandN(rng, 2, 3, 4).SetRequiresGrad(true)
	if err := autograd.GradCheck(func(in []*autograd.Tensor) *autograd.Tensor {
		return MeanPool(in[0], []int{1, 1, 0, 1, 0, 0})
	}, []*autograd.Tensor{h}, 1e-3, 1e-2, 1e-2); err != nil {
		t.Fatal(err)
	}
	// MeanPool by hand: row 1 is its first token only
	p := MeanPool(h, []int{1, 1, 0, 1, 0, 0})
	for k := 0; k < 4; k++ {
		if p.At(1, k) != h.At(1, 0, k) || math.Abs(float64(p.At(0, k)-(h.At(0, 0, k)+h.At(0, 1, k))/2)) > 1e-6 {
			t.Fatalf("mean pool column %d wrong", k)
		}
	}
}

// TestPatchEmbeddingGradients checks the patch embedding (projection, [CLS]
// concatenation, broadcast position add, LayerNorm) against finite
// differences for its inputs and its own tensors.
func TestPatchEmbeddingGradients(t *testing.T) {
	rng := autograd.NewRNG(6)
	pe := NewPatchEmbedding(3, 5, 4, 1e-5, rng)
	x := autograd.RandN(rng, 2, 3, 5).SetRequiresGrad(true)
	inputs := []*autograd.Tensor{x, pe.CLS, pe.Position, pe.Proj.Weight}
	if err := autograd.GradCheck(func([]*autograd.Tensor) *autograd.Tensor {
		return pe.Forward(x)
	}, inputs, 1e-3, 2e-2, 2e-2); err != nil {
		t.Fatal(err)
	}
	out := pe.Forward(x)
	if s := out.Shape(); s[0] != 2 || s[1] != 4 || s[2] != 4 {
		t.Fatalf("shape %v", s)
	}
	names := []string{}
	for _, np := range pe.NamedParameters("embeddings") {
		names = append(names, np.Name)
	}
	if names[0] != "embeddings.cls_token" || names[2] != "embeddings.projection.weight" || len(names) != 6 {
		t.Fatalf("names %v", names)
	}
}
