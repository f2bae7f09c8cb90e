package gpt2

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// TestCausalLMLossMatchesSlicedLogits checks that the loss computed on all
// positions with the last one of each sequence ignored equals, bit for bit,
// the cross-entropy of the sliced logits[:, :-1] against labels[:, 1:], and
// so does the gradient of the logits (zero on the last positions), with
// ignored labels inside the sequences too.
func TestCausalLMLossMatchesSlicedLogits(t *testing.T) {
	const b, T, v = 3, 7, 11
	rng := autograd.NewRNG(4)
	labels := make([]int, b*T)
	for i := range labels {
		labels[i] = rng.Intn(v)
	}
	labels[3], labels[T+5] = IgnoreLabel, IgnoreLabel
	run := func(sliced bool) (loss float32, grad []float32) {
		logits := autograd.RandN(autograd.NewRNG(5), b, T, v).SetRequiresGrad(true)
		var l *autograd.Tensor
		if sliced {
			shifted, targets := shiftForLM(logits, labels)
			l = autograd.CrossEntropy(shifted, targets, autograd.CrossEntropyOptions{})
		} else {
			l = CausalLMLoss(logits, labels)
		}
		l.Backward()
		return l.Item(), logits.Grad().Data()
	}
	wantLoss, wantGrad := run(true)
	gotLoss, gotGrad := run(false)
	if math.Float32bits(gotLoss) != math.Float32bits(wantLoss) {
		t.Fatalf("loss %v, sliced logits give %v", gotLoss, wantLoss)
	}
	for i := range wantGrad {
		if math.Float32bits(gotGrad[i]) != math.Float32bits(wantGrad[i]) {
			t.Fatalf("grad[%d] = %v, sliced logits give %v", i, gotGrad[i], wantGrad[i])
		}
	}
}
