package interpret

import "testing"

func TestControlTaskIsAFunctionOfTheWord(t *testing.T) {
	words := []string{"alice", "went", "to", "paris", "alice", "paris", "to", "bob"}
	labels := []int{1, 0, 0, 2, 1, 2, 0, 1}
	c := ControlTask(words, labels, 7)
	seen := map[string]int{}
	for i, w := range words {
		if l, ok := seen[w]; ok && l != c[i] {
			t.Fatalf("word %q got labels %d and %d", w, l, c[i])
		}
		seen[w] = c[i]
		if c[i] < 0 || c[i] > 2 {
			t.Fatalf("label %d outside the task's labels", c[i])
		}
	}
	again := ControlTask(words, labels, 7)
	for i := range c {
		if c[i] != again[i] {
			t.Fatal("the same seed gave different control labels")
		}
	}
}

func TestProbeLayersControlTask(t *testing.T) {
	// Feature 0 is the label (readable by a linear probe); words are unique
	// per example, so the control task cannot be memorised: selectivity > 0.
	var d ProbeData
	d.States = make([][][]float64, 1)
	for i := 0; i < 200; i++ {
		y := i % 2
		d.States[0] = append(d.States[0], []float64{float64(2*y - 1), float64(i%7) - 3})
		d.Labels = append(d.Labels, y)
		d.Words = append(d.Words, "w"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	r, err := ProbeLayers(&d, 2, []string{"a", "b"}, ProbeOptions{Seed: 1, Control: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.TestAccuracy[0] != 1 || len(r.ControlAccuracy) != 1 || r.ControlAccuracy[0] > 0.75 {
		t.Fatalf("accuracy %v, control %v", r.TestAccuracy, r.ControlAccuracy)
	}
	if s := r.Selectivity(); s[0] != r.TestAccuracy[0]-r.ControlAccuracy[0] {
		t.Fatalf("selectivity %v", s)
	}
	if (&ProbeResult{TestAccuracy: []float64{1}}).Selectivity() != nil {
		t.Fatal("selectivity without a control task")
	}
}
