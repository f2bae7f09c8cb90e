package train

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/tokenizer"
)

// streamBuffer is how many documents the tests' streams hold: far fewer
// than the corpus file has.
const streamBuffer = 4

// streamCorpus writes the small world's documents as a corpus file (one
// sentence per line, a blank line between documents) and returns its path,
// the tokenizer and the model config.
func streamCorpus(t *testing.T) (string, *tokenizer.BertTokenizer, *bert.Config) {
	t.Helper()
	world, tok, cfg := tinySetup(t)
	if len(world.Documents) < 5*streamBuffer {
		t.Fatalf("%d documents: too few to outgrow a buffer of %d", len(world.Documents), streamBuffer)
	}
	var b strings.Builder
	for _, d := range world.Documents {
		b.WriteString(strings.Join(d, "\n") + "\n\n")
	}
	path := filepath.Join(t.TempDir(), "corpus.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, tok, cfg
}

func streamOptions() data.PretrainingOptions {
	opts := data.DefaultPretraining
	opts.MaxSeqLength = 32
	return opts
}

// streamingTask opens the corpus and builds the same model and dropout
// generator every time, as a notebook does after a kernel restart.
func streamingTask(t *testing.T, path string, tok *tokenizer.BertTokenizer, cfg *bert.Config) (*StreamingPretrainingTask, *autograd.RNG) {
	t.Helper()
	stream, err := data.OpenPretrainingStream(path, tok.Tokenize, tok.Vocab.Tokens(), streamOptions(), streamBuffer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stream.Close() })
	dropout := autograd.NewRNG(5)
	model, err := bert.NewForPreTraining(cfg, dropout)
	if err != nil {
		t.Fatal(err)
	}
	model.MaskedOnly = true
	return &StreamingPretrainingTask{Model: model, Vocab: tok.Vocab, Stream: stream}, dropout
}

// passLength counts the instances of a pass over the corpus.
func passLength(t *testing.T, path string, tok *tokenizer.BertTokenizer, epoch int) int {
	t.Helper()
	s, err := data.OpenPretrainingStream(path, tok.Tokenize, tok.Vocab.Tokens(), streamOptions(), streamBuffer)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.StartEpoch(epoch); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := s.Next(); err == io.EOF {
			return s.Served()
		} else if err != nil {
			t.Fatal(err)
		}
	}
}

func TestStreamingPretrainingResumesBitExact(t *testing.T) {
	defer display.BeginRun()
	path, tok, cfg := streamCorpus(t)
	dev, err := data.PretrainingFromFile(path, tok.Tokenize, tok.Vocab.Tokens(), streamOptions(), 0)
	if err != nil {
		t.Fatal(err)
	}
	const batch, accumulation = 4, 2
	perStep := batch * accumulation
	pass0 := passLength(t, path, tok, 0)
	stepsOfPass0 := (pass0 + perStep - 1) / perStep
	// Two steps into the second pass, then three more.
	stopAt, total := stepsOfPass0+2, stepsOfPass0+5
	config := func(dir string) Config {
		return Config{MaxSteps: total, BatchSize: batch, GradAccumulation: accumulation, LearningRate: 2e-3, WarmupSteps: 2,
			MaxGradNorm: 1, EvalEvery: 3, OutputDir: dir, Seed: 1, Quiet: true}
	}

	straightTask, straightDropout := streamingTask(t, path, tok, cfg)
	straightTask.Dev = dev.Train[:8]
	straight := straightTask.Trainer(config(t.TempDir()))
	straight.RNG = straightDropout
	want, err := straight.Train()
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Steps) != total || want.Steps[stepsOfPass0-1].Epoch != 0 || want.Steps[stepsOfPass0].Epoch != 1 {
		t.Fatalf("%d steps, want %d, the second pass from step %d: %s", len(want.Steps), total, stepsOfPass0+1, want.Summary())
	}
	if len(want.Evals) == 0 {
		t.Fatal("the stream's run did not evaluate on Dev")
	}

	dir := t.TempDir()
	firstTask, firstDropout := streamingTask(t, path, tok, cfg)
	firstTask.Dev = dev.Train[:8]
	first := firstTask.Trainer(config(dir))
	first.RNG = firstDropout
	first.Hooks = []StepHook{func(info StepInfo) error {
		if info.Step == stopAt {
			display.Interrupt()
		}
		return nil
	}}
	display.BeginRun()
	if h, _ := first.Train(); !h.Interrupted || len(h.Steps) != stopAt {
		t.Fatalf("first part: %d steps, interrupted %v", len(h.Steps), h.Interrupted)
	}
	display.BeginRun()
	secondTask, secondDropout := streamingTask(t, path, tok, cfg)
	secondTask.Dev = dev.Train[:8]
	second := secondTask.Trainer(config(dir))
	second.RNG = secondDropout
	if second.ResumeFromCheckpoint, err = LastCheckpoint(dir); err != nil {
		t.Fatal(err)
	}
	got, err := second.Train()
	if err != nil {
		t.Fatal(err)
	}
	if got.ResumedAtStep != stopAt || len(got.Steps) != total {
		t.Fatalf("resumed at step %d with %d steps, want %d and %d", got.ResumedAtStep, len(got.Steps), stopAt, total)
	}
	for i := range want.Steps {
		if got.Steps[i].Loss != want.Steps[i].Loss {
			t.Fatalf("step %d: loss %v resumed, %v uninterrupted", i+1, got.Steps[i].Loss, want.Steps[i].Loss)
		}
	}
	if !slices.Equal(weightBits(straightTask.Model), weightBits(secondTask.Model)) {
		t.Fatal("the resumed weights differ from the uninterrupted run's")
	}
}

func TestStreamingPretrainingErrors(t *testing.T) {
	path, tok, cfg := streamCorpus(t)
	missing := filepath.Join(t.TempDir(), "no-such-corpus.txt")
	if _, err := data.OpenPretrainingStream(missing, tok.Tokenize, tok.Vocab.Tokens(), streamOptions(), streamBuffer); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing file: err = %v, want it named", err)
	}

	// A byte that is not UTF-8 far beyond the first buffer: the error comes
	// from the middle of training and names the file and the line.
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(content), "\n")
	bad := len(lines) - 3
	lines[bad] = "Caf\xe9 " + lines[bad]
	broken := filepath.Join(t.TempDir(), "broken.txt")
	if err := os.WriteFile(broken, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	task, _ := streamingTask(t, broken, tok, cfg)
	_, err = task.Trainer(Config{MaxSteps: 1000, BatchSize: 8, Quiet: true}).Train()
	if at := fmt.Sprintf("%s:%d:", broken, bad+1); err == nil || !strings.Contains(err.Error(), at) {
		t.Fatalf("malformed corpus: err = %v, want it to name %s", err, at)
	}

	// A stream has no length: the run needs MaxSteps.
	task, _ = streamingTask(t, path, tok, cfg)
	if _, err := task.Trainer(Config{Epochs: 2, Quiet: true}).Train(); err == nil || !strings.Contains(err.Error(), "MaxSteps") {
		t.Fatalf("no MaxSteps: err = %v", err)
	}
	// Without Dev instances it trains without evaluation, and says so.
	h, err := task.Trainer(Config{MaxSteps: 2, BatchSize: 4, Quiet: true}).Train()
	if err != nil || len(h.Evals) != 0 || len(h.Notes) == 0 {
		t.Fatalf("no Dev: err %v, %d evaluations, notes %v", err, len(h.Evals), h.Notes)
	}
}

func TestStreamingMLMOnlyHasNoNSPLabels(t *testing.T) {
	path, tok, cfg := streamCorpus(t)
	opts := streamOptions()
	opts.MLMOnly = true
	stream, err := data.OpenPretrainingStream(path, tok.Tokenize, tok.Vocab.Tokens(), opts, streamBuffer)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	model, err := bert.NewForPreTraining(cfg, autograd.NewRNG(5))
	if err != nil {
		t.Fatal(err)
	}
	task := &StreamingPretrainingTask{Model: model, Vocab: tok.Vocab, Stream: stream}
	n, err := task.Next(4)
	if err != nil || n != 4 {
		t.Fatalf("Next(4) = %d, %v", n, err)
	}
	for _, inst := range task.drawn {
		if strings.Count(strings.Join(inst.Tokens, " "), "[SEP]") != 1 {
			t.Fatalf("MLM-only stream made a pair: %v", inst.Tokens)
		}
	}
	_, labels, err := task.inMemory().Batch(task.drawn, []int{0, 1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if labels.NSP != nil {
		t.Fatalf("MLM-only stream's batch has NSP labels %v", labels.NSP)
	}
	loss, err := task.Loss([]int{0, 1, 2, 3})
	if err != nil || loss.Item() <= 0 {
		t.Fatalf("loss %v, %v", loss, err)
	}
}
