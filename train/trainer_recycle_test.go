package train

import (
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// recycledRunIsExact trains twice, each time on a fresh model from build
// (same seeds, dropout on): once with the task's Trainer as it comes, which
// must recycle, and once with Recycle off. The weights, losses and metrics
// must agree bit for bit.
func recycledRunIsExact(t *testing.T, build func() (nn.Module, *Trainer)) {
	t.Helper()
	recycled, tr := build()
	if !tr.Recycle {
		t.Fatal("the task's Trainer does not recycle")
	}
	hRecycled, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	plain, tr := build()
	tr.Recycle = false
	hPlain, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	sameRuns(t, recycled, plain, hRecycled, hPlain)
}

func TestPretrainingTaskRecyclesExactly(t *testing.T) {
	world, tok, cfg := tinySetup(t)
	_, instances := worldInstances(t, world, tok, 1)
	recycledRunIsExact(t, func() (nn.Module, *Trainer) {
		model, err := bert.NewForPreTraining(cfg, autograd.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		task := &PretrainingTask{Model: model, Vocab: tok.Vocab, Train: instances[8:], Dev: instances[:8]}
		// Two micro-batches per step: the gradients of the first must survive
		// the recycling of its graph.
		return model, task.Trainer(Config{MaxSteps: 4, BatchSize: 4, GradAccumulation: 2, LearningRate: 1e-3,
			MaxGradNorm: 1, EvalEvery: 2, Seed: 1, Quiet: true})
	})
}

func TestSequenceClassificationTaskRecyclesExactly(t *testing.T) {
	tok, err := tokenizer.LoadBertTokenizer(refBertDir)
	if err != nil {
		t.Fatal(err)
	}
	examples := data.Sentiment(data.SentimentOptions{Seed: 2, N: 40})
	recycledRunIsExact(t, func() (nn.Module, *Trainer) {
		model, err := bert.LoadForSequenceClassification(refBertDir, data.SentimentLabels, 3)
		if err != nil {
			t.Fatal(err)
		}
		task := &SequenceClassificationTask{Model: model, Tokenizer: tok, Train: examples[:32], Dev: examples[32:],
			Labels: data.SentimentLabels, MaxLength: model.Bert.Config.MaxPositionEmbeddings, Quiet: true}
		return model, task.Trainer(Config{Epochs: 1, BatchSize: 8, LearningRate: 1e-3, Seed: 1, Quiet: true})
	})
}

func TestCausalLMTaskRecyclesExactly(t *testing.T) {
	docs := tokenDocs()
	recycledRunIsExact(t, func() (nn.Module, *Trainer) {
		model, err := gpt2.LoadLMHeadModel(filepath.Join("..", "testdata", "gpt2-ref-small"), 2)
		if err != nil {
			t.Fatal(err)
		}
		task, err := NewCausalLMTask(model, docs[:5], docs[5:], 16)
		if err != nil {
			t.Fatal(err)
		}
		return model, task.Trainer(Config{Epochs: 2, BatchSize: 4, LearningRate: 1e-3, Seed: 1, Quiet: true})
	})
}

// A Trainer of your own keeps Backward, so a Loss may keep what it computed;
// with Recycle on, what it kept is gone after the step, and reading it
// panics instead of returning another step's numbers.
func TestRecycleIsOptIn(t *testing.T) {
	x, y := blobs(512, 1)
	for _, recycle := range []bool{false, true} {
		model := mlp(1)
		var kept *autograd.Tensor // the logits of the last batch, 512x2
		loss := func(batch []int) (*autograd.Tensor, error) {
			labels := make([]int, len(batch))
			for i, b := range batch {
				labels[i] = y[b]
			}
			kept = model.Forward(x.IndexSelect(0, batch))
			return autograd.CrossEntropy(kept, labels, autograd.CrossEntropyOptions{}), nil
		}
		tr := &Trainer{Model: model, TrainSize: 512, Loss: loss, Config: Config{MaxSteps: 2, BatchSize: 512, LearningRate: 1e-2, Quiet: true}}
		if tr.Recycle {
			t.Fatal("a Trainer of your own recycles by default")
		}
		tr.Recycle = recycle
		if _, err := tr.Train(); err != nil {
			t.Fatal(err)
		}
		panicked := func() (p bool) {
			defer func() { p = recover() != nil }()
			kept.Data()
			return false
		}()
		if panicked != recycle {
			t.Fatalf("Recycle %v: reading the kept logits panicked: %v", recycle, panicked)
		}
	}
}
