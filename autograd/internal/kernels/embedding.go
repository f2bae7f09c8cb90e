package kernels

import "fmt"

// GatherRows copies row ids[i] of table (a matrix of rows of cols floats)
// into out[i·cols:(i+1)·cols] for every i: the embedding lookup. It panics
// with the offending position if an id is out of range or out is short.
func GatherRows(table []float32, cols int, ids []int, out []float32) {
	checkRows("GatherRows", table, cols, ids)
	if len(out) < len(ids)*cols {
		panic(fmt.Sprintf("kernels.GatherRows: out has %d elements, %d ids × %d cols need %d", len(out), len(ids), cols, len(ids)*cols))
	}
	for i, id := range ids {
		copy(out[i*cols:(i+1)*cols], table[id*cols:(id+1)*cols])
	}
}

// ScatterAddRows adds grad[i·cols:(i+1)·cols] into row ids[i] of table for
// every i: the gradient of GatherRows with respect to the table, where a
// repeated id accumulates every one of its rows. It panics like GatherRows.
func ScatterAddRows(grad []float32, cols int, ids []int, table []float32) {
	checkRows("ScatterAddRows", table, cols, ids)
	if len(grad) < len(ids)*cols {
		panic(fmt.Sprintf("kernels.ScatterAddRows: grad has %d elements, %d ids × %d cols need %d", len(grad), len(ids), cols, len(ids)*cols))
	}
	for i, id := range ids {
		Saxpy(1, grad[i*cols:(i+1)*cols], table[id*cols:(id+1)*cols])
	}
}

// checkRows panics unless cols is positive, divides len(table), and every
// id is a row of it.
func checkRows(fn string, table []float32, cols int, ids []int) {
	if cols <= 0 || len(table)%cols != 0 {
		panic(fmt.Sprintf("kernels.%s: table of %d elements is not a whole number of rows of %d", fn, len(table), cols))
	}
	rows := len(table) / cols
	for i, id := range ids {
		if id < 0 || id >= rows {
			panic(fmt.Sprintf("kernels.%s: ids[%d] = %d is outside the table's %d rows", fn, i, id, rows))
		}
	}
}
