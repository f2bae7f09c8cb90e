package bert

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
)

// Encoder is the stack of transformer layers, HF's BertEncoder. It is also the
// seam where later work looks inside the forward pass without forking it:
//
//   - hooks (AddHook) read or replace the hidden state between layers
//     (activation caching and patching, causal tracing), and sub-layer
//     hooks (AddSublayerHook) each layer's attention and feed-forward
//     output before its residual add (causal tracing's "attn" and "mlp");
//   - per-layer key/value prefixes (SetPrefix) add extra attention keys and
//     values in front of the sequence's own (prefix tuning).
type Encoder struct {
	Layers LayerList // layer.0, layer.1, ...

	hooks         hf.Hooks[LayerHook]
	sublayerHooks hf.Hooks[SublayerHook] // sublayer_hook.go
	prefixes      []*KVPrefix
}

// LayerHook observes or replaces a hidden state during the forward pass. It is
// called for index i = 0..num_hidden_layers with hidden_states[i]: i = 0 is the
// embedding output (the input of layer 0) and i > 0 the output of layer i-1.
// It returns nil to leave the state unchanged, or a tensor of the same shape
// that replaces it for the rest of the pass (and in the reported hidden
// states). Hooks run in the order they were added.
type LayerHook func(index int, hidden *autograd.Tensor) *autograd.Tensor

// KVPrefix holds extra attention keys and values that one layer's
// self-attention puts before the sequence's own keys and values (prefix
// tuning, HF's past_key_values). Key and Value are [heads, P, head_dim]
// (shared by the batch) or [batch, heads, P, head_dim]. Every query may attend
// to every prefix position. As in HF, layer 0's prefix length also shifts the
// sequence's position ids to P..P+T-1 (Model.Forward).
type KVPrefix struct {
	Key, Value *autograd.Tensor
}

// Len is the number of prefix positions P.
func (p *KVPrefix) Len() int { return p.Key.Size(-2) }

// prepend concatenates the prefix before k and v ([batch, heads, T, head_dim])
// along the key axis, expanding a batch-shared prefix over the batch.
func (p *KVPrefix) prepend(k, v *autograd.Tensor, batch int) (*autograd.Tensor, *autograd.Tensor) {
	heads, headDim := k.Size(1), k.Size(3)
	fit := func(x *autograd.Tensor, what string) *autograd.Tensor {
		s := x.Shape()
		switch {
		case len(s) == 3 && s[0] == heads && s[2] == headDim:
			return x.Unsqueeze(0).Expand(batch, s[0], s[1], s[2])
		case len(s) == 4 && s[0] == batch && s[1] == heads && s[3] == headDim:
			return x
		}
		panic(fmt.Sprintf("bert: prefix %s has shape %v, want [%d, P, %d] or [%d, %d, P, %d]", what, s, heads, headDim, batch, heads, headDim))
	}
	if !autograd.SameShape(p.Key.Shape(), p.Value.Shape()) {
		panic(fmt.Sprintf("bert: prefix key shape %v differs from value shape %v", p.Key.Shape(), p.Value.Shape()))
	}
	return autograd.Cat([]*autograd.Tensor{fit(p.Key, "key"), k}, 2),
		autograd.Cat([]*autograd.Tensor{fit(p.Value, "value"), v}, 2)
}

// NewEncoder builds num_hidden_layers layers with HF's initialisation.
func NewEncoder(c *Config, rng *autograd.RNG) *Encoder {
	e := &Encoder{}
	for i := 0; i < c.NumHiddenLayers; i++ {
		e.Layers = append(e.Layers, NewLayer(c, rng))
	}
	return e
}

// AddHook registers h and returns a function that removes it again.
func (e *Encoder) AddHook(h LayerHook) (remove func()) { return e.hooks.Add(h) }

// ClearHooks removes every hook, sub-layer hooks included.
func (e *Encoder) ClearHooks() { e.hooks.Clear(); e.sublayerHooks.Clear() }

// SetPrefix sets (or, with nil, removes) the key/value prefix of layer i.
func (e *Encoder) SetPrefix(layer int, p *KVPrefix) {
	if layer < 0 || layer >= len(e.Layers) {
		panic(fmt.Sprintf("bert: SetPrefix: layer %d out of range [0, %d)", layer, len(e.Layers)))
	}
	for len(e.prefixes) < len(e.Layers) {
		e.prefixes = append(e.prefixes, nil)
	}
	e.prefixes[layer] = p
}

// Prefix returns layer i's key/value prefix (nil when none).
func (e *Encoder) Prefix(layer int) *KVPrefix {
	if layer < len(e.prefixes) {
		return e.prefixes[layer]
	}
	return nil
}

// EncoderOutput is what the encoder computes: the last hidden state, and when
// asked for, every hidden state (embedding output first) and every layer's
// attention probabilities.
type EncoderOutput struct {
	LastHiddenState *autograd.Tensor   // [batch, T, hidden]
	HiddenStates    []*autograd.Tensor // num_hidden_layers+1 tensors [batch, T, hidden], or nil
	Attentions      []*autograd.Tensor // num_hidden_layers tensors [batch, heads, T, keys], or nil
}

// Forward runs every layer on the embedding output h [batch, T, hidden].
// mask is the 0/1 attention mask [batch*T] (nil: attend everywhere). Between
// layers it polls display.CheckInterrupt, so the notebook's stop button ends
// a long pass with that error.
func (e *Encoder) Forward(h *autograd.Tensor, mask []int, wantHidden, wantAttentions bool) (*EncoderOutput, error) {
	batch, seq := h.Size(0), h.Size(1)
	out := &EncoderOutput{}
	h = e.runHooks(0, h)
	if wantHidden {
		out.HiddenStates = append(out.HiddenStates, h)
	}
	for i, layer := range e.Layers {
		if err := display.CheckInterrupt(); err != nil {
			return nil, fmt.Errorf("bert: forward pass stopped before layer %d: %w", i, err)
		}
		prefix, prefixLen := e.Prefix(i), 0
		if prefix != nil {
			prefixLen = prefix.Len()
		}
		var probs *autograd.Tensor
		h, probs = layer.forward(h, additiveMask(mask, batch, seq, prefixLen), prefix, e.sublayerHook(i))
		h = e.runHooks(i+1, h)
		if wantHidden {
			out.HiddenStates = append(out.HiddenStates, h)
		}
		if wantAttentions {
			out.Attentions = append(out.Attentions, probs)
		}
	}
	out.LastHiddenState = h
	return out, nil
}

// runHooks passes hidden state i through every hook.
func (e *Encoder) runHooks(i int, h *autograd.Tensor) *autograd.Tensor {
	for fn := range e.hooks.All() {
		h = hf.Replaced("bert", fmt.Sprintf("hidden state %d", i), h, fn(i, h))
	}
	return h
}

// Children names the layer list "layer", as HF does.
func (e *Encoder) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "layer", Module: e.Layers}}
}

// SetChild replaces the layer list.
func (e *Encoder) SetChild(name string, m nn.Module) error {
	if l, ok := m.(LayerList); ok && name == "layer" {
		e.Layers = l
		return nil
	}
	return noChild("Encoder", name+" of that type", e.Children())
}

// NamedParameters lists every layer's parameters under prefix+".layer.i".
func (e *Encoder) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, e.Children())
}

// SetTraining switches every dropout on or off.
func (e *Encoder) SetTraining(train bool) { e.Layers.SetTraining(train) }

// LayerList is the encoder's stack of layers, named "0", "1", ... like torch's
// ModuleList (so paths read "encoder.layer.3.attention...").
type LayerList []*Layer

// Children names the layers by index.
func (l LayerList) Children() []nn.NamedModule { return hf.IndexedChildren(l) }

// SetChild replaces layer i (name "i") with another *Layer.
func (l LayerList) SetChild(name string, m nn.Module) error {
	return hf.SetIndexed("bert", "layer list", l, name, m)
}

// NamedParameters lists every layer's parameters under prefix+".i".
func (l LayerList) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, l.Children())
}

// SetTraining switches every layer's dropout on or off.
func (l LayerList) SetTraining(train bool) { nn.SetChildrenTraining(l.Children(), train) }
