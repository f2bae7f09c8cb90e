package multimodal

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// PatchEmbedding is ViT's input layer: each patch (a flattened block of
// pixels, or a few spectrogram frames) goes through one Linear to the
// hidden size; a learned [CLS] vector is put in front; learned position
// embeddings are added; then LayerNorm, as BERT's embeddings end:
//
//	h = LayerNorm([cls ; patches·Wᵀ + b] + position)     [batch, 1+N, hidden]
//
// Names: "cls_token", "position_embeddings", "projection.*", "LayerNorm.*".
type PatchEmbedding struct {
	CLS       *autograd.Tensor // [hidden]
	Position  *autograd.Tensor // [1+NumPatches, hidden]
	Proj      *nn.Linear       // [hidden, PatchDim]
	LayerNorm *nn.LayerNorm

	NumPatches, PatchDim, Hidden int
}

// NewPatchEmbedding makes the layer for numPatches patches of patchDim
// values, initialised like BERT's embeddings (normal, std 0.02).
func NewPatchEmbedding(numPatches, patchDim, hidden int, eps float32, rng *autograd.RNG) *PatchEmbedding {
	if numPatches < 1 || patchDim < 1 || hidden < 1 {
		panic(fmt.Sprintf("multimodal.NewPatchEmbedding: sizes must be positive (patches %d, patch dim %d, hidden %d)", numPatches, patchDim, hidden))
	}
	proj := nn.NewLinear(patchDim, hidden, true, rng)
	return &PatchEmbedding{
		CLS:        autograd.Normal(rng, 0, 0.02, hidden).SetRequiresGrad(true),
		Position:   autograd.Normal(rng, 0, 0.02, numPatches+1, hidden).SetRequiresGrad(true),
		Proj:       proj,
		LayerNorm:  nn.NewLayerNorm(hidden, eps),
		NumPatches: numPatches, PatchDim: patchDim, Hidden: hidden,
	}
}

// Forward embeds patches [batch, NumPatches, PatchDim] into
// [batch, 1+NumPatches, hidden].
func (p *PatchEmbedding) Forward(patches *autograd.Tensor) *autograd.Tensor {
	s := patches.Shape()
	if len(s) != 3 || s[1] != p.NumPatches || s[2] != p.PatchDim {
		panic(fmt.Sprintf("multimodal.PatchEmbedding: patches have shape %v, expected [batch, %d, %d]", s, p.NumPatches, p.PatchDim))
	}
	b := s[0]
	x := p.Proj.Forward(patches)
	cls := p.CLS.Reshape(1, 1, p.Hidden).Expand(b, 1, p.Hidden)
	h := autograd.Cat([]*autograd.Tensor{cls, x}, 1).Add(p.Position)
	return p.LayerNorm.Forward(h)
}

// Children lists the sub-layers (the two raw tensors are own parameters).
func (p *PatchEmbedding) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "projection", Module: p.Proj}, {Name: "LayerNorm", Module: p.LayerNorm}}
}

// SetChild replaces "projection" (e.g. by a LoRA layer) or "LayerNorm".
func (p *PatchEmbedding) SetChild(name string, m nn.Module) error {
	switch name {
	case "projection":
		l, ok := m.(*nn.Linear)
		if !ok {
			return fmt.Errorf("multimodal.PatchEmbedding: projection must be *nn.Linear, got %T", m)
		}
		p.Proj = l
	case "LayerNorm":
		l, ok := m.(*nn.LayerNorm)
		if !ok {
			return fmt.Errorf("multimodal.PatchEmbedding: LayerNorm must be *nn.LayerNorm, got %T", m)
		}
		p.LayerNorm = l
	default:
		return fmt.Errorf("multimodal.PatchEmbedding: no child %q (have projection, LayerNorm)", name)
	}
	return nil
}

// NamedParameters lists cls_token, position_embeddings, then the children's.
func (p *PatchEmbedding) NamedParameters(prefix string) []nn.NamedParameter {
	own := []nn.NamedParameter{
		{Name: nn.Join(prefix, "cls_token"), Tensor: p.CLS},
		{Name: nn.Join(prefix, "position_embeddings"), Tensor: p.Position},
	}
	return append(own, nn.ChildParameters(prefix, p.Children())...)
}

// SetTraining has no effect of its own (no dropout here).
func (p *PatchEmbedding) SetTraining(train bool) { nn.SetChildrenTraining(p.Children(), train) }
