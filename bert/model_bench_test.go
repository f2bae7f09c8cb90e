package bert

import (
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/cputime"
)

// BenchmarkForward times one evaluation forward pass (no graph, dropout off)
// of a BertModel with pooler on a batch of 8 sequences of 128 random tokens:
//
//	go test -run '^$' -bench BenchmarkForward -benchtime 3x ./bert
//
// L2-H128 is the small Google BERT shape (2 layers, hidden 128, 2 heads);
// Base is bert-base-uncased (12 layers, hidden 768, 12 heads, 3072).
// cpu-s/forward is the process CPU time per pass (user + system): on a busy
// shared machine it is steadier than the wall time.
func BenchmarkForward(b *testing.B) {
	small := DefaultConfig()
	small.NumHiddenLayers, small.HiddenSize, small.NumAttentionHeads, small.IntermediateSize = 2, 128, 2, 512
	for _, bc := range []struct {
		name string
		c    *Config
	}{{"L2-H128-8x128", small}, {"Base-8x128", DefaultConfig()}} {
		b.Run(bc.name, func(b *testing.B) {
			rng := autograd.NewRNG(1)
			m, err := NewModel(bc.c, rng, true)
			if err != nil {
				b.Fatal(err)
			}
			m.SetTraining(false)
			const batch, seq = 8, 128
			ids := make([]int, batch*seq)
			for i := range ids {
				ids[i] = rng.Intn(bc.c.VocabSize)
			}
			in := &Inputs{InputIDs: ids, Batch: batch, SeqLen: seq}
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				autograd.NoGrad(func() {
					if _, err := m.Forward(in); err != nil {
						b.Fatal(err)
					}
				})
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/forward")
			b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/forward")
		})
	}
}

// BenchmarkPreTrainingStep times one forward + backward pass of
// ForPreTraining (MLM + NSP losses) at the L2-H128 shape, batch 8 × 128 with
// 15 % of the positions masked, computing the MLM logits at every position
// ("full") or only at the masked ones ("masked-only"):
//
//	go test -run '^$' -bench BenchmarkPreTrainingStep -benchtime 5x ./bert
func BenchmarkPreTrainingStep(b *testing.B) {
	c := DefaultConfig()
	c.NumHiddenLayers, c.HiddenSize, c.NumAttentionHeads, c.IntermediateSize = 2, 128, 2, 512
	for _, maskedOnly := range []bool{false, true} {
		name := "full"
		if maskedOnly {
			name = "masked-only"
		}
		b.Run(name, func(b *testing.B) {
			rng := autograd.NewRNG(1)
			m, err := NewForPreTraining(c, rng)
			if err != nil {
				b.Fatal(err)
			}
			m.MaskedOnly = maskedOnly
			const batch, seq = 8, 128
			ids := make([]int, batch*seq)
			mlm := make([]int, batch*seq)
			for i := range ids {
				ids[i] = rng.Intn(c.VocabSize)
				mlm[i] = -100
				if rng.Float32() < 0.15 {
					mlm[i] = ids[i]
				}
			}
			in := &Inputs{InputIDs: ids, Batch: batch, SeqLen: seq}
			labels := &PreTrainingLabels{MLM: mlm, NSP: make([]int, batch)}
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				out, err := m.Forward(in, labels)
				if err != nil {
					b.Fatal(err)
				}
				out.Loss.Backward()
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/step")
			b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/step")
		})
	}
}
