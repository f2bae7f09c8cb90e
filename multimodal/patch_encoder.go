package multimodal

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
)

// PatchEncoder is the tower that encodes a picture or a sound: a
// PatchEmbedding followed by BERT's own encoder blocks (bert.Encoder, not a
// copy), whose output at the [CLS] position is the pooled summary, as in ViT.
// Names: "embeddings.*", "encoder.layer.N.*" (HF's ViTModel layout, with
// BERT's post-LayerNorm blocks).
type PatchEncoder struct {
	Embeddings *PatchEmbedding
	Encoder    *bert.Encoder
	Config     *bert.Config
}

// TowerConfig is a small bert.Config for an image, audio or fusion tower:
// hidden size, layers, heads, feed-forward 4×hidden, GELU, no dropout (the
// data sets are generated fresh, the models tiny) and room for maxTokens
// positions.
func TowerConfig(hidden, layers, heads, maxTokens int) *bert.Config {
	c := bert.DefaultConfig()
	c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads = hidden, layers, heads
	c.IntermediateSize = 4 * hidden
	c.HiddenDropoutProb, c.AttentionProbsDropoutProb = 0, 0
	c.MaxPositionEmbeddings = maxTokens
	c.LayerNormEps = 1e-12
	return c
}

// NewPatchEncoder makes a tower for numPatches patches of patchDim values
// with the shape of cfg (HiddenSize, layers, heads, ...).
func NewPatchEncoder(cfg *bert.Config, numPatches, patchDim int, rng *autograd.RNG) (*PatchEncoder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("multimodal.NewPatchEncoder: %w", err)
	}
	return &PatchEncoder{
		Embeddings: NewPatchEmbedding(numPatches, patchDim, cfg.HiddenSize, float32(cfg.LayerNormEps), rng),
		Encoder:    bert.NewEncoder(cfg, rng),
		Config:     cfg,
	}, nil
}

// Forward encodes patches [batch, N, patchDim]: the hidden states
// [batch, 1+N, hidden] and the pooled output [batch, hidden] (the [CLS] row).
func (e *PatchEncoder) Forward(patches *autograd.Tensor) (hidden, pooled *autograd.Tensor, err error) {
	out, err := e.Encoder.Forward(e.Embeddings.Forward(patches), nil, false, false)
	if err != nil {
		return nil, nil, err
	}
	return out.LastHiddenState, out.LastHiddenState.Select(1, 0), nil
}

// Children lists embeddings and encoder.
func (e *PatchEncoder) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "embeddings", Module: e.Embeddings}, {Name: "encoder", Module: e.Encoder}}
}

// SetChild replaces "embeddings" or "encoder".
func (e *PatchEncoder) SetChild(name string, m nn.Module) error {
	switch name {
	case "embeddings":
		p, ok := m.(*PatchEmbedding)
		if !ok {
			return fmt.Errorf("multimodal.PatchEncoder: embeddings must be *PatchEmbedding, got %T", m)
		}
		e.Embeddings = p
	case "encoder":
		p, ok := m.(*bert.Encoder)
		if !ok {
			return fmt.Errorf("multimodal.PatchEncoder: encoder must be *bert.Encoder, got %T", m)
		}
		e.Encoder = p
	default:
		return fmt.Errorf("multimodal.PatchEncoder: no child %q (have embeddings, encoder)", name)
	}
	return nil
}

// NamedParameters lists the children's parameters.
func (e *PatchEncoder) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, e.Children())
}

// SetTraining switches the tower's dropout.
func (e *PatchEncoder) SetTraining(train bool) { nn.SetChildrenTraining(e.Children(), train) }
