package cellsrc

import "reflect"

// Names is what a rewrite may ask the session about the names a cell uses
// but does not declare: the session's variables, constants and functions of
// earlier cells, and the compiled packages the cell sees. A rewrite needs it
// where Go's meaning depends on a type (is this range over an integer?).
type Names interface {
	// VarType is the type of the session's variable name; false when name is
	// not one.
	VarType(name string) (reflect.Type, bool)
	// ConstType is the type of the session's constant name; false when name
	// is not one.
	ConstType(name string) (reflect.Type, bool)
	// FuncResult is the name of the one result type of the session's function
	// name (int, float64, a type of the session), or "".
	FuncResult(name string) string
	// Package is the import path of the package the cell sees as name; false
	// when name is not a package (or a variable shadows it).
	Package(name string) (string, bool)
	// Symbol is the exported symbol name of the compiled package path, as
	// yaegi's symbol tables hold it: a function's value, a variable's
	// address, a constant's value, a type as a nil pointer to it.
	Symbol(path, name string) (reflect.Value, bool)
}
