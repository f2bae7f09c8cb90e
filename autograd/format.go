package autograd

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// Printing tensors the way PyTorch does, so a student comparing with a torch
// session sees the same thing: tensor([[1.0000, 2.5000], ...], requires_grad=True).
// Big tensors are abbreviated to their first and last edgeItems per dim.

const (
	summarizeAbove = 1000 // print at most this many elements in full
	edgeItems      = 3    // elements shown at each end of an abbreviated dim
	htmlMaxRows    = 20   // rows and columns of the HTML table before eliding
)

// elemFormatter turns elements into equal-width strings using torch's rules:
// integers print as "3.", others with 4 decimals, and scientific notation when
// the magnitudes span too much (ratio > 1000, or above 1e8, or below 1e-4).
type elemFormatter struct {
	intMode, sciMode bool
	width            int
}

// newElemFormatter chooses the mode from the values that will be shown.
func newElemFormatter(vals []float32) *elemFormatter {
	f := &elemFormatter{intMode: true}
	var finite []float64
	for _, v := range vals {
		x := float64(v)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		finite = append(finite, math.Abs(x))
		if x != math.Trunc(x) {
			f.intMode = false
		}
	}
	if len(finite) > 0 {
		mx, mn := 0.0, math.Inf(1)
		for _, a := range finite {
			mx = math.Max(mx, a)
			if a != 0 {
				mn = math.Min(mn, a)
			}
		}
		if math.IsInf(mn, 1) {
			mn = 0
		}
		if mn != 0 {
			f.sciMode = mx/mn > 1000 || mx > 1e8 || (!f.intMode && mn < 1e-4)
		}
	}
	// Like torch, the common width comes from the non-zero finite values only;
	// a wider zero, nan or inf is printed as is.
	for _, v := range vals {
		x := float64(v)
		if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		if w := len(f.raw(v)); w > f.width {
			f.width = w
		}
	}
	return f
}

// raw formats one value without padding.
func (f *elemFormatter) raw(v float32) string {
	x := float64(v)
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case f.sciMode:
		return fmt.Sprintf("%.4e", x)
	case f.intMode:
		return fmt.Sprintf("%.0f.", x)
	}
	return fmt.Sprintf("%.4f", x)
}

// format pads one value to the common width.
func (f *elemFormatter) format(v float32) string {
	s := f.raw(v)
	if len(s) >= f.width {
		return s
	}
	return strings.Repeat(" ", f.width-len(s)) + s
}

// shownIndices lists the indices of a dim of size n that are printed; -1 marks
// the "..." gap of an abbreviated dim.
func shownIndices(n int, summarize bool) []int {
	var idx []int
	if summarize && n > 2*edgeItems {
		for i := 0; i < edgeItems; i++ {
			idx = append(idx, i)
		}
		idx = append(idx, -1)
		for i := n - edgeItems; i < n; i++ {
			idx = append(idx, i)
		}
		return idx
	}
	for i := 0; i < n; i++ {
		idx = append(idx, i)
	}
	return idx
}

// collectShown gathers the values that will be printed, to pick the format.
func (t *Tensor) collectShown(summarize bool) []float32 {
	var vals []float32
	var walk func(dim, off int)
	walk = func(dim, off int) {
		if dim == len(t.shape) {
			vals = append(vals, t.data[off])
			return
		}
		for _, i := range shownIndices(t.shape[dim], summarize) {
			if i >= 0 {
				walk(dim+1, off+i*t.strides[dim])
			}
		}
	}
	walk(0, t.offset)
	return vals
}

// lineWidth is torch's default print line width; rows of a vector wrap to fit it.
const lineWidth = 80

// body prints the nested brackets, following torch's _tensor_str: indent is the
// column of the first '[', vectors wrap at lineWidth, and an abbreviated dim shows
// "..." between its edge items.
func (t *Tensor) body(f *elemFormatter, summarize bool, indent int) string {
	var walk func(dim, off, indent int) string
	walk = func(dim, off, indent int) string {
		idx := shownIndices(t.shape[dim], summarize)
		if dim == len(t.shape)-1 {
			perLine := max(1, (lineWidth-indent)/(f.width+2))
			var items []string
			for _, i := range idx {
				if i < 0 {
					items = append(items, " ...")
				} else {
					items = append(items, f.format(t.data[off+i*t.strides[dim]]))
				}
			}
			var lines []string
			for s := 0; s < len(items); s += perLine {
				lines = append(lines, strings.Join(items[s:min(s+perLine, len(items))], ", "))
			}
			return "[" + strings.Join(lines, ",\n"+strings.Repeat(" ", indent+1)) + "]"
		}
		var slices []string
		for _, i := range idx {
			if i < 0 {
				slices = append(slices, "...")
				continue
			}
			slices = append(slices, walk(dim+1, off+i*t.strides[dim], indent+1))
		}
		sep := "," + strings.Repeat("\n", len(t.shape)-dim-1) + strings.Repeat(" ", indent+1)
		return "[" + strings.Join(slices, sep) + "]"
	}
	if len(t.shape) == 0 {
		return f.raw(t.data[t.offset])
	}
	return walk(0, t.offset, indent)
}

// String prints the tensor like torch's repr.
func (t *Tensor) String() string {
	summarize := t.Numel() > summarizeAbove
	var sb strings.Builder
	sb.WriteString("tensor(")
	switch {
	case t.Numel() == 0:
		sb.WriteString("[]")
	default:
		f := newElemFormatter(t.collectShown(summarize))
		sb.WriteString(t.body(f, summarize, len("tensor(")))
	}
	if t.Numel() == 0 && len(t.shape) != 1 {
		dims := make([]string, len(t.shape))
		for i, d := range t.shape {
			dims[i] = fmt.Sprint(d)
		}
		fmt.Fprintf(&sb, ", size=(%s)", strings.Join(dims, ", "))
	}
	switch {
	case t.node != nil:
		fmt.Fprintf(&sb, ", grad_fn=<%s>", t.GradFn())
	case t.requiresGrad:
		sb.WriteString(", requires_grad=True")
	}
	sb.WriteString(")")
	return sb.String()
}

// MIMEBundle lets notebooks show a tensor richly: text/plain as String, and for
// 1-D and 2-D tensors a small HTML table (large ones elided in the middle) with
// the shape in the caption.
func (t *Tensor) MIMEBundle() display.Bundle {
	b := display.TextBundle(t.String())
	if t.Dim() == 1 || t.Dim() == 2 {
		b.Data[display.MIMEHTML] = t.htmlTable()
	}
	return b
}

// htmlTable renders a 1-D or 2-D tensor as an HTML table.
func (t *Tensor) htmlTable() string {
	m := t
	if t.Dim() == 1 {
		m = t.Detach().Unsqueeze(0)
	}
	rows, cols := m.shape[0], m.shape[1]
	ri := shownIndices(rows, rows > htmlMaxRows)
	ci := shownIndices(cols, cols > htmlMaxRows)
	var shown []float32
	for _, i := range ri {
		for _, j := range ci {
			if i >= 0 && j >= 0 {
				shown = append(shown, m.data[m.offset+i*m.strides[0]+j*m.strides[1]])
			}
		}
	}
	f := newElemFormatter(shown)
	var sb strings.Builder
	sb.WriteString(`<table style="font-family:monospace;text-align:right">`)
	extra := ""
	if t.requiresGrad {
		extra = ", requires_grad"
	}
	fmt.Fprintf(&sb, "<caption>tensor of shape %s%s</caption>", html.EscapeString(fmt.Sprint(t.shape)), extra)
	for _, i := range ri {
		sb.WriteString("<tr>")
		for _, j := range ci {
			switch {
			case i < 0 && j < 0:
				sb.WriteString("<td>⋱</td>")
			case i < 0:
				sb.WriteString("<td>⋮</td>")
			case j < 0:
				sb.WriteString("<td>…</td>")
			default:
				fmt.Fprintf(&sb, "<td>%s</td>", html.EscapeString(f.raw(m.data[m.offset+i*m.strides[0]+j*m.strides[1]])))
			}
		}
		sb.WriteString("</tr>")
	}
	sb.WriteString("</table>")
	return sb.String()
}
