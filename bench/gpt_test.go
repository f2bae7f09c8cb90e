package bench

import (
	"fmt"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/internal/cputime"
	"github.com/turinglab/turinglab/optim"
)

// gptShape is the GPT-2 measured by BenchmarkGPTStep and BenchmarkGPTGenerate
// (issue "Generative LLMs", Performance): 4 layers, width 256, 4 heads, an
// 8192-token vocabulary, 128 positions; gpt2_step_torch.py and
// gpt2_generate_torch.py build the same shapes.
const (
	gptLayers, gptEmbd, gptHeads, gptVocab, gptPositions = 4, 256, 4, 8192, 128
	gptBatch, gptSeq                                     = 16, 128 // the training batch
	gptPrompt, gptNewTokens                              = 16, 64  // the generation run
)

// gptConfig is HF's GPT2Config at gptShape (gelu_new, dropout 0.1, tied
// head), with no end-of-text token, so generation always runs its full length.
func gptConfig() *gpt2.Config {
	c := gpt2.DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = gptVocab, gptPositions, gptEmbd, gptLayers, gptHeads
	c.BosTokenID, c.EosTokenID = nil, nil
	return c
}

// newGPTStep builds the model in training mode (dropout on), HF Trainer's
// AdamW (lr 1e-4, decay 0.01 except biases and LayerNorm weights) and a batch
// of random tokens that are also the labels (the model shifts them).
func newGPTStep(batch, seq int) (*gpt2.LMHeadModel, *optim.Adam, *gpt2.Inputs, error) {
	rng := autograd.NewRNG(1)
	m, err := gpt2.NewLMHeadModel(gptConfig(), rng)
	if err != nil {
		return nil, nil, nil, err
	}
	m.SetTraining(true)
	opt := optim.NewAdamWGroups(optim.DecayGroups(m.NamedParameters(""), 0.01), optim.AdamConfig{LR: 1e-4})
	ids := make([]int, batch*seq)
	for i := range ids {
		ids[i] = rng.Intn(gptVocab)
	}
	return m, opt, &gpt2.Inputs{InputIDs: ids, Batch: batch, SeqLen: seq}, nil
}

// gptTrainStep is one causal-LM optimisation step: zero the gradients,
// forward with the loss on the shifted tokens, backward (recycling the
// step's activations, as trainStep), AdamW update.
func gptTrainStep(m *gpt2.LMHeadModel, opt *optim.Adam, in *gpt2.Inputs) error {
	opt.ZeroGrad()
	out, err := m.Forward(in, in.InputIDs)
	if err != nil {
		return err
	}
	out.Loss.BackwardAndRecycle()
	opt.Step()
	return nil
}

// BenchmarkGPTStep times one GPT-2 training step (forward, loss, backward,
// AdamW) at L4/H256/A4, vocabulary 8192, batch 16 × 128, reporting wall and
// process CPU seconds per step, allocations and the peak resident memory
// while the steps run, model and optimizer state included (peak-MiB, Linux
// only; see peak_rss_test.go):
//
//	GOMAXPROCS=1 go test -run '^$' -bench GPTStep -benchtime 5x -benchmem ./bench
func BenchmarkGPTStep(b *testing.B) {
	b.Run(fmt.Sprintf("L%d-H%d-%dx%d", gptLayers, gptEmbd, gptBatch, gptSeq), func(b *testing.B) {
		m, opt, in, err := newGPTStep(gptBatch, gptSeq)
		if err != nil {
			b.Fatal(err)
		}
		peak := resetPeakRSS()
		if err := gptTrainStep(m, opt, in); err != nil { // warm-up: optimizer state
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		cpu0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			if err := gptTrainStep(m, opt, in); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/step")
		b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/step")
		if peak {
			b.ReportMetric(peakRSSMiB(), "peak-MiB")
		}
	})
}

// BenchmarkGPTGenerate times greedy generation with the key/value cache on
// the same model in evaluation mode: 64 new tokens after a 16-token prompt,
// batch 1 and 8. It reports wall and CPU seconds per run, tokens/s
// (generated tokens over the batch per second of wall time, and of process
// CPU time) and the peak resident memory, model included (peak-MiB):
//
//	GOMAXPROCS=1 go test -run '^$' -bench GPTGenerate -benchtime 5x ./bench
func BenchmarkGPTGenerate(b *testing.B) {
	rng := autograd.NewRNG(1)
	m, err := gpt2.NewLMHeadModel(gptConfig(), rng)
	if err != nil {
		b.Fatal(err)
	}
	m.SetTraining(false)
	for _, batch := range []int{1, 8} {
		b.Run(fmt.Sprintf("L%d-H%d-batch%d", gptLayers, gptEmbd, batch), func(b *testing.B) {
			prompts := make([][]int, batch)
			for i := range prompts {
				for range gptPrompt {
					prompts[i] = append(prompts[i], rng.Intn(gptVocab))
				}
			}
			cfg := gpt2.DefaultGenerationConfig()
			cfg.MaxNewTokens = gptNewTokens
			peak := resetPeakRSS()
			if _, err := m.Generate(prompts, cfg, nil); err != nil { // warm-up
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				if _, err := m.Generate(prompts, cfg, nil); err != nil {
					b.Fatal(err)
				}
			}
			cpu := (cputime.Process() - cpu0).Seconds()
			tokens := float64(b.N * batch * gptNewTokens)
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
			b.ReportMetric(cpu/float64(b.N), "cpu-s/run")
			b.ReportMetric(tokens/b.Elapsed().Seconds(), "tokens/s")
			if cpu > 0 {
				b.ReportMetric(tokens/cpu, "cpu-tokens/s")
			}
			if peak {
				b.ReportMetric(peakRSSMiB(), "peak-MiB")
			}
		})
	}
}

// TestGPTStepLowersLoss checks that the benchmarked step is a real training
// step: a few AdamW steps on the same batch lower the loss.
func TestGPTStepLowersLoss(t *testing.T) {
	m, opt, in, err := newGPTStep(2, 16)
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false) // no dropout: the loss is a function of the weights only
	loss := func() float32 {
		var l float32
		autograd.NoGrad(func() {
			out, err := m.Forward(in, in.InputIDs)
			if err != nil {
				t.Fatal(err)
			}
			l = out.Loss.Item()
		})
		return l
	}
	before := loss()
	for _, g := range opt.ParamGroups() {
		g.LR = 1e-3
	}
	for range 5 {
		if err := gptTrainStep(m, opt, in); err != nil {
			t.Fatal(err)
		}
	}
	if after := loss(); !(after < before) {
		t.Fatalf("loss did not fall after 5 AdamW steps: %g -> %g", before, after)
	}
}
