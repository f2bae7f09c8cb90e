package recipes

import (
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// InContextGPTRecipe trains the small GPT of notebook 15's in-context
// learning experiments: the small world's documents plus fact lists
// (data.World.FactLists), documents that list one unnamed relation's facts
// ("Gechath Ruzan: Luxor. Ilsa Varn: Lima.") and sometimes repeat a line.
// The lists make in-context learning worth learning: the relation of a
// "subject:" line is only known from the lines before it, and a repeated
// line can be copied.
type InContextGPTRecipe struct {
	World     data.SmallWorldOptions
	Lists     int     // fact-list documents
	PerList   int     // facts per list
	Repeat    float64 // probability that a list repeats one of its lines
	VocabSize int     // byte-level BPE vocabulary
	BlockSize int     // tokens per training block and the model's n_positions
	// Embd, Layers and Heads are n_embd, n_layer and n_head; no dropout.
	Embd, Layers, Heads int
	Steps, BatchSize    int
	LearningRate        float64
	Seed                uint64
}

// DefaultInContextGPTRecipe is sized by measurement for about a minute of
// training on two loaded cores.
var DefaultInContextGPTRecipe = InContextGPTRecipe{
	World: DefaultCourseRecipe.World, Lists: 3000, PerList: 8, Repeat: 0.5,
	VocabSize: 512, BlockSize: 120, Embd: 64, Layers: 2, Heads: 4,
	Steps: 600, BatchSize: 8, LearningRate: 1e-2, Seed: 1,
}

// InContextGPTDir is where notebook 15 keeps the model (relative to the
// notebooks folder; git ignores it).
const InContextGPTDir = ".cache/in-context-gpt"

// Texts returns the training texts: every world document (its sentences
// joined by spaces) and the fact lists, shuffled together.
func (r InContextGPTRecipe) Texts(world *data.World) ([]string, error) {
	lists, err := world.FactLists(r.Lists, r.PerList, r.Repeat, r.Seed)
	if err != nil {
		return nil, err
	}
	texts := make([]string, 0, len(world.Documents)+len(lists))
	for _, d := range world.Documents {
		texts = append(texts, strings.Join(d, " "))
	}
	texts = append(texts, lists...)
	rng := autograd.NewRNG(r.Seed)
	for i := len(texts) - 1; i > 0; i-- {
		j := rng.Intn(i + 1)
		texts[i], texts[j] = texts[j], texts[i]
	}
	return texts, nil
}

// Train generates the corpus, trains the BPE vocabulary and the model (every
// document ended with <|endoftext|>, cut into blocks) and returns the model
// in evaluation mode with its tokenizer and history.
func (r InContextGPTRecipe) Train(quiet bool) (*gpt2.LMHeadModel, *tokenizer.GPT2, *train.History, error) {
	texts, err := r.Texts(data.SmallWorld(r.World))
	if err != nil {
		return nil, nil, nil, err
	}
	tok, err := tokenizer.TrainBPE(texts, tokenizer.BPETrainerConfig{VocabSize: r.VocabSize, SpecialTokens: []string{tokenizer.EndOfText}})
	if err != nil {
		return nil, nil, nil, err
	}
	trainDocs, devDocs, err := endedDocuments("recipes.InContextGPTRecipe", texts, tok, 20)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := smallGPTConfig("recipes.InContextGPTRecipe", tok, r.BlockSize, r.Embd, r.Layers, r.Heads)
	if err != nil {
		return nil, nil, nil, err
	}
	m, h, err := trainCausalLM(c, r.Seed, trainDocs, devDocs, r.BlockSize, train.Config{MaxSteps: r.Steps, BatchSize: r.BatchSize,
		LearningRate: r.LearningRate, WarmupSteps: r.Steps / 20, Schedule: "cosine", MaxGradNorm: 1, EvalEvery: max(r.Steps/2, 1),
		Seed: r.Seed, Quiet: quiet})
	return m, tok, h, err
}

// LoadOrTrainInContextGPT loads the recipe's model and tokenizer from dir
// when they were saved there, and otherwise trains them and saves them to
// dir. A saved model of another shape is trained again and replaced.
func LoadOrTrainInContextGPT(dir string, r InContextGPTRecipe) (*gpt2.LMHeadModel, *tokenizer.GPT2, error) {
	return loadOrTrainGPT("recipes.LoadOrTrainInContextGPT", dir, r.Seed, r.fits, func() (*gpt2.LMHeadModel, *tokenizer.GPT2, error) {
		m, tok, _, err := r.Train(false)
		return m, tok, err
	})
}

// fits reports whether a saved model has the recipe's shape (its vocabulary
// may be smaller than VocabSize: BPE stops early on a small corpus).
func (r InContextGPTRecipe) fits(c *gpt2.Config) bool {
	return c.VocabSize <= r.VocabSize && c.NPositions == r.BlockSize && c.NEmbd == r.Embd && c.NLayer == r.Layers && c.NHead == r.Heads
}
