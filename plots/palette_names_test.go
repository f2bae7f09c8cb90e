package plots

import "testing"

// TestPaletteNames checks that a Palette prints as its constant is named,
// and a value outside the set with its type and number.
func TestPaletteNames(t *testing.T) {
	for p, want := range map[Palette]string{
		Sequential: "Sequential",
		Diverging:  "Diverging",
		Palette(7): "Palette(7)",
	} {
		if got := p.String(); got != want {
			t.Errorf("Palette(%d) prints %q, want %q", int(p), got, want)
		}
	}
}
