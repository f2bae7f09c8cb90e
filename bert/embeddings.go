package bert

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Embeddings turns token ids into the first hidden state, as HF's
// BertEmbeddings does:
//
//	h = LayerNorm(word[input_ids] + token_type[token_type_ids] + position[0..T-1])
//	h = Dropout(h)
//
// The word table's row PadTokenID is the padding row: it starts at zero and the
// lookup never sends it a gradient (it can still receive one from a tied
// decoder). Positions are absolute and learned, 0..T-1 for every sequence.
type Embeddings struct {
	WordEmbeddings      *nn.Embedding // word_embeddings.weight [vocab_size, hidden]
	PositionEmbeddings  *nn.Embedding // position_embeddings.weight [max_position_embeddings, hidden]
	TokenTypeEmbeddings *nn.Embedding // token_type_embeddings.weight [type_vocab_size, hidden]
	LayerNorm           *nn.LayerNorm // LayerNorm.weight/bias, eps = layer_norm_eps
	Dropout             *nn.Dropout   // hidden_dropout_prob
}

// NewEmbeddings builds the embedding block with HF's initialisation: every
// table N(0, initializer_range), the padding row zero, LayerNorm 1/0.
func NewEmbeddings(c *Config, rng *autograd.RNG) *Embeddings {
	return &Embeddings{
		WordEmbeddings:      newEmbedding(c.VocabSize, c.HiddenSize, c.PadTokenID, c, rng),
		PositionEmbeddings:  newEmbedding(c.MaxPositionEmbeddings, c.HiddenSize, -1, c, rng),
		TokenTypeEmbeddings: newEmbedding(c.TypeVocabSize, c.HiddenSize, -1, c, rng),
		LayerNorm:           nn.NewLayerNorm(c.HiddenSize, float32(c.LayerNormEps)),
		Dropout:             nn.NewDropout(float32(c.HiddenDropoutProb), rng),
	}
}

// Forward returns the embedding output [batch, seq, hidden] for in, with
// positions 0..T-1 (ids and token types are checked against the table sizes
// by Inputs.Validate).
func (e *Embeddings) Forward(in *Inputs) *autograd.Tensor { return e.ForwardAt(in, 0) }

// ForwardAt is Forward with positions start..start+T-1. HF starts them after
// the cached keys and values (past_key_values_length), which is how prefix
// tuning shifts them: see Model.Forward.
func (e *Embeddings) ForwardAt(in *Inputs, start int) *autograd.Tensor {
	if max := e.PositionEmbeddings.NumEmbeddings; start+in.SeqLen > max {
		panic(fmt.Sprintf("bert: positions %d..%d exceed max_position_embeddings %d", start, start+in.SeqLen-1, max))
	}
	words := e.WordEmbeddings.Forward(in.InputIDs, in.Batch, in.SeqLen)
	types := e.TokenTypeEmbeddings.Forward(in.tokenTypes(), in.Batch, in.SeqLen)
	positions := make([]int, in.SeqLen)
	for i := range positions {
		positions[i] = start + i
	}
	pos := e.PositionEmbeddings.Forward(positions, 1, in.SeqLen) // broadcast over the batch
	// HF's order of additions: (words + token types) + positions.
	h := words.Add(types).Add(pos)
	return e.Dropout.Forward(e.LayerNorm.Forward(h))
}

// Children names the sub-modules as HF does.
func (e *Embeddings) Children() []nn.NamedModule {
	return []nn.NamedModule{
		{Name: "word_embeddings", Module: e.WordEmbeddings},
		{Name: "position_embeddings", Module: e.PositionEmbeddings},
		{Name: "token_type_embeddings", Module: e.TokenTypeEmbeddings},
		{Name: "LayerNorm", Module: e.LayerNorm},
		{Name: "dropout", Module: e.Dropout},
	}
}

// SetChild replaces a sub-module by name.
func (e *Embeddings) SetChild(name string, m nn.Module) error {
	switch name {
	case "word_embeddings":
		return setChild(&e.WordEmbeddings, name, m)
	case "position_embeddings":
		return setChild(&e.PositionEmbeddings, name, m)
	case "token_type_embeddings":
		return setChild(&e.TokenTypeEmbeddings, name, m)
	case "LayerNorm":
		return setChild(&e.LayerNorm, name, m)
	case "dropout":
		return setChild(&e.Dropout, name, m)
	}
	return noChild("Embeddings", name, e.Children())
}

// NamedParameters lists the parameters with HF names under prefix (e.g.
// "bert.embeddings").
func (e *Embeddings) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, e.Children())
}

// SetTraining switches dropout on (true) or off (false).
func (e *Embeddings) SetTraining(train bool) { nn.SetChildrenTraining(e.Children(), train) }
