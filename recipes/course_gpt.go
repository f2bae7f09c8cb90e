package recipes

import (
	"strings"

	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// CourseGPTRecipe is how the course trains its small GPT on the small-world
// corpus: a byte-level BPE vocabulary trained on the corpus, every document
// ended with <|endoftext|>, every tenth document held out, the rest cut into
// blocks (GroupTexts) for the causal-LM task. Notebook 14 walks through these
// steps one cell at a time; later notebooks call LoadOrTrainGPT, which reuses
// the checkpoint 14 saved or repeats the recipe when it is absent, so every
// notebook also runs alone.
type CourseGPTRecipe struct {
	// World generates the corpus (the small world the course's BERT learns
	// from, film reviews included).
	World data.SmallWorldOptions
	// VocabSize is the BPE vocabulary's size, <|endoftext|> and the 256 byte
	// characters included.
	VocabSize int
	// BlockSize is the number of tokens per training block, and the model's
	// n_positions (the longest context it can use).
	BlockSize int
	// Embd, Layers and Heads are the model's n_embd, n_layer and n_head.
	// Dropout is off: a model this small, trained this briefly, does not
	// overfit enough to need it.
	Embd, Layers, Heads int
	// Steps, BatchSize, LearningRate and WarmupSteps drive the Trainer
	// (cosine schedule after a linear warmup, gradient clipping at 1).
	Steps, BatchSize int
	LearningRate     float64
	WarmupSteps      int
	// Seed initialises the model and orders the batches.
	Seed uint64
}

// DefaultCourseGPTRecipe trains a 2-layer, 64-wide GPT with a 512-token
// vocabulary for 400 steps of 16 blocks of 64 tokens (about 7 passes over the
// 54k training tokens), about 15 s of CPU time on one core of a laptop. It
// reaches a held-out perplexity near 2.1, below the notebook's bigram and
// 4-token MLP baselines.
var DefaultCourseGPTRecipe = CourseGPTRecipe{
	World:        DefaultCourseRecipe.World,
	VocabSize:    512,
	BlockSize:    64,
	Embd:         64,
	Layers:       2,
	Heads:        4,
	Steps:        400,
	BatchSize:    16,
	LearningRate: 1e-2,
	WarmupSteps:  30,
	Seed:         1,
}

// CourseGPTDir is where notebook 14 saves the trained GPT (relative to the
// notebooks folder; git ignores it).
const CourseGPTDir = ".cache/course-gpt"

// Texts returns the world's documents as texts, each document's sentences
// joined by a space.
func (r CourseGPTRecipe) Texts(world *data.World) []string {
	texts := make([]string, len(world.Documents))
	for i, d := range world.Documents {
		texts[i] = strings.Join(d, " ")
	}
	return texts
}

// Tokenizer trains the recipe's byte-level BPE vocabulary on texts, with
// <|endoftext|> as its one special token (id 0, GPT-2's BOS, EOS and UNK).
func (r CourseGPTRecipe) Tokenizer(texts []string) (*tokenizer.GPT2, error) {
	return tokenizer.TrainBPE(texts, tokenizer.BPETrainerConfig{VocabSize: r.VocabSize, SpecialTokens: []string{tokenizer.EndOfText}})
}

// Documents tokenizes texts, ends each document with the end-of-text token
// (so the model sees where one stops and the next starts) and holds out
// every tenth document for evaluation.
func (r CourseGPTRecipe) Documents(texts []string, tok *tokenizer.GPT2) (trainDocs, devDocs [][]int, err error) {
	return endedDocuments("recipes.CourseGPTRecipe", texts, tok, 10)
}

// Corpus generates the world, trains the tokenizer on it and returns the
// training and held-out documents as token ids.
func (r CourseGPTRecipe) Corpus() (tok *tokenizer.GPT2, trainDocs, devDocs [][]int, err error) {
	texts := r.Texts(data.SmallWorld(r.World))
	if tok, err = r.Tokenizer(texts); err != nil {
		return nil, nil, nil, err
	}
	trainDocs, devDocs, err = r.Documents(texts, tok)
	return tok, trainDocs, devDocs, err
}

// GPTConfig is the model configuration of the recipe for a tokenizer:
// its vocabulary, its end-of-text token as BOS and EOS, no dropout.
func (r CourseGPTRecipe) GPTConfig(tok *tokenizer.GPT2) (*gpt2.Config, error) {
	return smallGPTConfig("recipes.CourseGPTRecipe", tok, r.BlockSize, r.Embd, r.Layers, r.Heads)
}

// TrainerConfig is the recipe's training configuration: Steps optimizer
// steps, a linear warmup then cosine decay, clipping at 1, an evaluation on
// the held-out blocks every quarter of the run.
func (r CourseGPTRecipe) TrainerConfig(quiet bool) train.Config {
	return train.Config{MaxSteps: r.Steps, BatchSize: r.BatchSize, LearningRate: r.LearningRate, WarmupSteps: r.WarmupSteps,
		Schedule: "cosine", MaxGradNorm: 1, EvalEvery: max(r.Steps/4, 1), Seed: r.Seed, Quiet: quiet}
}

// Train runs the whole recipe and returns the model (in evaluation mode),
// its tokenizer and the training history.
func (r CourseGPTRecipe) Train(quiet bool) (*gpt2.LMHeadModel, *tokenizer.GPT2, *train.History, error) {
	tok, trainDocs, devDocs, err := r.Corpus()
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := r.GPTConfig(tok)
	if err != nil {
		return nil, nil, nil, err
	}
	model, h, err := trainCausalLM(c, r.Seed, trainDocs, devDocs, r.BlockSize, r.TrainerConfig(quiet))
	return model, tok, h, err
}

// fits reports whether a saved model has the recipe's shape (its vocabulary
// may be smaller than VocabSize: BPE stops early on a small corpus).
func (r CourseGPTRecipe) fits(c *gpt2.Config) bool {
	return c.VocabSize <= r.VocabSize && c.NPositions == r.BlockSize && c.NEmbd == r.Embd && c.NLayer == r.Layers && c.NHead == r.Heads
}

// LoadOrTrainGPT loads the course's GPT and its tokenizer from dir when an
// earlier notebook saved them there (an HF checkpoint directory:
// config.json, generation_config.json, model.safetensors and the tokenizer's
// files), and otherwise runs the recipe and saves the result to dir for the
// next notebook. A saved model of another shape than the recipe's (a changed
// recipe) is trained again and replaced. The model comes back in evaluation
// mode either way.
func LoadOrTrainGPT(dir string, r CourseGPTRecipe) (*gpt2.LMHeadModel, *tokenizer.GPT2, error) {
	return loadOrTrainGPT("recipes.LoadOrTrainGPT", dir, r.Seed, r.fits, func() (*gpt2.LMHeadModel, *tokenizer.GPT2, error) {
		m, tok, _, err := r.Train(false)
		return m, tok, err
	})
}
