package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// ResidualOutput closes one residual block of a BERT layer, post-LN as in the
// original BERT:
//
//	out = LayerNorm(Dropout(x Wᵀ + b) + input)
//
// HF has two classes with exactly this code, differing only in the width of x:
// BertSelfOutput after attention (AttentionOutput here) and BertOutput after
// the feed-forward layer (Output here).
type ResidualOutput struct {
	Dense     nn.Layer      // dense: *nn.Linear, weight [hidden, in] and bias
	LayerNorm *nn.LayerNorm // LayerNorm.weight/bias
	Dropout   *nn.Dropout   // hidden_dropout_prob
}

// newResidualOutput builds the block for inputs of width in, with HF's
// initialisation.
func newResidualOutput(in int, c *Config, rng *autograd.RNG) *ResidualOutput {
	return &ResidualOutput{
		Dense:     newDense(in, c.HiddenSize, c, rng),
		LayerNorm: nn.NewLayerNorm(c.HiddenSize, float32(c.LayerNormEps)),
		Dropout:   nn.NewDropout(float32(c.HiddenDropoutProb), rng),
	}
}

// Forward returns LayerNorm(Dropout(Dense(x)) + input).
func (o *ResidualOutput) Forward(x, input *autograd.Tensor) *autograd.Tensor {
	return o.forward(x, input, nil)
}

// forward is Forward with a hook (nil for none) on Dropout(Dense(x)) before
// the residual add: the encoder's sub-layer hook seam.
func (o *ResidualOutput) forward(x, input *autograd.Tensor, hook func(*autograd.Tensor) *autograd.Tensor) *autograd.Tensor {
	y := o.Dropout.Forward(o.Dense.Forward(x))
	if hook != nil {
		y = hook(y)
	}
	return o.LayerNorm.Forward(y.Add(input))
}

// Children names the sub-modules as HF does.
func (o *ResidualOutput) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "dense", Module: o.Dense}, {Name: "LayerNorm", Module: o.LayerNorm}, {Name: "dropout", Module: o.Dropout}}
}

// SetChild replaces a sub-module by name.
func (o *ResidualOutput) SetChild(name string, m nn.Module) error {
	switch name {
	case "dense":
		return setChild(&o.Dense, name, m)
	case "LayerNorm":
		return setChild(&o.LayerNorm, name, m)
	case "dropout":
		return setChild(&o.Dropout, name, m)
	}
	return noChild("ResidualOutput", name, o.Children())
}

// NamedParameters lists dense and LayerNorm under prefix (e.g.
// "bert.encoder.layer.0.output").
func (o *ResidualOutput) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, o.Children())
}

// SetTraining switches dropout on or off.
func (o *ResidualOutput) SetTraining(train bool) { nn.SetChildrenTraining(o.Children(), train) }
