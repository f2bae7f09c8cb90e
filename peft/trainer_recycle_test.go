package peft

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/nn"
)

// TestNewTrainerRecyclesExactly trains AdaLoRA, whose rank allocator reads
// the adapter's gradients after every step, once with NewTrainer as it comes
// (recycling each step's activations) and once with Recycle off: losses and
// weights must agree bit for bit.
func TestNewTrainerRecyclesExactly(t *testing.T) {
	run := func(recycle bool) ([]float64, []uint32) {
		_, _, pm, tr := adaLoraRun(t, 8)
		if !tr.Recycle {
			t.Fatal("NewTrainer does not recycle")
		}
		tr.Recycle = recycle
		h, err := tr.Train()
		if err != nil {
			t.Fatal(err)
		}
		var losses []float64
		for _, s := range h.Steps {
			losses = append(losses, s.Loss)
		}
		var bits []uint32
		for _, p := range nn.Parameters(pm) {
			for _, v := range p.Data() {
				bits = append(bits, math.Float32bits(v))
			}
		}
		return losses, bits
	}
	lossOn, weightsOn := run(true)
	lossOff, weightsOff := run(false)
	for i := range lossOn {
		if lossOn[i] != lossOff[i] {
			t.Fatalf("step %d: loss %g recycling, %g without", i+1, lossOn[i], lossOff[i])
		}
	}
	if len(weightsOn) == 0 || len(weightsOn) != len(weightsOff) {
		t.Fatalf("%d weights vs %d", len(weightsOn), len(weightsOff))
	}
	for i := range weightsOn {
		if weightsOn[i] != weightsOff[i] {
			t.Fatalf("weight %d differs: %x recycling, %x without", i, weightsOn[i], weightsOff[i])
		}
	}
}
