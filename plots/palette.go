package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
)

// Palette maps a value in [0, 1] to a colour for heat maps and their colour
// bars. Sequential suits values with a natural low end (attention weights in
// [0,1], counts, probabilities); Diverging suits signed values (attributions,
// activation differences), with white at zero.
type Palette int

const (
	// Sequential is viridis: dark purple (low) through teal to yellow (high),
	// perceptually uniform and readable in grey-scale and by most colour-blind readers.
	Sequential Palette = iota
	// Diverging is ColorBrewer's RdBu, reversed: dark blue (most negative)
	// through white (zero, the middle) to dark red (most positive).
	Diverging
)

// Control points of the palettes, evenly spaced over [0, 1]; At interpolates
// linearly between neighbours in sRGB.
var (
	viridis = []color.RGBA{
		{0x44, 0x01, 0x54, 0xff}, {0x47, 0x2d, 0x7b, 0xff}, {0x3b, 0x52, 0x8b, 0xff},
		{0x2c, 0x72, 0x8e, 0xff}, {0x21, 0x91, 0x8c, 0xff}, {0x28, 0xae, 0x80, 0xff},
		{0x5e, 0xc9, 0x62, 0xff}, {0xad, 0xdc, 0x30, 0xff}, {0xfd, 0xe7, 0x25, 0xff},
	}
	blueWhiteRed = []color.RGBA{
		{0x05, 0x30, 0x61, 0xff}, {0x21, 0x66, 0xac, 0xff}, {0x43, 0x93, 0xc3, 0xff},
		{0x92, 0xc5, 0xde, 0xff}, {0xd1, 0xe5, 0xf0, 0xff}, {0xf7, 0xf7, 0xf7, 0xff},
		{0xfd, 0xdb, 0xc7, 0xff}, {0xf4, 0xa5, 0x82, 0xff}, {0xd6, 0x60, 0x4d, 0xff},
		{0xb2, 0x18, 0x2b, 0xff}, {0x67, 0x00, 0x1f, 0xff},
	}
)

// String names the palette.
func (p Palette) String() string {
	switch p {
	case Sequential:
		return "Sequential"
	case Diverging:
		return "Diverging"
	}
	return fmt.Sprintf("Palette(%d)", int(p))
}

// controls returns the palette's control points; unknown palettes panic.
func (p Palette) controls() []color.RGBA {
	switch p {
	case Sequential:
		return viridis
	case Diverging:
		return blueWhiteRed
	}
	panic(fmt.Sprintf("plots: unknown palette %d (want plots.Sequential or plots.Diverging)", int(p)))
}

// At returns the palette's colour at t, where 0 is the low end and 1 the top;
// t outside [0, 1] is clamped and NaN gives transparent. At(1) is the colour of
// a heat map's hottest cell.
func (p Palette) At(t float64) color.RGBA {
	cs := p.controls()
	if math.IsNaN(t) {
		return color.RGBA{}
	}
	t = math.Max(0, math.Min(1, t))
	pos := t * float64(len(cs)-1)
	i := int(pos)
	if i >= len(cs)-1 {
		return cs[len(cs)-1]
	}
	f := pos - float64(i)
	lerp := func(a, b uint8) uint8 { return uint8(float64(a) + f*(float64(b)-float64(a)) + 0.5) }
	a, b := cs[i], cs[i+1]
	return color.RGBA{lerp(a.R, b.R), lerp(a.G, b.G), lerp(a.B, b.B), 0xff}
}

// Top returns the palette's colour for the highest value, At(1).
func (p Palette) Top() color.RGBA { return p.At(1) }

// Bottom returns the palette's colour for the lowest value, At(0).
func (p Palette) Bottom() color.RGBA { return p.At(0) }

// colorMap adapts a Palette over the value range [min, max] to gonum's
// palette.ColorMap, which gonum's colour bar draws.
type colorMap struct {
	pal      Palette
	min, max float64
}

// colorMap is a palette.ColorMap.
var _ palette.ColorMap = (*colorMap)(nil)

// At returns the colour of value v.
func (m *colorMap) At(v float64) (color.Color, error) {
	if v < m.min || v > m.max {
		return nil, fmt.Errorf("plots: value %g outside the colour range [%g, %g]", v, m.min, m.max)
	}
	return m.pal.At(m.norm(v)), nil
}

// norm maps v from [min, max] to [0, 1].
func (m *colorMap) norm(v float64) float64 {
	if m.max == m.min {
		return 1
	}
	return (v - m.min) / (m.max - m.min)
}

// Max returns the value mapped to the palette's top.
func (m *colorMap) Max() float64 { return m.max }

// SetMax sets the value mapped to the palette's top.
func (m *colorMap) SetMax(v float64) { m.max = v }

// Min returns the value mapped to the palette's bottom.
func (m *colorMap) Min() float64 { return m.min }

// SetMin sets the value mapped to the palette's bottom.
func (m *colorMap) SetMin(v float64) { m.min = v }

// Alpha is always 1: heat maps are opaque.
func (m *colorMap) Alpha() float64 { return 1 }

// SetAlpha is ignored: heat maps are opaque.
func (m *colorMap) SetAlpha(a float64) {}

// Palette returns n colours evenly spaced from the bottom to the top.
func (m *colorMap) Palette(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		cs[i] = m.pal.At(float64(i) / float64(max(n-1, 1)))
	}
	return palettes(cs)
}

// palettes is a plain list of colours as gonum's palette.Palette.
type palettes []color.Color

// Colors returns the list.
func (p palettes) Colors() []color.Color { return p }
