package gpt2

import (
	"fmt"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/cputime"
)

// benchConfig is a small GPT-2 (4 layers, width 128, 4 heads, 2048 tokens),
// large enough that the forward pass dominates, small enough for a laptop.
func benchConfig() *Config {
	c := DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = 2048, 128, 128, 4, 4
	eos := 2047
	c.BosTokenID, c.EosTokenID = &eos, &eos
	return c
}

// BenchmarkGenerate measures greedy generation throughput: 48 new tokens
// after a 16-token prompt, batch 1 and 8, with the KV cache (one new token
// per step) and, for comparison, recomputing the whole sequence every step.
// tokens/s counts generated tokens over the whole batch per second of wall
// time, cpu-tokens/s per second of process CPU time (steadier on a shared
// machine). bench/gpt2_generate_torch.py measures the same in PyTorch:
//
//	GOMAXPROCS=1 go test -run '^$' -bench Generate -benchtime 5x ./gpt2
//	OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/gpt2_generate_torch.py
func BenchmarkGenerate(b *testing.B) {
	m, err := NewLMHeadModel(benchConfig(), autograd.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	m.SetTraining(false)
	const promptLen, newTokens = 16, 48
	rng := autograd.NewRNG(2)
	for _, run := range []struct {
		batch   int
		noCache bool
	}{{1, false}, {8, false}, {1, true}} {
		name := fmt.Sprintf("batch%d/cache", run.batch)
		if run.noCache {
			name = fmt.Sprintf("batch%d/recompute", run.batch)
		}
		b.Run(name, func(b *testing.B) {
			prompts := make([][]int, run.batch)
			for i := range prompts {
				for j := 0; j < promptLen; j++ {
					prompts[i] = append(prompts[i], rng.Intn(2048))
				}
			}
			cfg := DefaultGenerationConfig()
			cfg.MaxNewTokens = newTokens
			opts := &GenerateOptions{NoCache: run.noCache}
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				if _, err := m.Generate(prompts, cfg, opts); err != nil {
					b.Fatal(err)
				}
			}
			tokens := float64(b.N * run.batch * newTokens)
			b.ReportMetric(tokens/b.Elapsed().Seconds(), "tokens/s")
			if cpu := (cputime.Process() - cpu0).Seconds(); cpu > 0 {
				b.ReportMetric(tokens/cpu, "cpu-tokens/s")
			}
		})
	}
}
