package bert

import (
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

func TestSublayerHooksSeeAndReplaceBlockOutputs(t *testing.T) {
	m, _ := NewModel(tinyConfig(), autograd.NewRNG(1), true)
	m.SetTraining(false)
	in := tinyInputs()
	in.OutputHiddenStates = true
	plain, _ := m.Forward(in)

	// A hook that only reads sees both blocks of every layer, in order, and
	// changes nothing.
	var seen []string
	remove := m.Encoder.AddSublayerHook(func(layer int, kind Sublayer, out *autograd.Tensor) *autograd.Tensor {
		seen = append(seen, kind.String()+string(rune('0'+layer)))
		return nil
	})
	read, _ := m.Forward(in)
	remove()
	if got := len(seen); got != 4 || seen[0] != "attn0" || seen[1] != "mlp0" || seen[3] != "mlp1" {
		t.Fatalf("hook calls %v, want attn0 mlp0 attn1 mlp1", seen)
	}
	if !read.LastHiddenState.AllClose(plain.LastHiddenState, 0, 0) {
		t.Fatal("a reading hook changed the output")
	}

	// With both blocks of layer 0 zeroed, the layer is just its two
	// LayerNorms: state 1 = LN_out(LN_attn(state 0)).
	remove = m.Encoder.AddSublayerHook(func(layer int, kind Sublayer, out *autograd.Tensor) *autograd.Tensor {
		if layer == 0 {
			return autograd.ZerosLike(out)
		}
		return nil
	})
	zeroed, _ := m.Forward(in)
	remove()
	l0 := m.Encoder.Layers[0]
	want := l0.Output.LayerNorm.Forward(l0.Attention.Output.LayerNorm.Forward(plain.HiddenStates[0]))
	if !zeroed.HiddenStates[1].AllClose(want, 1e-6, 1e-6) {
		t.Fatal("zeroed blocks: state 1 is not LN_out(LN_attn(state 0))")
	}
	back, _ := m.Forward(in)
	if !back.LastHiddenState.AllClose(plain.LastHiddenState, 0, 0) {
		t.Fatal("removing the hook did not restore the forward pass")
	}
	if SublayerMLP.String() != "mlp" || Sublayer(7).String() != "Sublayer(7)" {
		t.Fatal("Sublayer names")
	}
}
