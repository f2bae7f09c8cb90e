package gpt2

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/optim"
)

// tinyConfig is a small GPT-2 for tests.
func tinyConfig() *Config {
	c := DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = 50, 16, 16, 2, 2
	bos, eos := 49, 49
	c.BosTokenID, c.EosTokenID = &bos, &eos
	return c
}

// TestInit checks HF's _init_weights: N(0, 0.02) weights and embeddings, the
// c_proj weights N(0, 0.02/sqrt(2·n_layer)), zero biases, LayerNorm 1/0, a
// tied head, and training mode.
func TestInit(t *testing.T) {
	c := tinyConfig()
	c.NEmbd, c.NHead, c.NLayer = 64, 4, 8
	m, err := NewLMHeadModel(c, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	std := func(x *autograd.Tensor) float64 {
		var s float64
		for _, v := range x.Data() {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(x.Numel()))
	}
	b := m.Transformer.H[0]
	for name, tc := range map[string]struct {
		x    *autograd.Tensor
		want float64
	}{
		"wte":         {m.Transformer.Wte.Weight, 0.02},
		"c_attn":      {b.Attn.CAttn.(*nn.Conv1D).Weight, 0.02},
		"c_fc":        {b.MLP.CFc.(*nn.Conv1D).Weight, 0.02},
		"attn.c_proj": {b.Attn.CProj.(*nn.Conv1D).Weight, 0.02 / 4},
		"mlp.c_proj":  {b.MLP.CProj.(*nn.Conv1D).Weight, 0.02 / 4},
	} {
		if got := std(tc.x); math.Abs(got-tc.want) > 0.1*tc.want {
			t.Errorf("%s: std %.4f, want %.4f", name, got, tc.want)
		}
	}
	if std(b.Attn.CAttn.(*nn.Conv1D).Bias) != 0 || b.Ln1.Weight.At(0) != 1 || b.Ln1.Bias.At(0) != 0 {
		t.Error("biases must start at zero and LayerNorm at 1/0")
	}
	if !m.Tied() || !m.Transformer.Drop.Training() {
		t.Error("a new model is tied and in training mode")
	}
	again, _ := NewLMHeadModel(c, autograd.NewRNG(1))
	if !again.Transformer.Wte.Weight.AllClose(m.Transformer.Wte.Weight, 0, 0) {
		t.Error("the same seed must give the same model")
	}
}

// TestCacheMatchesFullForwardPadded feeds a left-padded batch in two chunks
// through the cache and compares with one pass over everything.
func TestCacheMatchesFullForwardPadded(t *testing.T) {
	c := tinyConfig()
	m, _ := NewLMHeadModel(c, autograd.NewRNG(2))
	m.SetTraining(false)
	ids := []int{49, 49, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6}
	mask := []int{0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	pos, _ := PositionIDsFromMask(mask, 2, 6, 6)
	full, err := m.Forward(&Inputs{InputIDs: ids, AttentionMask: mask, PositionIDs: pos, Batch: 2, SeqLen: 6}, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := m.Forward(&Inputs{InputIDs: []int{49, 49, 5, 6, 1, 2, 3, 4}, AttentionMask: []int{0, 0, 1, 1, 1, 1, 1, 1}, PositionIDs: []int{1, 1, 0, 1, 0, 1, 2, 3}, Batch: 2, SeqLen: 4, UseCache: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pos2, _ := PositionIDsFromMask(mask, 2, 6, 2)
	second, err := m.Forward(&Inputs{InputIDs: []int{7, 8, 5, 6}, AttentionMask: mask, PositionIDs: pos2, Batch: 2, SeqLen: 2, Past: first.Cache, UseCache: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.Cache.Len() != 6 {
		t.Fatalf("cache holds %d positions, want 6", second.Cache.Len())
	}
	want := full.Logits.Slice(1, 4, 6)
	if !second.Logits.AllClose(want, 1e-5, 1e-5) {
		t.Fatalf("cached logits differ from the full pass")
	}
}

// TestHooks checks that a stream hook sees n_layer+1 states and can replace
// one, and that a sub-block hook that zeroes every attention and MLP output
// leaves the embeddings as the last block's output.
func TestHooks(t *testing.T) {
	c := tinyConfig()
	m, _ := NewLMHeadModel(c, autograd.NewRNG(3))
	m.SetTraining(false)
	in := &Inputs{InputIDs: []int{1, 2, 3}, Batch: 1, SeqLen: 3, OutputHiddenStates: true}
	var seen []int
	var last *autograd.Tensor
	removeStream := m.Transformer.AddHook(func(i int, h *autograd.Tensor) *autograd.Tensor {
		seen = append(seen, i)
		if i == c.NLayer {
			last = h
		}
		return nil
	})
	removeSub := m.Transformer.AddSublayerHook(func(layer int, kind Sublayer, out *autograd.Tensor) *autograd.Tensor {
		return autograd.ZerosLike(out)
	})
	out, err := m.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != c.NLayer+1 || !last.AllClose(out.HiddenStates[0], 0, 0) {
		t.Fatalf("hooks saw %v; with zeroed sub-blocks the stream must stay the embeddings", seen)
	}
	removeStream()
	removeSub()
	plain, _ := m.Forward(in, nil)
	if plain.Logits.AllClose(out.Logits, 1e-3, 1e-3) {
		t.Error("removing the hooks changed nothing")
	}
	if SublayerAttention.String() != "attn" || SublayerMLP.String() != "mlp" {
		t.Error("sub-block names must be HF's")
	}
}

// TestInputErrors checks that bad inputs are errors naming what is wrong.
func TestInputErrors(t *testing.T) {
	m, _ := NewLMHeadModel(tinyConfig(), autograd.NewRNG(4))
	for _, in := range []*Inputs{
		{InputIDs: []int{1, 50}, Batch: 1, SeqLen: 2},
		{InputIDs: []int{1, 2}, Batch: 1, SeqLen: 2, PositionIDs: []int{0, 16}},
		{InputIDs: make([]int, 17), Batch: 1, SeqLen: 17},
		{InputIDs: []int{1, 2}, Batch: 1, SeqLen: 2, AttentionMask: []int{1}},
	} {
		if _, err := m.Forward(in, nil); err == nil {
			t.Errorf("Forward(%+v) accepted bad inputs", in)
		}
	}
	if _, err := m.Forward(&Inputs{InputIDs: []int{1, 2}, Batch: 1, SeqLen: 2}, []int{1, 70}); err == nil {
		t.Error("a label outside the vocabulary was accepted")
	}
}

// BenchmarkTrainStep is one forward + backward + AdamW step of a GPT-2 with
// 4 layers, width 256, 4 heads, vocabulary 8192, batch 16 × 128 tokens (for
// comparison with the same step in PyTorch).
func BenchmarkTrainStep(b *testing.B) {
	c := DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = 8192, 128, 256, 4, 4
	bos := 8191
	c.BosTokenID, c.EosTokenID = &bos, &bos
	rng := autograd.NewRNG(1)
	m, err := NewLMHeadModel(c, rng)
	if err != nil {
		b.Fatal(err)
	}
	const batch, seq = 16, 128
	ids := make([]int, batch*seq)
	for i := range ids {
		ids[i] = rng.Intn(c.VocabSize)
	}
	in := &Inputs{InputIDs: ids, Batch: batch, SeqLen: seq}
	opt := newBenchOptimizer(m)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := m.Forward(in, ids)
		if err != nil {
			b.Fatal(err)
		}
		out.Loss.Backward()
		opt.Step()
		opt.ZeroGrad()
	}
}

// newBenchOptimizer is HF Trainer's AdamW (decay 0.01 except biases and
// LayerNorm weights).
func newBenchOptimizer(m *LMHeadModel) *optim.Adam {
	return optim.NewAdamWGroups(optim.DecayGroups(m.NamedParameters(""), 0.01), optim.AdamConfig{LR: 1e-4})
}

func TestInputsEmbedsEqualTheTokenEmbeddings(t *testing.T) {
	c := DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = 40, 16, 16, 2, 2
	c.BosTokenID, c.EosTokenID = nil, nil
	m, err := NewLMHeadModel(c, autograd.NewRNG(3))
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	ids := []int{5, 9, 1, 33, 2, 7}
	byID, err := m.Forward(&Inputs{InputIDs: ids, Batch: 2, SeqLen: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	emb := m.Transformer.Wte.Forward(ids, 2, 3)
	byEmb, err := m.Forward(&Inputs{InputsEmbeds: emb, Batch: 2, SeqLen: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !byEmb.Logits.AllClose(byID.Logits, 0, 0) {
		t.Fatal("inputs_embeds = wte[ids] gives other logits than the ids")
	}
	if _, err := m.Forward(&Inputs{InputIDs: ids, InputsEmbeds: emb, Batch: 2, SeqLen: 3}, nil); err == nil {
		t.Fatal("ids and inputs_embeds together accepted")
	}
	if _, err := m.Forward(&Inputs{InputsEmbeds: emb, Batch: 1, SeqLen: 6}, nil); err == nil {
		t.Fatal("inputs_embeds of the wrong shape accepted")
	}
}
