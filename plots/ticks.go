package plots

import (
	"math"
	"strconv"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// maxLabelRunes is how long a tick label (a token, a class name) may be before
// it is truncated with an ellipsis, so a long word cannot push the plot aside.
const maxLabelRunes = 12

// truncate shortens s to maxLabelRunes runes, ending in "…" when it cut.
func truncate(s string) string {
	if utf8.RuneCountInString(s) <= maxLabelRunes {
		return s
	}
	r := []rune(s)
	return string(r[:maxLabelRunes-1]) + "…"
}

// tickFontSize picks a tick-label size for n labels along an axis of the given
// length: the house size when they fit, smaller for dense axes, but never below
// 6.5 pt; past that, labelStride labels only some positions instead.
func tickFontSize(n int, axis vg.Length) vg.Length {
	if n <= 0 {
		return tickSize
	}
	s := axis / vg.Length(n) / 1.15
	return max(vg.Points(6.5), min(tickSize, s))
}

// strides are the label spacings a dense axis may use: round numbers, so the
// labelled positions read 0, 5, 10, ... or 0, 16, 32, ...
var strides = []int{1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200, 250, 500, 1000}

// labelStride returns the smallest round k such that labelling every k-th of n
// positions keeps the labels (of the given extent along the axis) from
// overlapping on an axis of length axis.
func labelStride(n int, axis, extent vg.Length) int {
	if n <= 0 || axis <= 0 || extent <= 0 {
		return 1
	}
	fit := max(1, int(axis/(extent*1.15)))
	need := (n + fit - 1) / fit
	for _, k := range strides {
		if k >= need {
			return k
		}
	}
	return need
}

// indexTicks returns ticks at positions pos(0..n-1) labelled with labels (or the
// indices if labels is nil), truncated, labelling every stride-th position and
// marking the others with unlabelled minor ticks.
func indexTicks(n int, labels []string, stride int, pos func(i int) float64) plot.ConstantTicks {
	ticks := make(plot.ConstantTicks, 0, n)
	for i := 0; i < n; i++ {
		t := plot.Tick{Value: pos(i)}
		if i%stride == 0 {
			if labels != nil {
				t.Label = truncate(labels[i])
			} else {
				t.Label = strconv.Itoa(i)
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// longest returns the largest rune count among labels.
func longest(labels []string) int {
	n := 0
	for _, l := range labels {
		n = max(n, utf8.RuneCountInString(truncate(l)))
	}
	return n
}

// niceTicks is the tick marker for numeric axes: about six major ticks at
// round steps (1, 2, 2.5 or 5 × 10^k) labelled with just the digits the step
// needs ("0.25", "1000", not "1000.00").
type niceTicks struct{}

// Ticks returns the ticks covering [lo, hi].
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return []plot.Tick{{Value: lo, Label: formatTick(lo, 1)}}
	}
	step := niceStep((hi - lo) / 6)
	var ticks []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: formatTick(v, step)})
	}
	return ticks
}

// niceStep rounds raw up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// formatTick writes v with as many decimals as the step between ticks needs;
// very large or very small values use exponent notation.
func formatTick(v, step float64) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 1e6 || step < 1e-4 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	dec := 0
	for s := step; math.Abs(s-math.Round(s)) > 1e-9*math.Max(1, s) && dec < 10; s *= 10 {
		dec++
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// logTicks is the tick marker for log axes: a minor tick at every 1–9 × 10^k
// in range, labelled at the powers of ten, and also at 2× and 5× when the
// range spans fewer than three of them (a loss falling from 2.3 to 0.2).
type logTicks struct{}

// Ticks returns the ticks covering [lo, hi]; lo must be positive.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return niceTicks{}.Ticks(lo, hi)
	}
	kmin, kmax := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	powers := 0
	for k := kmin; k <= kmax; k++ {
		if v := math.Pow(10, float64(k)); v >= lo && v <= hi {
			powers++
		}
	}
	var ticks []plot.Tick
	for k := kmin; k <= kmax; k++ {
		p := math.Pow(10, float64(k))
		for m := 1; m <= 9; m++ {
			v := float64(m) * p
			if v < lo*(1-1e-12) || v > hi*(1+1e-12) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || (powers < 3 && (m == 2 || m == 5)) {
				t.Label = strconv.FormatFloat(v, 'g', 3, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}
