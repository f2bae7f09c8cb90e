package bert

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// Model is the BERT encoder without a task head, HF's BertModel: embeddings,
// the encoder stack and (optionally) the pooler. Its parameter names are HF's
// BertModel state-dict names ("embeddings.word_embeddings.weight", ...); the
// task models put it under "bert.".
type Model struct {
	Config     *Config
	Embeddings *Embeddings
	Encoder    *Encoder
	Pooler     *Pooler // nil for models built without a pooling layer (masked LM, token classification)
}

// NewModel builds a BERT encoder from c with HF's initialisation drawn from
// rng (the same seed gives the same model on every machine); rng also drives
// dropout in training mode. withPooler adds the pooler (HF add_pooling_layer).
// Like a new torch module (and HF's BertModel(config)), the model starts in
// training mode (dropout on); call SetTraining(false) to evaluate. Models
// loaded from a checkpoint (Checkpoint.Model and the other builders) come back
// in evaluation mode, as from_pretrained returns them.
func NewModel(c *Config, rng *autograd.RNG, withPooler bool) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Config: c, Embeddings: NewEmbeddings(c, rng), Encoder: NewEncoder(c, rng)}
	if withPooler {
		m.Pooler = NewPooler(c, rng)
	}
	return m, nil
}

// Inputs is one batch for the model: token ids, token types and the attention
// mask, each a row-major [Batch, SeqLen] slice, plus what to report besides
// the last hidden state.
type Inputs struct {
	InputIDs      []int // [Batch*SeqLen] token ids
	TokenTypeIDs  []int // [Batch*SeqLen] segment ids (0 for A, 1 for B); nil means all 0
	AttentionMask []int // [Batch*SeqLen] 1 = real token, 0 = padding; nil means all 1
	Batch, SeqLen int

	OutputHiddenStates bool // report every layer's hidden state
	OutputAttentions   bool // report every layer's attention probabilities
}

// NewInputs builds Inputs from per-sequence rows, which must all have the same
// length (pad first). tokenTypes and mask may be nil.
func NewInputs(ids, tokenTypes, mask [][]int) (*Inputs, error) {
	if len(ids) == 0 || len(ids[0]) == 0 {
		return nil, fmt.Errorf("bert: NewInputs: empty batch")
	}
	in := &Inputs{Batch: len(ids), SeqLen: len(ids[0])}
	flat := func(what string, rows [][]int) ([]int, error) {
		return hf.FlattenRows("bert: NewInputs", what, rows, in.Batch, in.SeqLen)
	}
	var err error
	if in.InputIDs, err = flat("input ids", ids); err != nil {
		return nil, err
	}
	if in.TokenTypeIDs, err = flat("token type ids", tokenTypes); err != nil {
		return nil, err
	}
	if in.AttentionMask, err = flat("attention mask", mask); err != nil {
		return nil, err
	}
	return in, nil
}

// InputsFromEncodings builds Inputs from the tokenizer's encodings (which
// must be padded to one length, e.g. with EncodeOptions padding).
func InputsFromEncodings(encs []*tokenizer.BertEncoding) (*Inputs, error) {
	if len(encs) == 0 {
		return nil, fmt.Errorf("bert: InputsFromEncodings: no encodings")
	}
	ids := make([][]int, len(encs))
	types := make([][]int, len(encs))
	mask := make([][]int, len(encs))
	for i, e := range encs {
		ids[i], types[i], mask[i] = e.IDs, e.TypeIDs, e.AttentionMask
		if mask[i] == nil {
			mask[i] = make([]int, len(e.IDs))
			for j := range mask[i] {
				mask[i][j] = 1
			}
		}
		if types[i] == nil {
			types[i] = make([]int, len(e.IDs))
		}
	}
	return NewInputs(ids, types, mask)
}

// Validate checks the slice lengths and every id against c's table sizes.
func (in *Inputs) Validate(c *Config) error {
	n := in.Batch * in.SeqLen
	if in.Batch <= 0 || in.SeqLen <= 0 {
		return fmt.Errorf("bert: inputs have batch %d and sequence length %d; both must be positive", in.Batch, in.SeqLen)
	}
	if in.SeqLen > c.MaxPositionEmbeddings {
		return fmt.Errorf("bert: sequence length %d exceeds max_position_embeddings %d", in.SeqLen, c.MaxPositionEmbeddings)
	}
	check := func(name string, v []int, limit int) error {
		if v == nil && name != "input ids" {
			return nil
		}
		if len(v) != n {
			return fmt.Errorf("bert: %s has %d values, want batch %d × seq %d = %d", name, len(v), in.Batch, in.SeqLen, n)
		}
		for i, x := range v {
			if x < 0 || x >= limit {
				return fmt.Errorf("bert: %s[%d][%d] = %d is outside [0, %d)", name, i/in.SeqLen, i%in.SeqLen, x, limit)
			}
		}
		return nil
	}
	if err := check("input ids", in.InputIDs, c.VocabSize); err != nil {
		return err
	}
	if err := check("token type ids", in.TokenTypeIDs, c.TypeVocabSize); err != nil {
		return err
	}
	return check("attention mask", in.AttentionMask, 2)
}

// tokenTypes returns the token type ids, zeros when none were given.
func (in *Inputs) tokenTypes() []int {
	if in.TokenTypeIDs != nil {
		return in.TokenTypeIDs
	}
	return make([]int, in.Batch*in.SeqLen)
}

// ModelOutput is what Model.Forward computes (HF's
// BaseModelOutputWithPoolingAndCrossAttentions).
type ModelOutput struct {
	LastHiddenState *autograd.Tensor   // [batch, T, hidden]
	PoolerOutput    *autograd.Tensor   // [batch, hidden]; nil without a pooler
	HiddenStates    []*autograd.Tensor // when asked: embedding output, then each layer's output
	Attentions      []*autograd.Tensor // when asked: each layer's probabilities [batch, heads, T, keys]
}

// Forward runs the encoder on in. It returns an error for inputs that do not
// fit the model (lengths, ids out of range) and when the notebook's stop
// button interrupts the pass (display.ErrInterrupted, wrapped).
func (m *Model) Forward(in *Inputs) (*ModelOutput, error) {
	if err := in.Validate(m.Config); err != nil {
		return nil, err
	}
	// With key/value prefixes HF counts the prefix as past positions
	// (past_key_values_length, the length of layer 0's prefix): the
	// sequence's positions start after it.
	past := 0
	if p := m.Encoder.Prefix(0); p != nil {
		past = p.Len()
	}
	if past+in.SeqLen > m.Config.MaxPositionEmbeddings {
		return nil, fmt.Errorf("bert: prefix of %d plus sequence length %d exceeds max_position_embeddings %d", past, in.SeqLen, m.Config.MaxPositionEmbeddings)
	}
	h := m.Embeddings.ForwardAt(in, past)
	enc, err := m.Encoder.Forward(h, in.AttentionMask, in.OutputHiddenStates, in.OutputAttentions)
	if err != nil {
		return nil, err
	}
	out := &ModelOutput{LastHiddenState: enc.LastHiddenState, HiddenStates: enc.HiddenStates, Attentions: enc.Attentions}
	if m.Pooler != nil {
		out.PoolerOutput = m.Pooler.Forward(enc.LastHiddenState)
	}
	return out, nil
}

// Children names the sub-modules as HF does (no "pooler" without one).
func (m *Model) Children() []nn.NamedModule {
	ch := []nn.NamedModule{{Name: "embeddings", Module: m.Embeddings}, {Name: "encoder", Module: m.Encoder}}
	if m.Pooler != nil {
		ch = append(ch, nn.NamedModule{Name: "pooler", Module: m.Pooler})
	}
	return ch
}

// SetChild replaces a sub-module by name (it must have the same type).
func (m *Model) SetChild(name string, c nn.Module) error {
	switch name {
	case "embeddings":
		if e, ok := c.(*Embeddings); ok {
			m.Embeddings = e
			return nil
		}
	case "encoder":
		if e, ok := c.(*Encoder); ok {
			m.Encoder = e
			return nil
		}
	case "pooler":
		if p, ok := c.(*Pooler); ok {
			m.Pooler = p
			return nil
		}
	}
	return noChild("Model", name+" of that type", m.Children())
}

// NamedParameters lists every parameter with its HF BertModel name under
// prefix ("" for a bare BertModel, "bert" inside a task model).
func (m *Model) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining switches every dropout on (training) or off (evaluation).
func (m *Model) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }

// String prints the module tree as torch prints a model.
func (m *Model) String() string { return nn.Repr(m) }
