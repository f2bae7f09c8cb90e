package nn

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// Embedding is a lookup table of NumEmbeddings vectors of size EmbeddingDim: the
// input is a list of integer ids, the output their rows. Its parameter is named
// "weight". The row PaddingIdx (−1 for none) is initialised to zero and never
// receives gradient, as with torch's padding_idx.
type Embedding struct {
	Weight *autograd.Tensor // [NumEmbeddings, EmbeddingDim]

	NumEmbeddings, EmbeddingDim int
	PaddingIdx                  int
}

// NewEmbedding makes an Embedding initialised like torch: N(0, 1) entries, and
// the padding row (if paddingIdx >= 0) set to zero.
func NewEmbedding(num, dim, paddingIdx int, rng *autograd.RNG) *Embedding {
	if num <= 0 || dim <= 0 {
		panic(fmt.Sprintf("nn.NewEmbedding: num_embeddings %d and embedding_dim %d must be positive", num, dim))
	}
	if paddingIdx < -1 || paddingIdx >= num {
		panic(fmt.Sprintf("nn.NewEmbedding: padding_idx %d out of range for %d embeddings (use -1 for none)", paddingIdx, num))
	}
	if rng == nil {
		panic("nn.NewEmbedding: initialisation needs an RNG (autograd.NewRNG(seed))")
	}
	w := autograd.RandN(rng, num, dim)
	if paddingIdx >= 0 {
		row := w.Data()[paddingIdx*dim : (paddingIdx+1)*dim]
		for i := range row {
			row[i] = 0
		}
	}
	return &Embedding{Weight: w.SetRequiresGrad(true), NumEmbeddings: num, EmbeddingDim: dim, PaddingIdx: paddingIdx}
}

// Forward looks up ids, arranged in the given shape (nil or empty: a flat list);
// the result has shape shape + [EmbeddingDim].
func (e *Embedding) Forward(ids []int, shape ...int) *autograd.Tensor {
	if len(shape) == 0 {
		shape = nil
	}
	return autograd.Embedding(e.Weight, ids, shape, e.PaddingIdx)
}

// NamedParameters returns the weight.
func (e *Embedding) NamedParameters(prefix string) []NamedParameter {
	return []NamedParameter{{Join(prefix, "weight"), e.Weight}}
}

// SetTraining does nothing: a lookup behaves the same in both modes.
func (e *Embedding) SetTraining(bool) {}

// ExtraRepr is torch's: "544, 32, padding_idx=0".
func (e *Embedding) ExtraRepr() string {
	s := fmt.Sprintf("%d, %d", e.NumEmbeddings, e.EmbeddingDim)
	if e.PaddingIdx >= 0 {
		s += fmt.Sprintf(", padding_idx=%d", e.PaddingIdx)
	}
	return s
}

// String prints the layer as torch does.
func (e *Embedding) String() string { return Repr(e) }
