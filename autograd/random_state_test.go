package autograd

import (
	"strings"
	"testing"
)

func TestRNGStateRoundTrip(t *testing.T) {
	r := NewRNG(7)
	r.NormFloat64() // leaves a spare normal value in the state
	state, err := r.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{r.NormFloat64(), r.Float64(), float64(r.Intn(1000))}
	restored := NewRNG(99)
	if err := restored.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	got := []float64{restored.NormFloat64(), restored.Float64(), float64(restored.Intn(1000))}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("value %d after restoring: %v, want %v", i, got[i], want[i])
		}
	}
	if err := restored.UnmarshalBinary(state[:10]); err == nil || !strings.Contains(err.Error(), "10 bytes") {
		t.Fatalf("a short state: %v", err)
	}
}
