package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Output closes the feed-forward residual block, HF's BertOutput (post-LN):
//
//	out = LayerNorm(Dropout(intermediate Wᵀ + b) + attention_output)
type Output struct {
	Dense     nn.Layer      // dense: *nn.Linear, weight [hidden, intermediate] and bias
	LayerNorm *nn.LayerNorm // LayerNorm.weight/bias
	Dropout   *nn.Dropout   // hidden_dropout_prob
}

// NewOutput builds the block with HF's initialisation.
func NewOutput(c *Config, rng *autograd.RNG) *Output {
	return &Output{
		Dense:     newDense(c.IntermediateSize, c.HiddenSize, c, rng),
		LayerNorm: nn.NewLayerNorm(c.HiddenSize, float32(c.LayerNormEps)),
		Dropout:   nn.NewDropout(float32(c.HiddenDropoutProb), rng),
	}
}

// Forward returns LayerNorm(Dropout(Dense(intermediate)) + input).
func (o *Output) Forward(intermediate, input *autograd.Tensor) *autograd.Tensor {
	return o.LayerNorm.Forward(o.Dropout.Forward(o.Dense.Forward(intermediate)).Add(input))
}

// Children names the sub-modules as HF does.
func (o *Output) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "dense", Module: o.Dense}, {Name: "LayerNorm", Module: o.LayerNorm}, {Name: "dropout", Module: o.Dropout}}
}

// SetChild replaces a sub-module by name.
func (o *Output) SetChild(name string, m nn.Module) error {
	switch name {
	case "dense":
		return setLayer(&o.Dense, name, m)
	case "LayerNorm":
		return setLayerNorm(&o.LayerNorm, name, m)
	case "dropout":
		return setDropout(&o.Dropout, name, m)
	}
	return noChild("Output", name, o.Children())
}

// NamedParameters lists dense and LayerNorm under prefix (e.g.
// "bert.encoder.layer.0.output").
func (o *Output) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, o.Children())
}

// SetTraining switches dropout on or off.
func (o *Output) SetTraining(train bool) { nn.SetChildrenTraining(o.Children(), train) }
