package plots

import "fmt"

// Tensor is the read-only view of a tensor that the plotting helpers need: its
// shape and its elements in row-major order. It exists so that plots does not
// import the autograd package (the arrows point down: autograd knows nothing of
// plots, and plots knows nothing of autograd); autograd's *Tensor satisfies it
// as it is, and so does any type with these two methods.
type Tensor interface {
	// Shape returns the size of each dimension, outermost first.
	Shape() []int
	// Data returns the elements in row-major order; plots only reads it.
	Data() []float32
}

// tensorValues returns every element of t as float64, checking that the data
// length agrees with the shape. who names the calling helper for error messages.
func tensorValues(who string, t Tensor) []float64 {
	if t == nil {
		panic(fmt.Sprintf("plots.%s: tensor is nil", who))
	}
	shape, data := t.Shape(), t.Data()
	n := 1
	for _, d := range shape {
		n *= d
	}
	if n != len(data) {
		panic(fmt.Sprintf("plots.%s: tensor of shape %v should hold %d elements, its Data has %d", who, shape, n, len(data)))
	}
	out := make([]float64, len(data))
	for i, v := range data {
		out[i] = float64(v)
	}
	return out
}

// tensorMatrix returns a 2-D tensor as rows × cols values in row-major order.
func tensorMatrix(who string, t Tensor) (rows, cols int, values []float64) {
	values = tensorValues(who, t)
	shape := t.Shape()
	if len(shape) != 2 {
		panic(fmt.Sprintf("plots.%s: want a 2-D tensor, got shape %v", who, shape))
	}
	return shape[0], shape[1], values
}

// flatten checks that m is a non-empty rectangular matrix and returns it in
// row-major order.
func flatten(who string, m [][]float64) (rows, cols int, values []float64) {
	if len(m) == 0 || len(m[0]) == 0 {
		panic(fmt.Sprintf("plots.%s: matrix is empty", who))
	}
	rows, cols = len(m), len(m[0])
	values = make([]float64, 0, rows*cols)
	for i, row := range m {
		if len(row) != cols {
			panic(fmt.Sprintf("plots.%s: ragged matrix: row 0 has %d columns, row %d has %d", who, cols, i, len(row)))
		}
		values = append(values, row...)
	}
	return rows, cols, values
}
