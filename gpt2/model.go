package gpt2

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
)

// Model is GPT-2 without its LM head, HF's GPT2Model:
//
//	h = Dropout(wte[input_ids] + wpe[position_ids])
//	h = Block_i(h)           for i = 0..n_layer−1
//	out = ln_f(h)
//
// Its parameter names are HF's GPT2Model state-dict names ("wte.weight",
// "h.0.attn.c_attn.weight", ...); LMHeadModel puts it under "transformer.".
// It is also where hooks look inside the pass (hooks.go).
type Model struct {
	Config *Config
	Wte    *nn.Embedding // wte.weight [vocab_size, n_embd]: token embeddings (and the tied LM head)
	Wpe    *nn.Embedding // wpe.weight [n_positions, n_embd]: learned absolute positions
	Drop   *nn.Dropout   // drop (embd_pdrop)
	H      BlockList     // h.0, h.1, ...
	LnF    *nn.LayerNorm // ln_f

	hooks hooks
}

// NewModel builds a GPT-2 from c with HF's initialisation drawn from rng (the
// same seed gives the same model); rng also drives dropout in training mode.
// Like a new torch module, the model starts in training mode.
func NewModel(c *Config, rng *autograd.RNG) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if rng == nil {
		return nil, fmt.Errorf("gpt2: NewModel needs an RNG (autograd.NewRNG(seed))")
	}
	m := &Model{
		Config: c,
		Wte:    newEmbedding(c.VocabSize, c.NEmbd, c, rng),
		Wpe:    newEmbedding(c.NPositions, c.NEmbd, c, rng),
		Drop:   nn.NewDropout(float32(c.EmbdPdrop), rng),
		LnF:    nn.NewLayerNorm(c.NEmbd, float32(c.LayerNormEps)),
	}
	for i := 0; i < c.NLayer; i++ {
		m.H = append(m.H, NewBlock(c, i, rng))
	}
	return m, nil
}

// Inputs is one batch for the model: token ids [Batch, SeqLen] row-major,
// and optionally a padding mask, explicit positions and a cache of earlier
// positions, plus what to report.
type Inputs struct {
	InputIDs      []int // [Batch*SeqLen] the new tokens
	Batch, SeqLen int
	// InputsEmbeds, when set instead of InputIDs, are the new tokens'
	// embeddings [Batch, SeqLen, n_embd], used in place of wte[input_ids]
	// (HF's inputs_embeds; prompt tuning puts learned vectors there). The
	// position embeddings are still added.
	InputsEmbeds *autograd.Tensor
	// AttentionMask is 1 for real tokens and 0 for padding, over every key:
	// [Batch*(Past.Len()+SeqLen)], the cached positions first (HF's
	// attention_mask). nil: all real.
	AttentionMask []int
	// PositionIDs are the new tokens' positions [Batch*SeqLen]; nil means
	// Past.Len()..Past.Len()+SeqLen−1 for every row, as HF's forward does.
	// Left-padded batches need PositionIDsFromMask, as generate() does.
	PositionIDs []int
	// Past holds the keys and values of earlier positions (nil: none).
	Past *Cache
	// UseCache asks for the keys and values of all positions so far in
	// Output.Cache (HF's use_cache / present).
	UseCache bool

	OutputHiddenStates bool // report HF's hidden_states (n_layer+1 tensors)
	OutputAttentions   bool // report every layer's attention probabilities
}

// NewInputs builds Inputs from rows of token ids, which must all have the
// same length (pad first); mask may be nil.
func NewInputs(ids, mask [][]int) (*Inputs, error) {
	if len(ids) == 0 || len(ids[0]) == 0 {
		return nil, fmt.Errorf("gpt2: NewInputs: empty batch")
	}
	in := &Inputs{Batch: len(ids), SeqLen: len(ids[0])}
	flat := func(what string, rows [][]int) ([]int, error) {
		return hf.FlattenRows("gpt2: NewInputs", what, rows, in.Batch, in.SeqLen)
	}
	var err error
	if in.InputIDs, err = flat("input ids", ids); err != nil {
		return nil, err
	}
	if in.AttentionMask, err = flat("attention mask", mask); err != nil {
		return nil, err
	}
	return in, nil
}

// Validate checks the slice lengths, the ids against the vocabulary, the
// positions against n_positions and the cache against the model.
func (in *Inputs) Validate(c *Config) error {
	if in.Batch <= 0 || in.SeqLen <= 0 {
		return fmt.Errorf("gpt2: inputs have batch %d and sequence length %d; both must be positive", in.Batch, in.SeqLen)
	}
	n := in.Batch * in.SeqLen
	past := in.Past.Len()
	if in.Past != nil {
		if len(in.Past.Layers) != c.NLayer {
			return fmt.Errorf("gpt2: the cache has %d layers, the model %d", len(in.Past.Layers), c.NLayer)
		}
		if b := in.Past.Batch(); b != in.Batch {
			return fmt.Errorf("gpt2: the cache holds batch %d, the inputs have batch %d", b, in.Batch)
		}
	}
	if in.InputsEmbeds != nil {
		if in.InputIDs != nil {
			return fmt.Errorf("gpt2: inputs have both input ids and inputs_embeds; give one")
		}
		if s := in.InputsEmbeds.Shape(); len(s) != 3 || s[0] != in.Batch || s[1] != in.SeqLen || s[2] != c.NEmbd {
			return fmt.Errorf("gpt2: inputs_embeds have shape %v, want [batch %d, seq %d, n_embd %d]", s, in.Batch, in.SeqLen, c.NEmbd)
		}
	} else if len(in.InputIDs) != n {
		return fmt.Errorf("gpt2: input ids have %d values, want batch %d × seq %d = %d", len(in.InputIDs), in.Batch, in.SeqLen, n)
	}
	for i, id := range in.InputIDs {
		if id < 0 || id >= c.VocabSize {
			return fmt.Errorf("gpt2: input_ids[%d][%d] = %d is outside the vocabulary [0, %d)", i/in.SeqLen, i%in.SeqLen, id, c.VocabSize)
		}
	}
	if in.AttentionMask != nil {
		keys := past + in.SeqLen
		if len(in.AttentionMask) != in.Batch*keys {
			return fmt.Errorf("gpt2: attention mask has %d values, want batch %d × (cached %d + new %d) = %d", len(in.AttentionMask), in.Batch, past, in.SeqLen, in.Batch*keys)
		}
		for i, m := range in.AttentionMask {
			if m != 0 && m != 1 {
				return fmt.Errorf("gpt2: attention_mask[%d][%d] = %d, want 0 or 1", i/keys, i%keys, m)
			}
		}
	}
	if in.PositionIDs == nil {
		if past+in.SeqLen > c.NPositions {
			return fmt.Errorf("gpt2: cached %d plus new %d positions exceed n_positions %d", past, in.SeqLen, c.NPositions)
		}
		return nil
	}
	if len(in.PositionIDs) != n {
		return fmt.Errorf("gpt2: position ids have %d values, want batch %d × seq %d = %d", len(in.PositionIDs), in.Batch, in.SeqLen, n)
	}
	for i, p := range in.PositionIDs {
		if p < 0 || p >= c.NPositions {
			return fmt.Errorf("gpt2: position_ids[%d][%d] = %d is outside [0, n_positions %d)", i/in.SeqLen, i%in.SeqLen, p, c.NPositions)
		}
	}
	return nil
}

// Output is what Model.Forward computes (HF's
// BaseModelOutputWithPastAndCrossAttentions).
type Output struct {
	LastHiddenState *autograd.Tensor // ln_f(output of the last block), [batch, T, n_embd]
	// Cache holds every layer's keys and values of all positions so far
	// (Inputs.Past followed by the new ones) when Inputs.UseCache was set.
	Cache *Cache
	// HiddenStates, when asked for, are HF's hidden_states: n_layer+1
	// tensors [batch, T, n_embd], the embedding output first, then each
	// block's output, except that the last is ln_f(output of the last
	// block), i.e. LastHiddenState.
	HiddenStates []*autograd.Tensor
	// Attentions, when asked for, are each layer's probabilities
	// [batch, heads, T, cached+T].
	Attentions []*autograd.Tensor
}

// Forward runs the model on in. It returns an error for inputs that do not
// fit the model and when the notebook's stop button interrupts the pass
// (display.ErrInterrupted, wrapped).
func (m *Model) Forward(in *Inputs) (*Output, error) {
	if err := in.Validate(m.Config); err != nil {
		return nil, err
	}
	past := in.Past.Len()
	h := in.InputsEmbeds
	if h == nil {
		h = m.Wte.Forward(in.InputIDs, in.Batch, in.SeqLen)
	}
	if in.PositionIDs != nil {
		h = h.Add(m.Wpe.Forward(in.PositionIDs, in.Batch, in.SeqLen))
	} else {
		positions := make([]int, in.SeqLen)
		for i := range positions {
			positions[i] = past + i
		}
		h = h.Add(m.Wpe.Forward(positions, 1, in.SeqLen)) // broadcast over the batch
	}
	h = m.runStream(0, m.Drop.Forward(h))
	mask := nn.PaddingMask(in.AttentionMask, in.Batch, past+in.SeqLen, 0)

	out := &Output{}
	if in.UseCache {
		out.Cache = &Cache{Layers: make([]*LayerCache, len(m.H))}
	}
	for i, block := range m.H {
		if err := display.CheckInterrupt(); err != nil {
			return nil, fmt.Errorf("gpt2: forward pass stopped before block %d: %w", i, err)
		}
		if in.OutputHiddenStates {
			out.HiddenStates = append(out.HiddenStates, h)
		}
		var layerPast *LayerCache
		if in.Past != nil {
			layerPast = in.Past.Layers[i]
		}
		var probs *autograd.Tensor
		var present *LayerCache
		h, probs, present = block.Forward(h, mask, layerPast, m.sublayerHook(i))
		h = m.runStream(i+1, h)
		if in.UseCache {
			out.Cache.Layers[i] = present
		}
		if in.OutputAttentions {
			out.Attentions = append(out.Attentions, probs)
		}
	}
	out.LastHiddenState = m.LnF.Forward(h)
	if in.OutputHiddenStates {
		out.HiddenStates = append(out.HiddenStates, out.LastHiddenState)
	}
	return out, nil
}

// Children names the sub-modules as HF does.
func (m *Model) Children() []nn.NamedModule {
	return []nn.NamedModule{
		{Name: "wte", Module: m.Wte},
		{Name: "wpe", Module: m.Wpe},
		{Name: "drop", Module: m.Drop},
		{Name: "h", Module: m.H},
		{Name: "ln_f", Module: m.LnF},
	}
}

// SetChild replaces a sub-module by name (it must have the same type).
func (m *Model) SetChild(name string, c nn.Module) error {
	switch name {
	case "wte":
		return setChild(&m.Wte, name, c)
	case "wpe":
		return setChild(&m.Wpe, name, c)
	case "drop":
		return setChild(&m.Drop, name, c)
	case "ln_f":
		return setChild(&m.LnF, name, c)
	case "h":
		if l, ok := c.(BlockList); ok {
			m.H = l
			return nil
		}
	}
	return noChild("Model", name+" of that type", m.Children())
}

// NamedParameters lists every parameter with its HF GPT2Model name under
// prefix ("" for a bare GPT2Model, "transformer" inside LMHeadModel).
func (m *Model) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining switches every dropout on (training) or off (evaluation).
func (m *Model) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }

// String prints the module tree as torch prints a model.
func (m *Model) String() string { return nn.Repr(m) }

// BlockList is the stack of blocks, named "0", "1", ... like torch's
// ModuleList (paths read "transformer.h.3.attn.c_attn").
type BlockList []*Block

// Children names the blocks by index.
func (l BlockList) Children() []nn.NamedModule { return hf.IndexedChildren(l) }

// SetChild replaces block i (name "i") with another *Block.
func (l BlockList) SetChild(name string, m nn.Module) error {
	return hf.SetIndexed("gpt2", "block list", l, name, m)
}

// NamedParameters lists every block's parameters under prefix+".i".
func (l BlockList) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, l.Children())
}

// SetTraining switches every block's dropout on or off.
func (l BlockList) SetTraining(train bool) { nn.SetChildrenTraining(l.Children(), train) }

// ReprName is torch's name for the list.
func (l BlockList) ReprName() string { return "ModuleList" }
