package cellsrc

import (
	"go/ast"
	"go/token"
	"sort"
)

// What can be told of Go source without type-checking: the builtin functions
// and predeclared types, and literal constants.

// builtinResults is the number of results of each builtin function, plus one
// (0 means "not a builtin").
var builtinResults = map[string]int{
	"append": 2, "cap": 2, "complex": 2, "copy": 2, "imag": 2, "len": 2, "make": 2,
	"max": 2, "min": 2, "new": 2, "real": 2, "recover": 2,
	"clear": 1, "close": 1, "delete": 1, "panic": 1, "print": 1, "println": 1,
}

// BuiltinResults returns how many results the builtin function name has (1
// for len, 0 for close), and false when name is not a builtin function.
func BuiltinResults(name string) (int, bool) {
	n := builtinResults[name]
	return n - 1, n > 0
}

// BuiltinNames lists the builtin functions, sorted.
func BuiltinNames() []string {
	out := make([]string, 0, len(builtinResults))
	for n := range builtinResults {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// IsPredeclaredType reports whether n names a predeclared type (int, error, any, ...).
func IsPredeclaredType(n string) bool {
	switch n {
	case "bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8",
		"int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64",
		"uintptr", "any":
		return true
	}
	return false
}

// IsConstantLiteral reports whether e is a literal constant: 1, -2.5, "s", 'c'.
func IsConstantLiteral(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return IsConstantLiteral(x.X)
	case *ast.UnaryExpr:
		return (x.Op == token.SUB || x.Op == token.ADD) && IsConstantLiteral(x.X)
	}
	return false
}
