package tokenizer

import "testing"

// TestPaddingNames checks that a Padding prints as HF's padding strategy
// ("do_not_pad", "longest", "max_length"), and a value outside the set with
// its type and number.
func TestPaddingNames(t *testing.T) {
	for p, want := range map[Padding]string{
		NoPadding:    "do_not_pad",
		PadLongest:   "longest",
		PadMaxLength: "max_length",
		Padding(7):   "Padding(7)",
	} {
		if got := p.String(); got != want {
			t.Errorf("Padding(%d) prints %q, want %q", int(p), got, want)
		}
	}
}
