package nn

import (
	"fmt"

	"github.com/turinglab/turinglab/display"
)

// Summary lists a model's parameters, one row each (name, shape, element count,
// whether it is trained), with a final total row, as a table that shows as HTML
// in a notebook and as aligned columns on a terminal. A tensor listed under two
// names (tied weights) is counted once in the total.
func Summary(m Module) display.TableValue {
	var rows [][]any
	for _, p := range m.NamedParameters("") {
		rows = append(rows, []any{p.Name, fmt.Sprint(p.Tensor.Shape()), p.Tensor.Numel(), p.Tensor.RequiresGrad()})
	}
	trainable, total := CountParameters(m)
	rows = append(rows, []any{"total", "", total, fmt.Sprintf("%d trainable", trainable)})
	return display.Table([]string{"parameter", "shape", "elements", "trainable"}, rows)
}
