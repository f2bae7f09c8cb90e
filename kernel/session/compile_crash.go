package session

import "strings"

// compileCrashHint explains a nil pointer dereference inside yaegi's
// compiler, which has no position. Its known cause left after cellsrc's
// composite_elements.go: a struct literal with unkeyed fields built from
// elements of a compiled slice held in a global, `pair{victims[0].Text, x}`.
func compileCrashHint(msg string) string {
	if !strings.Contains(msg, "invalid memory address or nil pointer dereference") {
		return msg
	}
	return msg + " (the interpreter crashed compiling this cell. A known cause: a struct literal with unkeyed fields" +
		" taken from elements of a slice of compiled structs held in a variable, pair{victims[0].Text, x};" +
		" name the fields, pair{a: victims[0].Text, b: x}, or declare the slice with its type, var victims []data.Example = ...)"
}
