package peft

import (
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
)

// TestLoRAParity loads the PEFT-written LoRA adapter of the reference folder
// onto the reference model and checks the classification logits with the
// adapter active and layer 0's merged query weight against PyTorch + PEFT.
func TestLoRAParity(t *testing.T) {
	dir := testref.BertRefDir(t)
	base, in, exp := refClassifier(t, dir)
	pm, err := FromPretrained(base, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	pm.SetTraining(false)
	out, err := base.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	expectClose(t, exp, "lora_cls_logits", out.Logits, 1e-4, 1e-4)

	if tr, _ := pm.TrainableParameters(); tr != 0 {
		t.Errorf("an adapter loaded in inference mode has %d trainable parameters, want 0", tr)
	}

	merged, err := pm.MergeAndUnload()
	if err != nil {
		t.Fatal(err)
	}
	q, err := nn.GetModule(merged, "bert.encoder.layer.0.attention.self.query")
	if err != nil {
		t.Fatal(err)
	}
	lin, ok := q.(*nn.Linear)
	if !ok {
		t.Fatalf("after merge-and-unload the query is a %T, want *nn.Linear", q)
	}
	expectClose(t, exp, "lora_merged_query_weight_0", lin.Weight, 1e-6, 1e-6)
	out2, err := base.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	expectClose(t, exp, "lora_cls_logits", out2.Logits, 1e-4, 1e-4)
}
