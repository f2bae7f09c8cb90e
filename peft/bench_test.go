package peft

import (
	"testing"
	"time"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/internal/cputime"
)

// reportCPU adds the process CPU time per operation ("cpu-ms/op") since
// start, a figure less disturbed by other jobs than ns/op.
func reportCPU(b *testing.B, start time.Duration) {
	if d := cputime.Process() - start; d > 0 {
		b.ReportMetric(float64(d.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// benchModel is a BERT the size of the course's (hidden 64, 2 layers, 2
// heads, intermediate 128) with a batch of 32 sequences of 32 tokens.
func benchModel(b *testing.B) (*bert.ForSequenceClassification, *bert.Inputs) {
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads = 1000, 64, 2, 2
	c.IntermediateSize, c.MaxPositionEmbeddings = 128, 64
	c.SetNumLabels(3)
	m, err := bert.NewForSequenceClassification(c, autograd.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	m.SetTraining(false)
	ids := make([][]int, 32)
	for i := range ids {
		ids[i] = make([]int, 32)
		for j := range ids[i] {
			ids[i][j] = (i*31 + j*7) % 1000
		}
	}
	in, err := bert.NewInputs(ids, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	return m, in
}

// BenchmarkLoRAForward compares the course-sized classifier's forward pass
// (no gradients) with rank-1 LoRA on every linear layer, unmerged and merged,
// against the plain model: merging should remove the branches' cost.
func BenchmarkLoRAForward(b *testing.B) {
	for _, mode := range []string{"plain", "unmerged", "merged"} {
		b.Run(mode, func(b *testing.B) {
			m, in := benchModel(b)
			if mode != "plain" {
				cfg := NewLoraConfig()
				cfg.R, cfg.InitLoraWeights = 1, LoraInitRandom
				cfg.TargetModules = TargetNames("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense")
				pm, err := New(m, cfg)
				if err != nil {
					b.Fatal(err)
				}
				if mode == "merged" {
					if _, err := pm.MergeAndUnload(); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ResetTimer()
			cpu := cputime.Process()
			defer reportCPU(b, cpu)
			for i := 0; i < b.N; i++ {
				autograd.NoGrad(func() {
					if _, err := m.Forward(in, nil); err != nil {
						b.Fatal(err)
					}
				})
			}
		})
	}
}

// BenchmarkTrainStep measures one forward + backward pass of the
// course-sized classifier for full fine-tuning and for LoRA (the frozen base
// still runs its backward pass for the activations, but computes no weight
// gradients).
func BenchmarkTrainStep(b *testing.B) {
	for _, mode := range []string{"full", "lora"} {
		b.Run(mode, func(b *testing.B) {
			m, in := benchModel(b)
			var pm *Model
			if mode == "lora" {
				var err error
				if pm, err = New(m, NewLoraConfig()); err != nil {
					b.Fatal(err)
				}
			}
			m.SetTraining(true)
			labels := &bert.SequenceLabels{Classes: make([]int, in.Batch)}
			b.ResetTimer()
			cpu := cputime.Process()
			defer reportCPU(b, cpu)
			for i := 0; i < b.N; i++ {
				var out *bert.ClassificationOutput
				var err error
				if pm != nil {
					out, err = pm.Forward(in, labels)
				} else {
					out, err = m.Forward(in, labels)
				}
				if err != nil {
					b.Fatal(err)
				}
				out.Loss.Backward()
			}
		})
	}
}

// BenchmarkAdaLoRAAllocatorStep measures the rank allocator's work after one
// optimizer step (importance EMAs over every A, E, B and the masking), for
// init_r 12 on query and value of the course-sized model.
func BenchmarkAdaLoRAAllocatorStep(b *testing.B) {
	m, in := benchModel(b)
	pm, err := New(m, NewAdaLoraConfig(1000000))
	if err != nil {
		b.Fatal(err)
	}
	m.SetTraining(true)
	out, err := pm.Forward(in, &bert.SequenceLabels{Classes: make([]int, in.Batch)})
	if err != nil {
		b.Fatal(err)
	}
	out.Loss.Backward()
	alloc := pm.Allocator(DefaultAdapterName)
	b.ResetTimer()
	cpu := cputime.Process()
	defer reportCPU(b, cpu)
	for i := 0; i < b.N; i++ {
		alloc.Step(i + 1)
	}
}
