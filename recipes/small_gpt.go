package recipes

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// The course's small GPTs (CourseGPTRecipe, InContextGPTRecipe) differ in
// their corpus and sizes, not in how they are made: a byte-level BPE whose
// one special token <|endoftext|> ends every document and is the model's BOS
// and EOS, no dropout, the causal-LM task on blocks, and a checkpoint folder
// that a later notebook reloads instead of training again. These are those
// shared steps; who names the recipe in errors.

// endOfTextID is the id of <|endoftext|> in tok.
func endOfTextID(who string, tok *tokenizer.GPT2) (int, error) {
	eos, ok := tok.TokenToID(tokenizer.EndOfText)
	if !ok {
		return 0, fmt.Errorf("%s: the tokenizer has no %s token", who, tokenizer.EndOfText)
	}
	return eos, nil
}

// endedDocuments tokenizes texts, ends each with <|endoftext|> (so the model
// sees where one document stops and the next starts) and holds out every
// devEvery-th document for evaluation.
func endedDocuments(who string, texts []string, tok *tokenizer.GPT2, devEvery int) (trainDocs, devDocs [][]int, err error) {
	eos, err := endOfTextID(who, tok)
	if err != nil {
		return nil, nil, err
	}
	for i, t := range texts {
		ids := append(tok.EncodeIDs(t), eos)
		if i%devEvery == devEvery-1 {
			devDocs = append(devDocs, ids)
		} else {
			trainDocs = append(trainDocs, ids)
		}
	}
	return trainDocs, devDocs, nil
}

// smallGPTConfig is a GPT-2 configuration for tok's vocabulary with the given
// context, width, depth and heads, <|endoftext|> as BOS and EOS and no
// dropout. It is validated.
func smallGPTConfig(who string, tok *tokenizer.GPT2, blockSize, embd, layers, heads int) (*gpt2.Config, error) {
	eos, err := endOfTextID(who, tok)
	if err != nil {
		return nil, err
	}
	c := gpt2.DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = tok.Len(), blockSize, embd, layers, heads
	c.ResidPdrop, c.EmbdPdrop, c.AttnPdrop = 0, 0, 0
	bos, end := eos, eos
	c.BosTokenID, c.EosTokenID = &bos, &end
	c.Architectures = []string{"GPT2LMHeadModel"}
	return c, c.Validate()
}

// trainCausalLM builds a language model of config c from seed and trains it
// on the documents cut into blocks of blockSize tokens. The model comes back
// in evaluation mode.
func trainCausalLM(c *gpt2.Config, seed uint64, trainDocs, devDocs [][]int, blockSize int, cfg train.Config) (*gpt2.LMHeadModel, *train.History, error) {
	rng := autograd.NewRNG(seed)
	m, err := gpt2.NewLMHeadModel(c, rng)
	if err != nil {
		return nil, nil, err
	}
	task, err := train.NewCausalLMTask(m, trainDocs, devDocs, blockSize)
	if err != nil {
		return nil, nil, err
	}
	tr := task.Trainer(cfg)
	tr.RNG = rng
	h, err := tr.Train()
	m.SetTraining(false)
	return m, h, err
}

// loadOrTrainGPT loads the model and tokenizer saved in dir when fits accepts
// the saved shape, and otherwise runs trainFn and saves what it made to dir
// (config, generation config, weights, tokenizer) for the next notebook. A
// folder with weights but no tokenizer is an error naming it.
func loadOrTrainGPT(who, dir string, seed uint64, fits func(*gpt2.Config) bool,
	trainFn func() (*gpt2.LMHeadModel, *tokenizer.GPT2, error)) (*gpt2.LMHeadModel, *tokenizer.GPT2, error) {
	if _, err := os.Stat(filepath.Join(dir, gpt2.WeightsFile)); err == nil {
		ck, err := gpt2.OpenCheckpoint(dir)
		if err != nil {
			return nil, nil, err
		}
		if ck.Tokenizer == nil {
			return nil, nil, fmt.Errorf("%s: %s has no %s", who, dir, tokenizer.VocabFileName)
		}
		if fits(ck.Config) {
			m, _, err := ck.LMHeadModel(autograd.NewRNG(seed), nn.LoadOptions{Strict: true})
			return m, ck.Tokenizer, err
		}
	}
	m, tok, err := trainFn()
	if err != nil {
		return nil, nil, err
	}
	c := m.Transformer.Config
	if err := gpt2.SavePretrained(dir, m, c, gpt2.NewGenerationConfig(c), tok); err != nil {
		return nil, nil, err
	}
	return m, tok, nil
}
