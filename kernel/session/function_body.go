package session

import "fmt"

// What yaegi cannot compile at the top level of a cell runs as the body of a
// function declared for the cell (kernel/internal/cellsrc/function_body.go),
// whose := variables are kept by _tl.Keep and published as globals after it.

// publish makes the kept := variables of a cell that ran as a function body
// globals of the live interpreter: a global of the same name and type takes the
// value; any other name is declared and given the value as a rebuild carries
// variables (declareCarried).
func (s *Session) publish(kept []carried) {
	var fresh []carried
	for _, k := range kept {
		if slot, ok := varSlot(s.in, k.name); ok && slot.Type() == k.value.Type() {
			slot.Set(k.value)
			continue
		}
		fresh = append(fresh, k)
	}
	if err := s.declareCarried(s.in, fresh); err != nil {
		for _, k := range fresh {
			fmt.Fprintf(s.filter, "note: variable %s could not be kept after the cell (%v)\n", k.name, err)
		}
	}
}
