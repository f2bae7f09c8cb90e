package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// AttentionOutput projects the attention context back and closes the first
// residual block, HF's BertSelfOutput (post-LN):
//
//	out = LayerNorm(Dropout(context Wᵀ + b) + input)
type AttentionOutput struct {
	Dense     nn.Layer      // dense: *nn.Linear, weight [hidden, hidden] and bias
	LayerNorm *nn.LayerNorm // LayerNorm.weight/bias
	Dropout   *nn.Dropout   // hidden_dropout_prob
}

// NewAttentionOutput builds the block with HF's initialisation.
func NewAttentionOutput(c *Config, rng *autograd.RNG) *AttentionOutput {
	return &AttentionOutput{
		Dense:     newDense(c.HiddenSize, c.HiddenSize, c, rng),
		LayerNorm: nn.NewLayerNorm(c.HiddenSize, float32(c.LayerNormEps)),
		Dropout:   nn.NewDropout(float32(c.HiddenDropoutProb), rng),
	}
}

// Forward returns LayerNorm(Dropout(Dense(context)) + input).
func (o *AttentionOutput) Forward(context, input *autograd.Tensor) *autograd.Tensor {
	return o.LayerNorm.Forward(o.Dropout.Forward(o.Dense.Forward(context)).Add(input))
}

// Children names the sub-modules as HF does.
func (o *AttentionOutput) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "dense", Module: o.Dense}, {Name: "LayerNorm", Module: o.LayerNorm}, {Name: "dropout", Module: o.Dropout}}
}

// SetChild replaces a sub-module by name.
func (o *AttentionOutput) SetChild(name string, m nn.Module) error {
	switch name {
	case "dense":
		return setLayer(&o.Dense, name, m)
	case "LayerNorm":
		return setLayerNorm(&o.LayerNorm, name, m)
	case "dropout":
		return setDropout(&o.Dropout, name, m)
	}
	return noChild("AttentionOutput", name, o.Children())
}

// NamedParameters lists dense and LayerNorm under prefix (e.g.
// "bert.encoder.layer.0.attention.output").
func (o *AttentionOutput) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, o.Children())
}

// SetTraining switches dropout on or off.
func (o *AttentionOutput) SetTraining(train bool) { nn.SetChildrenTraining(o.Children(), train) }
