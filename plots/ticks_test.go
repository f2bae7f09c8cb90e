package plots

import (
	"strings"
	"testing"
)

func TestTruncate(t *testing.T) {
	if got := truncate("representationally"); got != "representat…" {
		t.Errorf("truncate = %q", got)
	}
	if got := truncate("[CLS]"); got != "[CLS]" {
		t.Errorf("short label changed to %q", got)
	}
	if got := truncate("ääääääääääääää"); got != "ääääääääääää"[:len("ä")*11]+"…" {
		t.Errorf("truncate counts bytes, not runes: %q", got)
	}
}

func TestNiceTicks(t *testing.T) {
	var labels []string
	for _, tk := range (niceTicks{}).Ticks(0.13, 2.31) {
		labels = append(labels, tk.Label)
	}
	want := []string{"0.5", "1.0", "1.5", "2.0"}
	if len(labels) != len(want) {
		t.Fatalf("ticks %v, want %v", labels, want)
	}
	for i := range want {
		if labels[i] != want[i] {
			t.Fatalf("ticks %v, want %v", labels, want)
		}
	}
	labels = labels[:0]
	for _, tk := range (niceTicks{}).Ticks(-1000, 9000) {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, " "); got != "0 2000 4000 6000 8000" {
		t.Fatalf("ticks over [-1000, 9000]: %s", got)
	}
}

func TestLabelStrideIsRound(t *testing.T) {
	if k := labelStride(10, 500, 9); k != 1 {
		t.Errorf("10 labels on 500 pt: stride %d, want 1", k)
	}
	if k := labelStride(128, 300, 6.5); k != 4 {
		t.Errorf("128 labels on 300 pt: stride %d, want 4", k)
	}
}
