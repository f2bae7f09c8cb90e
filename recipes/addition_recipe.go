package recipes

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/train"
)

// AdditionRecipe trains a tiny GPT-2 from scratch on multi-digit addition in
// one answer format (data.AdditionDirect or data.AdditionScratchpad): the
// scratchpad experiment of notebook 15. The tokens are the characters of
// data.AdditionAlphabet; the loss is on the answer only (the prompt's random
// digits are not predictable).
type AdditionRecipe struct {
	Format       data.AdditionFormat
	TrainDigits  int // training operands have 1..TrainDigits digits, equally often
	Examples     int // training problems
	Embd         int // n_embd
	Inner        int // n_inner, the MLP's width
	Layers       int // n_layer
	Heads        int // n_head
	Steps        int // optimizer steps
	BatchSize    int
	LearningRate float64
	Seed         uint64
}

// DefaultAdditionRecipe is sized by measurement to train in about a minute
// per format on two loaded cores.
var DefaultAdditionRecipe = AdditionRecipe{Format: data.AdditionScratchpad, TrainDigits: 3, Examples: 20000,
	Embd: 64, Inner: 128, Layers: 2, Heads: 4, Steps: 1500, BatchSize: 32, LearningRate: 5e-3, Seed: 1}

// MaxTestDigits is the longest operand the recipe's model has positions for:
// three digits beyond the training lengths, to measure length generalisation.
func (r AdditionRecipe) MaxTestDigits() int { return r.TrainDigits + 3 }

// additionTextLen is the number of tokens of a problem's text with operands
// of n digits in format f (the longest case: a sum with n+1 digits).
func additionTextLen(n int, f data.AdditionFormat) int {
	p := data.AdditionProblem{Digits: n, A: 1, B: 1}
	for i := 1; i < n; i++ {
		p.A *= 10
	}
	p.A, p.B = p.A*10-1, p.A*10-1 // the largest n-digit numbers
	return len(p.Text(f))
}

// GPTConfig is the model configuration: a character vocabulary, positions
// for MaxTestDigits, no dropout, "." as the end of text.
func (r AdditionRecipe) GPTConfig() *gpt2.Config {
	c := gpt2.DefaultConfig()
	end := len(data.AdditionAlphabet) - 1
	c.VocabSize, c.NEmbd, c.NLayer, c.NHead = len(data.AdditionAlphabet), r.Embd, r.Layers, r.Heads
	inner := r.Inner
	c.NInner = &inner
	c.NPositions = additionTextLen(r.MaxTestDigits(), r.Format)
	c.ResidPdrop, c.EmbdPdrop, c.AttnPdrop = 0, 0, 0
	c.BosTokenID, c.EosTokenID = &end, &end
	c.Architectures = []string{"GPT2LMHeadModel"}
	return c
}

// TrainingSet draws the recipe's training problems: Examples in all, the
// digit counts 1..TrainDigits taking turns, so each length is equally common.
func (r AdditionRecipe) TrainingSet() ([]data.AdditionProblem, error) {
	if r.TrainDigits < 1 || r.Examples < r.TrainDigits {
		return nil, fmt.Errorf("recipes.AdditionRecipe: need TrainDigits ≥ 1 and at least one example per length (TrainDigits %d, Examples %d)", r.TrainDigits, r.Examples)
	}
	var all []data.AdditionProblem
	for d := 1; d <= r.TrainDigits; d++ {
		n := r.Examples / r.TrainDigits
		if d <= r.Examples%r.TrainDigits {
			n++
		}
		ps, err := data.AdditionProblems(n, d, r.Seed*1000+uint64(d))
		if err != nil {
			return nil, err
		}
		all = append(all, ps...)
	}
	return all, nil
}

// AdditionTask is the causal-LM task of the recipe: each example is one
// problem's text, the labels cover only its answer.
type AdditionTask struct {
	Model    *gpt2.LMHeadModel
	Format   data.AdditionFormat
	Problems []data.AdditionProblem
	ids      [][]int
	prompts  []int // prompt length of each example
}

// NewAdditionTask tokenizes the problems in format f.
func NewAdditionTask(m *gpt2.LMHeadModel, f data.AdditionFormat, problems []data.AdditionProblem) (*AdditionTask, error) {
	t := &AdditionTask{Model: m, Format: f, Problems: problems}
	for _, p := range problems {
		ids, err := data.AdditionTokenize(p.Text(f))
		if err != nil {
			return nil, err
		}
		if len(ids) > m.Transformer.Config.NPositions {
			return nil, fmt.Errorf("recipes.AdditionTask: %q has %d tokens, the model has %d positions", p.Text(f), len(ids), m.Transformer.Config.NPositions)
		}
		t.ids = append(t.ids, ids)
		t.prompts = append(t.prompts, len(p.Prompt()))
	}
	return t, nil
}

// Loss is the mean cross-entropy over the answer tokens of a batch, the rows
// padded on the right with "." (ignored in the loss).
func (t *AdditionTask) Loss(batch []int) (*autograd.Tensor, error) {
	width := 0
	for _, i := range batch {
		width = max(width, len(t.ids[i]))
	}
	end := len(data.AdditionAlphabet) - 1
	ids := make([]int, 0, len(batch)*width)
	labels := make([]int, 0, len(batch)*width)
	for _, i := range batch {
		row := t.ids[i]
		for j := 0; j < width; j++ {
			switch {
			case j >= len(row):
				ids, labels = append(ids, end), append(labels, gpt2.IgnoreLabel)
			case j < t.prompts[i]:
				ids, labels = append(ids, row[j]), append(labels, gpt2.IgnoreLabel)
			default:
				ids, labels = append(ids, row[j]), append(labels, row[j])
			}
		}
	}
	out, err := t.Model.Forward(&gpt2.Inputs{InputIDs: ids, Batch: len(batch), SeqLen: width}, labels)
	if err != nil {
		return nil, err
	}
	return out.Loss, nil
}

// Trainer returns a Trainer for the task; batches group problems of one length.
// Its Loss keeps nothing of a step's graph, so the Trainer recycles the
// step's activations (Recycle).
func (t *AdditionTask) Trainer(cfg train.Config) *train.Trainer {
	lengths := make([]int, len(t.ids))
	for i, ids := range t.ids {
		lengths[i] = len(ids)
	}
	return &train.Trainer{Model: t.Model, TrainSize: len(t.ids), Loss: t.Loss, Lengths: lengths, Config: cfg, Recycle: true}
}

// Train builds the model and trains it with AdamW, a cosine schedule and
// gradient clipping; the model comes back in evaluation mode.
func (r AdditionRecipe) Train(quiet bool) (*gpt2.LMHeadModel, *train.History, error) {
	problems, err := r.TrainingSet()
	if err != nil {
		return nil, nil, err
	}
	m, err := gpt2.NewLMHeadModel(r.GPTConfig(), autograd.NewRNG(r.Seed))
	if err != nil {
		return nil, nil, err
	}
	task, err := NewAdditionTask(m, r.Format, problems)
	if err != nil {
		return nil, nil, err
	}
	h, err := task.Trainer(train.Config{MaxSteps: r.Steps, BatchSize: r.BatchSize, LearningRate: r.LearningRate,
		WarmupRatio: 0.05, Schedule: "cosine", WeightDecay: 0.01, MaxGradNorm: 1, Seed: r.Seed, Quiet: quiet}).Train()
	m.SetTraining(false)
	return m, h, err
}

// LoadOrTrainAddition loads the recipe's model from dir when it was saved
// there before, and otherwise trains it and saves it to dir.
func LoadOrTrainAddition(dir string, r AdditionRecipe) (*gpt2.LMHeadModel, error) {
	if _, err := os.Stat(filepath.Join(dir, "config.json")); err == nil {
		ck, err := gpt2.OpenCheckpoint(dir)
		if err != nil {
			return nil, err
		}
		m, _, err := ck.LMHeadModel(autograd.NewRNG(r.Seed), nn.LoadOptions{Strict: true})
		if err != nil {
			return nil, err
		}
		if want := r.GPTConfig(); m.Transformer.Config.NEmbd != want.NEmbd || m.Transformer.Config.NLayer != want.NLayer || m.Transformer.Config.NPositions != want.NPositions {
			return nil, fmt.Errorf("recipes.LoadOrTrainAddition: %s holds a model of another recipe (n_embd %d, n_layer %d, n_positions %d; want %d, %d, %d): delete it to retrain",
				dir, m.Transformer.Config.NEmbd, m.Transformer.Config.NLayer, m.Transformer.Config.NPositions, want.NEmbd, want.NLayer, want.NPositions)
		}
		return m, nil
	}
	m, _, err := r.Train(false)
	if err != nil {
		return nil, err
	}
	c := m.Transformer.Config
	if err := gpt2.SavePretrained(dir, m, c, gpt2.NewGenerationConfig(c), nil); err != nil {
		return nil, err
	}
	return m, nil
}

// AdditionResult is the outcome of one test problem.
type AdditionResult struct {
	Problem   data.AdditionProblem
	Generated string // what the model wrote after the prompt
	Correct   bool   // the final sum parses and equals a+b
}

// SolveAddition lets the model answer each problem greedily (batched, with
// the KV cache; the problems must have one digit count) and grades the sums.
func SolveAddition(m *gpt2.LMHeadModel, f data.AdditionFormat, problems []data.AdditionProblem) ([]AdditionResult, error) {
	if len(problems) == 0 {
		return nil, nil
	}
	digits := problems[0].Digits
	prompts := make([][]int, len(problems))
	for i, p := range problems {
		if p.Digits != digits {
			return nil, fmt.Errorf("recipes.SolveAddition: problem %d has %d digits, problem 0 has %d (solve one length at a time)", i, p.Digits, digits)
		}
		ids, err := data.AdditionTokenize(p.Prompt())
		if err != nil {
			return nil, err
		}
		prompts[i] = ids
	}
	end := len(data.AdditionAlphabet) - 1
	cfg := gpt2.DefaultGenerationConfig()
	cfg.EOSTokenID, cfg.PadTokenID = []int{end}, &end
	cfg.MaxNewTokens = additionTextLen(digits, f) - len(prompts[0]) + 1
	if room := m.Transformer.Config.NPositions - len(prompts[0]); cfg.MaxNewTokens > room {
		cfg.MaxNewTokens = room
	}
	out, err := m.Generate(prompts, cfg, nil)
	if err != nil {
		return nil, err
	}
	results := make([]AdditionResult, len(problems))
	for i, p := range problems {
		text := data.AdditionDetokenize(out.NewTokens(i))
		if j := strings.IndexByte(text, data.AdditionEnd); j >= 0 {
			text = text[:j+1]
		}
		sum, ok := data.ParseAdditionAnswer(text)
		results[i] = AdditionResult{Problem: p, Generated: text, Correct: ok && sum == p.Sum()}
	}
	return results, nil
}

// AdditionAccuracy is the fraction of n fresh problems (seed) with operands
// of the given digits that the model sums correctly.
func AdditionAccuracy(m *gpt2.LMHeadModel, f data.AdditionFormat, digits, n int, seed uint64) (float64, error) {
	problems, err := data.AdditionProblems(n, digits, seed)
	if err != nil {
		return 0, err
	}
	results, err := SolveAddition(m, f, problems)
	if err != nil {
		return 0, err
	}
	correct := 0
	for _, r := range results {
		if r.Correct {
			correct++
		}
	}
	return float64(correct) / float64(n), nil
}
