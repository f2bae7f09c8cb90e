package multimodal

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

func maxAbsDiff(t *testing.T, a, b *autograd.Tensor) float64 {
	t.Helper()
	if !autograd.SameShape(a.Shape(), b.Shape()) {
		t.Fatalf("shapes %v and %v differ", a.Shape(), b.Shape())
	}
	var m float64
	ad, bd := a.Contiguous().Data(), b.Contiguous().Data()
	for i := range ad {
		m = math.Max(m, math.Abs(float64(ad[i]-bd[i])))
	}
	return m
}

// TestCrossAttentionIsTheFormula checks the block against its definition
// written out with one head: softmax(q·kᵀ/√d)·v, output projection, residual
// and LayerNorm, then the feed-forward sub-layer.
func TestCrossAttentionIsTheFormula(t *testing.T) {
	rng := autograd.NewRNG(3)
	c, err := NewCrossAttention(8, 1, 16, 1e-12, rng)
	if err != nil {
		t.Fatal(err)
	}
	x, ctx := autograd.RandN(rng, 2, 3, 8), autograd.RandN(rng, 2, 5, 8)
	got, probs := c.Forward(x, ctx)

	q, k, v := c.Query.Forward(x), c.Key.Forward(ctx), c.Value.Forward(ctx)
	p := q.MatMul(k.Transpose(-1, -2)).DivScalar(float32(math.Sqrt(8))).Softmax(-1) // [2, 3, 5]
	h := c.AttentionNorm.Forward(x.Add(c.Output.Forward(p.MatMul(v))))
	want := c.FFNNorm.Forward(h.Add(c.FFNOutput.Forward(c.Intermediate.Forward(h).GELU())))
	if d := maxAbsDiff(t, got, want); d > 1e-5 {
		t.Errorf("output differs from the formula by %.3g", d)
	}
	if d := maxAbsDiff(t, probs.Reshape(2, 3, 5), p); d > 1e-6 {
		t.Errorf("attention probabilities differ from the formula by %.3g", d)
	}
}

// TestCrossAttentionIgnoresContextOrder: the context has no positions here,
// so permuting its tokens leaves the output unchanged, while changing one of
// them changes it.
func TestCrossAttentionIgnoresContextOrder(t *testing.T) {
	rng := autograd.NewRNG(4)
	c, err := NewCrossAttention(8, 2, 16, 1e-12, rng)
	if err != nil {
		t.Fatal(err)
	}
	x, ctx := autograd.RandN(rng, 1, 3, 8), autograd.RandN(rng, 1, 4, 8)
	a, _ := c.Forward(x, ctx)
	b, _ := c.Forward(x, ctx.IndexSelect(1, []int{2, 0, 3, 1}))
	if d := maxAbsDiff(t, a, b); d > 1e-5 {
		t.Errorf("permuting the context changed the output by %.3g", d)
	}
	other := ctx.Clone()
	other.Set(5, 0, 1, 0)
	e, _ := c.Forward(x, other)
	if d := maxAbsDiff(t, a, e); d < 1e-4 {
		t.Errorf("changing a context token changed the output by only %.3g", d)
	}
}

func TestCrossAttentionRejectsBadHeads(t *testing.T) {
	if _, err := NewCrossAttention(8, 3, 16, 1e-12, autograd.NewRNG(1)); err == nil || !strings.Contains(err.Error(), "3 heads do not divide hidden size 8") {
		t.Errorf("error %v, want one about heads not dividing the hidden size", err)
	}
}

// TestCrossAttentionFusionAnswersQuestions trains the cross-attention
// variant on the same task as TestFusionAnswersQuestions and checks that it
// reads colours from the picture.
func TestCrossAttentionFusionAnswersQuestions(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	opts := ShapeOptions{Seed: 11, Kinds: []string{SceneSingle, ScenePair}}
	trainSet, testSet := GenerateShapes(600, opts), GenerateShapes(100, ShapeOptions{Seed: 12, Kinds: opts.Kinds})
	trainQA, testQA := ShapeQuestions(trainSet, 1), ShapeQuestions(testSet, 2)
	tok, err := CaptionTokenizer(append(QuestionTexts(trainQA), QuestionTexts(testQA)...))
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewCrossAttentionFusionModel(TowerConfig(32, 1, 2, 64), tok, 16, 192, AnswerSet(trainQA), autograd.NewRNG(2))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, p := range f.NamedParameters("") {
		names[strings.SplitN(p.Name, ".", 2)[0]] = true
	}
	if !names["media_encoder"] || !names["cross_attention"] {
		t.Errorf("parameters %v lack media_encoder or cross_attention", names)
	}
	p := ImagePatches(ImagesTensor(SceneImages(trainSet)), 8)
	losses, err := TrainFusion(f, p, trainQA, TrainOptions{Steps: 400, BatchSize: 32, LR: 1e-3, Seed: 4, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loss %.3f -> %.3f", losses[0], losses[len(losses)-1])
	acc, _, err := f.AnswerAccuracy(ImagePatches(ImagesTensor(SceneImages(testSet)), 8), FilterQA(testQA, "colour"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("colour accuracy %.2f", acc)
	if acc < 0.6 {
		t.Errorf("colour accuracy %.2f, chance 0.25", acc)
	}
}
