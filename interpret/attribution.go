package interpret

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/plots"
)

// Attribution is how much each input token contributed to a target score,
// by one method (saliency, input × gradient, integrated gradients). It shows
// in a notebook as the text coloured by contribution (green for, red
// against).
type Attribution struct {
	// Method names the method, e.g. "integrated gradients (gausslegendre, 50 steps)".
	Method string
	// Target names the explained score.
	Target string
	// Tokens are the input tokens; Scores their attributions (summed over the
	// hidden dimension of the embedding output).
	Tokens []string
	Scores []float64
	// Score is the target score of the input, Baseline that of the baseline
	// (integrated gradients only).
	Score, Baseline float64
	// Delta is IG's convergence delta Σ attributions − (F(x) − F(baseline)),
	// zero for an exact integral (integrated gradients only).
	Delta float64
	// Steps is the number of integration points (integrated gradients only).
	Steps int
}

// Normalized returns the scores divided by their L2 norm (captum's BERT
// tutorial's summarize_attributions), so that methods can be compared.
func (a *Attribution) Normalized() []float64 {
	var s float64
	for _, v := range a.Scores {
		s += v * v
	}
	out := make([]float64, len(a.Scores))
	if s == 0 {
		return out
	}
	s = math.Sqrt(s)
	for i, v := range a.Scores {
		out[i] = v / s
	}
	return out
}

// HTML renders the tokens as coloured text: each token's background is green
// (positive) or red (negative) with an opacity proportional to |score| /
// max |score|, and the score is in its tooltip.
func (a *Attribution) HTML() string {
	var maxAbs float64
	for _, v := range a.Scores {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div style="font-family:sans-serif;line-height:2"><div style="font-size:smaller;color:#555">%s — %s</div>`,
		html.EscapeString(a.Method), html.EscapeString(a.Target))
	for i, tok := range a.Tokens {
		v := a.Scores[i]
		alpha := 0.0
		if maxAbs > 0 {
			alpha = math.Abs(v) / maxAbs
		}
		rgb := "0,150,0"
		if v < 0 {
			rgb = "200,0,0"
		}
		fmt.Fprintf(&b, `<span title="%.4g" style="background:rgba(%s,%.2f);padding:2px 3px;margin:1px;border-radius:3px">%s</span>`,
			v, rgb, alpha, html.EscapeString(tok))
	}
	if a.Steps > 0 {
		fmt.Fprintf(&b, `<div style="font-size:smaller;color:#555">F(x) = %.4g, F(baseline) = %.4g, convergence delta = %.3g</div>`, a.Score, a.Baseline, a.Delta)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// BarChart draws the attributions as one bar per token.
func (a *Attribution) BarChart() *plots.Bar {
	cats := make([]string, len(a.Tokens))
	for i, t := range a.Tokens {
		cats[i] = fmt.Sprintf("%d:%s", i, t)
	}
	b := plots.Bars(a.Method, cats, a.Scores)
	b.YLabel = "attribution"
	return b
}

// MIMEBundle shows the coloured text in a notebook.
func (a *Attribution) MIMEBundle() display.Bundle { return display.Render(display.HTML(a.HTML())) }

// String lists the tokens with their scores.
func (a *Attribution) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s):", a.Method, a.Target)
	for i, t := range a.Tokens {
		fmt.Fprintf(&b, " %s=%.3g", t, a.Scores[i])
	}
	return b.String()
}
