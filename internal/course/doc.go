// Package course turns the course's instructor notebooks into student
// versions, in the nbgrader convention every notebook's exercises follow.
//
// An exercise is a markdown cell (`### Exercise N — title`), a solution cell
// and a check cell. The solution cell defines Go functions whose bodies hold
// the instructor's solution between two marker lines:
//
//	func l2Grad(x, y, w *autograd.Tensor, lambda float64) *autograd.Tensor {
//		// BEGIN SOLUTION
//		...
//		// END SOLUTION
//	}
//
// The student version replaces each such region, markers included, by
//
//	// YOUR CODE HERE
//	panic("exercise not done yet")
//
// at the markers' indentation, so the solution cell still compiles (it only
// defines functions, and panic ends a function with results) and the check
// cell, which calls the functions, is the one that fails. Lines between
// `// BEGIN HIDDEN TESTS` and `// END HIDDEN TESTS` in a check cell are
// removed. Every code cell loses its outputs and execution count; the cells'
// metadata (nbgrader's grade ids, points and locks, the exercise-setup tag)
// is kept, so the student notebooks also work with nbgrader itself.
//
// Markers are checked: a region that is not closed, an END without a BEGIN,
// nested regions, a solution region outside a solution cell or at the top
// level of a cell (outside any function body, where the stub would not
// compile) are errors that name the notebook, the cell and the line.
package course
