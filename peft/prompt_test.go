package peft

import (
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// TestPrefixKeyValueLayout checks PEFT's layout of the prefix table: width
// viewed as [layers·2, heads, head_dim], entry 2i = layer i's key.
func TestPrefixKeyValueLayout(t *testing.T) {
	p := &PromptEncoder{Prefix: true, NumVirtualTokens: 2, layers: 2, heads: 2, hidden: 4}
	data := make([]float32, 2*2*2*4)
	for i := range data {
		data[i] = float32(i)
	}
	p.Embedding = nnEmbedding(autograd.New(data, 2, 16))
	keys, values := p.KeyValues()
	// Layer 1's value = entry 3; head 1, virtual token 1, dim 0:
	// table[1, 3·4 + 1·2 + 0] = 16 + 14 = 30.
	if v := values[1].At(1, 1, 0); v != 30 {
		t.Fatalf("layer 1 value[head 1, token 1, dim 0] = %g, want 30", v)
	}
	if k := keys[0].At(0, 1, 1); k != 17 {
		t.Fatalf("layer 0 key[head 0, token 1, dim 1] = %g, want table[1, 1] = 17", k)
	}
}

// TestPrefixTuning checks that every layer attends to the prefix (mask
// extended with ones, padding still masked), that the output keeps the
// sequence length, that gradients reach only the prefix and the head, with
// and without the reparameterisation, and the round trips.
func TestPrefixTuning(t *testing.T) {
	for _, proj := range []bool{false, true} {
		m, in := tinyBert(t, 21)
		plain := logits(t, m, in)
		cfg := NewPrefixTuningConfig(3)
		cfg.PrefixProjection, cfg.EncoderHiddenSize = proj, 8
		pm, err := New(m, cfg)
		if err != nil {
			t.Fatal(err)
		}
		first := logits(t, m, in)
		if d := maxDiff(first, logits(t, m, in)); d != 0 {
			t.Errorf("the first forward pass after adding the prefix differs from the second by %g", d)
		}
		in.OutputAttentions = true
		var out *bert.ClassificationOutput
		autograd.NoGrad(func() { out, err = m.Forward(in, nil) })
		in.OutputAttentions = false
		if err != nil {
			t.Fatal(err)
		}
		a := out.Attentions[1] // [batch, heads, T, P+T]
		if s := a.Shape(); s[2] != 6 || s[3] != 9 {
			t.Fatalf("attention shape %v, want [.., .., 6, 9]", s)
		}
		// Row 1 of the batch has 2 padding tokens (the last two keys).
		if a.At(1, 0, 0, 0) == 0 || a.At(1, 0, 0, 8) != 0 || a.At(1, 0, 0, 7) != 0 || a.At(1, 0, 0, 3) == 0 {
			t.Errorf("prefix keys must be attended, padding keys not: %v", a.Select(0, 1).Select(0, 0).Select(0, 0))
		}
		if maxDiff(plain, out.Logits) == 0 {
			t.Error("the prefix did not change the logits")
		}
		if proj && len(pm.adapters[DefaultAdapterName].prompt.Transform.NamedParameters("")) != 4 {
			t.Error("projection MLP missing")
		}
		checkGradientsOnlyTrainable(t, pm, trainLoss(t, pm, m, in))
		checkRoundTrip(t, pm, m, in, 21, TypePrefixTuning)
		pm.DisableAdapters()
		if d := maxDiff(plain, logits(t, m, in)); d != 0 {
			t.Errorf("disabled prefix still changes logits by %g", d)
		}
		pm.EnableAdapters()
		if err := pm.DeleteAdapter(DefaultAdapterName); err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(plain, logits(t, m, in)); d != 0 {
			t.Errorf("deleted prefix still changes logits by %g", d)
		}
	}
}

// TestPromptTuningEqualsPrependedTokens checks the definition: virtual tokens
// equal to the word embeddings of ids v give exactly the logits of the base
// model on [v; input] with token type 0 and mask 1 in front.
func TestPromptTuningEqualsPrependedTokens(t *testing.T) {
	m, in := tinyBert(t, 22)
	pm, err := New(m, NewPromptTuningConfig(3))
	if err != nil {
		t.Fatal(err)
	}
	v := []int{4, 17, 9}
	p := pm.adapters[DefaultAdapterName].prompt
	copy(p.Embedding.Weight.Data(), m.Bert.Embeddings.WordEmbeddings.Weight.IndexSelect(0, v).Data())
	var got *bert.ClassificationOutput
	autograd.NoGrad(func() { got, err = pm.Forward(in, nil) })
	if err != nil {
		t.Fatal(err)
	}
	var ids, types, mask [][]int
	for b := 0; b < in.Batch; b++ {
		row := in.InputIDs[b*in.SeqLen : (b+1)*in.SeqLen]
		ids = append(ids, append(append([]int{}, v...), row...))
		types = append(types, append([]int{0, 0, 0}, in.TokenTypeIDs[b*in.SeqLen:(b+1)*in.SeqLen]...))
		mask = append(mask, append([]int{1, 1, 1}, in.AttentionMask[b*in.SeqLen:(b+1)*in.SeqLen]...))
	}
	long, err := bert.NewInputs(ids, types, mask)
	if err != nil {
		t.Fatal(err)
	}
	pm.DisableAdapters()
	want := logits(t, m, long)
	pm.EnableAdapters()
	if d := maxDiff(want, got.Logits); d > 1e-5 {
		t.Errorf("prompt tuning differs from prepended tokens by %g", d)
	}
	checkGradientsOnlyTrainable(t, pm, trainLoss(t, pm, m, in))

	// Too long: 24 positions, 3 virtual tokens, 22 tokens.
	ids22 := make([]int, 22)
	longIn, _ := bert.NewInputs([][]int{ids22}, nil, nil)
	if _, err := pm.Forward(longIn, nil); err == nil || !strings.Contains(err.Error(), "max_position_embeddings") {
		t.Errorf("over-long input gave %v", err)
	}

	// Round trip (through pm.Forward, since the base alone ignores prompts).
	dir := t.TempDir()
	if err := pm.SavePretrained(dir); err != nil {
		t.Fatal(err)
	}
	fresh, _ := tinyBert(t, 22)
	pm2, err := FromPretrained(fresh, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	var got2 *bert.ClassificationOutput
	autograd.NoGrad(func() { got2, err = pm2.Forward(in, nil) })
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(got.Logits, got2.Logits); d > 1e-6 {
		t.Errorf("loaded prompt differs by %g", d)
	}
}

// TestPromptTuningInits checks SAMPLE_VOCAB and TEXT initialisation.
func TestPromptTuningInits(t *testing.T) {
	m, _ := tinyBert(t, 23)
	words := m.Bert.Embeddings.WordEmbeddings.Weight
	cfg := NewPromptTuningConfig(4)
	cfg.PromptTuningInit = PromptInitSampleVocab
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	table := pm.adapters[DefaultAdapterName].prompt.Embedding.Weight
	for i := 0; i < 4; i++ {
		row := table.Select(0, i)
		found := false
		for id := 0; id < words.Size(0) && !found; id++ {
			found = maxDiff(row, words.Select(0, id)) == 0
		}
		if !found {
			t.Errorf("virtual token %d is not a vocabulary embedding", i)
		}
	}
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "movie"}
	v, err := tokenizer.NewVocab(vocab)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.NewBertTokenizer(v, true)
	if err != nil {
		t.Fatal(err)
	}
	text := "good movie"
	c2 := NewPromptTuningConfig(5)
	c2.PromptTuningInit, c2.PromptTuningInitText, c2.Tokenizer = PromptInitText, &text, tok
	if err := pm.AddAdapter("text", c2); err != nil {
		t.Fatal(err)
	}
	// [CLS] good movie [SEP] = 2 5 6 3, repeated: 2 5 6 3 2.
	tt := pm.adapters["text"].prompt.Embedding.Weight
	for i, id := range []int{2, 5, 6, 3, 2} {
		if maxDiff(tt.Select(0, i), words.Select(0, id)) != 0 {
			t.Errorf("text-initialised token %d is not the embedding of id %d", i, id)
		}
	}
}

// TestPromptTuningTrainsThroughNewTrainer checks that training prompt tuning
// with NewTrainer (which must go through Model.Forward) lowers the training
// loss and changes only the prompt and the head, and that Predict agrees with
// Evaluate's accuracy.
func TestPromptTuningTrainsThroughNewTrainer(t *testing.T) {
	task := sentimentTask(t, 64)
	before := map[string][]float32{}
	for _, p := range task.Model.NamedParameters("") {
		before[p.Name] = append([]float32(nil), p.Tensor.Data()...)
	}
	pm, err := New(task.Model, NewPromptTuningConfig(4))
	if err != nil {
		t.Fatal(err)
	}
	trainLossNow := func() float64 {
		var loss float64
		pm.SetTraining(false)
		autograd.NoGrad(func() { _, loss, err = Predict(pm, task, task.Train) })
		if err != nil {
			t.Fatal(err)
		}
		return loss
	}
	first := trainLossNow()
	tr, err := NewTrainer(pm, task, train.Config{Epochs: 4, BatchSize: 8, LearningRate: 3e-2, Quiet: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Train(); err != nil {
		t.Fatal(err)
	}
	if last := trainLossNow(); !(last < first) {
		t.Errorf("mean training loss went from %g to %g", first, last)
	}
	for _, p := range task.Model.NamedParameters("") {
		old, ok := before[p.Name]
		if !ok {
			continue // the head's copy
		}
		if maxDiff(p.Tensor, autograd.New(old, p.Tensor.Shape()...)) != 0 {
			t.Errorf("frozen %s changed", p.Name)
		}
	}
	var pred []int
	var met map[string]float64
	autograd.NoGrad(func() {
		pred, _, err = Predict(pm, task, task.Dev)
		if err == nil {
			met, err = Evaluate(pm, task)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if acc := train.Accuracy(pred, train.Golds(task.Dev)); acc != met["accuracy"] {
		t.Errorf("Predict accuracy %g, Evaluate %g", acc, met["accuracy"])
	}
	if _, err := NewTrainer(pm, &train.SequenceClassificationTask{Model: nil}, train.Config{}); err == nil {
		t.Error("NewTrainer accepted a task whose model is not the adapted one")
	}
}
