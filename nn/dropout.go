package nn

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// Dropout zeroes each element with probability P during training and scales the
// rest by 1/(1−P); in evaluation mode it passes its input through. It has no
// parameters. The masks come from its own seeded RNG, so a run is reproducible.
type Dropout struct {
	P        float32
	training bool
	rng      *autograd.RNG
}

// NewDropout makes a Dropout layer in training mode. rng supplies the masks; nil
// means a generator seeded with 0.
func NewDropout(p float32, rng *autograd.RNG) *Dropout {
	if p < 0 || p > 1 {
		panic(fmt.Sprintf("nn.NewDropout: probability must be in [0, 1], got %v", p))
	}
	if rng == nil {
		rng = autograd.NewRNG(0)
	}
	return &Dropout{P: p, training: true, rng: rng}
}

// Forward applies dropout in training mode and is the identity in evaluation mode.
func (d *Dropout) Forward(x *autograd.Tensor) *autograd.Tensor {
	return autograd.Dropout(x, d.P, d.training, d.rng)
}

// NamedParameters returns nothing: dropout has no parameters.
func (d *Dropout) NamedParameters(string) []NamedParameter { return nil }

// SetTraining turns dropout on (true) or off (false).
func (d *Dropout) SetTraining(train bool) { d.training = train }

// Training reports whether dropout is active.
func (d *Dropout) Training() bool { return d.training }

// ExtraRepr is torch's: "p=0.1, inplace=False".
func (d *Dropout) ExtraRepr() string {
	return fmt.Sprintf("p=%s, inplace=False", pyFloat(float64(d.P)))
}

// String prints the layer as torch does.
func (d *Dropout) String() string { return Repr(d) }
