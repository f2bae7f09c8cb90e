package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// This file holds the few places where saving and loading differ by method.

// promptEmbeddingsKey is PEFT's key for prompt learning's saved table.
const promptEmbeddingsKey = "prompt_embeddings"

// methodSaved returns the tensors a method saves besides its layers': prompt
// learning saves its table as "prompt_embeddings" (for a projected prefix, the
// MLP's output, as PEFT's get_prompt_embedding_to_save does).
func (m *Model) methodSaved(a *adapter) []nn.NamedParameter {
	if a.prompt == nil {
		return nil
	}
	t := a.prompt.Embedding.Weight
	if a.prompt.Transform != nil {
		autograd.NoGrad(func() { t = a.prompt.Table().Detach() })
	}
	return []nn.NamedParameter{{Name: promptEmbeddingsKey, Tensor: t}}
}

// beforeSave lets a method adjust what is written: AdaLoRA drops the ranks
// its allocator pruned (PEFT's resize_state_dict_by_rank_pattern).
func (m *Model) beforeSave(a *adapter, sd *[]nn.NamedParameter) error {
	if c, ok := a.cfg.(*AdaLoraConfig); ok && len(c.RankPattern) > 0 {
		pruned, err := pruneByRankPattern(*sd, c.RankPattern)
		if err != nil {
			return err
		}
		*sd = pruned
	}
	return nil
}

// beforeLoad adjusts a config to the file before the adapter is built: a
// projected prefix is saved as its output table, so it loads as a plain
// table (as PEFT loads it in inference mode); AdaLoRA layers are built at
// the file's pruned ranks.
func (m *Model) beforeLoad(cfg Config, f *safetensors.File) error {
	switch c := cfg.(type) {
	case *PrefixTuningConfig:
		if c.PrefixProjection {
			info, ok := f.Info(promptEmbeddingsKey)
			if !ok || len(info.Shape) != 2 {
				return fmt.Errorf("no 2-d %s tensor", promptEmbeddingsKey)
			}
			c.loadTable = info.Shape[1] != c.TokenDim || c.TokenDim == 0
		}
	case *AdaLoraConfig:
		c.loadRanks = map[string]int{}
		for path, mask := range c.RankPattern {
			n := 0
			for _, keep := range mask {
				if keep {
					n++
				}
			}
			c.loadRanks[path] = n
		}
	}
	return nil
}
