package multimodal

import (
	"strings"
	"testing"

	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/peft"
)

// TestLoRAOnTextTower: LoRA adapters on the text BERT (package peft), the
// image tower trained in full. After training, the text tower's base
// weights are unchanged, its LoRA weights and the image tower's have moved,
// and the loss went down.
func TestLoRAOnTextTower(t *testing.T) {
	scenes := GenerateShapes(200, ShapeOptions{Seed: 1, Kinds: []string{SceneSingle}})
	all, _, _ := AllSingleCaptions()
	m := tinyDual(t, all, 32, 1)
	cfg := peft.NewLoraConfig()
	cfg.TaskType = peft.TaskFeatureExtr
	cfg.R, cfg.LoraAlpha = 4, 8
	if _, err := peft.New(m.Text.Bert, cfg); err != nil {
		t.Fatal(err)
	}
	before := map[string][]float32{}
	for _, p := range m.NamedParameters("") {
		before[p.Name] = append([]float32{}, p.Tensor.Contiguous().Data()...)
	}
	loraNames := 0
	for _, p := range m.NamedParameters("") {
		isText := strings.HasPrefix(p.Name, "text.")
		isLoRA := strings.Contains(p.Name, "lora_")
		if isText && p.Tensor.RequiresGrad() != isLoRA {
			t.Fatalf("%s: requires grad %v", p.Name, p.Tensor.RequiresGrad())
		}
		if isLoRA {
			loraNames++
		}
	}
	if loraNames == 0 {
		t.Fatal("no LoRA parameters in the text tower")
	}
	trainable, total := nn.CountParameters(m)
	t.Logf("%d parameters, %d trainable, %d LoRA tensors", total, trainable, loraNames)
	losses, err := TrainContrastive(m, ImagePatches(ImagesTensor(SceneImages(scenes)), 8), SceneCaptions(scenes), TrainOptions{Steps: 30, BatchSize: 16, LR: 3e-3, Seed: 1, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	first, last := (losses[0]+losses[1]+losses[2])/3, (losses[27]+losses[28]+losses[29])/3
	if last >= first {
		t.Errorf("loss did not go down: %.3f -> %.3f", first, last)
	}
	for _, p := range m.NamedParameters("") {
		changed := false
		for i, v := range p.Tensor.Contiguous().Data() {
			if v != before[p.Name][i] {
				changed = true
				break
			}
		}
		frozen := strings.HasPrefix(p.Name, "text.") && !strings.Contains(p.Name, "lora_")
		if frozen && changed {
			t.Errorf("frozen %s changed", p.Name)
		}
		if !frozen && !changed && (strings.Contains(p.Name, "lora_B") || strings.HasPrefix(p.Name, "media.embeddings.projection")) {
			t.Errorf("trainable %s did not change", p.Name)
		}
	}
}
