package session

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// yaegi v0.16.1 predates Go 1.21's built-ins min, max and clear ("undefined:
// max"). The session gives them their Go meaning:
//
//	min(a, b, c)  →  _tlmin(a, b, c)   (an interpreted generic function)
//	clear(m)      →  _tl.Clear(m)      (a compiled helper, through reflection)
//
// _tlmin and _tlmax take any ordered type (integers, floats, strings and types
// defined on them) and follow the spec: a NaN argument gives NaN, and of two
// equal zeros min picks -0.0 and max +0.0. Untyped constants take the type of
// the other arguments, as in Go: constant arguments are moved after the others
// (constants have no side effects, and the result does not depend on the
// order), so a generic type is inferred from a typed argument. A call whose
// arguments are all literal constants is a constant in Go; the session
// computes it (go/constant) and writes the result in place of the call, with
// the kind Go gives it (min(1, 2.5) is the untyped float 1.0).
//
// A min, max or clear that the cell or an earlier cell declares (a func, a
// variable, a parameter, a local) shadows the built-in, as in Go: only names
// that resolve to nothing the session knows are rewritten.

// builtinPrelude declares the generic helpers in every new interpreter, one
// line each (see newInterpreter). Every name in it, down to the type
// parameter and the locals, starts with _tl like all code the session
// injects: yaegi resolves an earlier generic function's type parameter
// against the globals declared since, so a cell's `T := 5` made every later
// min or max fail with "undefined type for T".
var builtinPrelude = []string{
	`type _tlOrdered interface { ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string }`,
	`func _tlneg(_tlv interface{}) bool { _tls := _tlfmt.Sprint(_tlv); return len(_tls) > 0 && _tls[0] == '-' }`,
	`func _tlmin[_tlT _tlOrdered](_tlx _tlT, _tlys ..._tlT) _tlT { for _, _tly := range _tlys { if _tlx != _tlx { return _tlx }; if _tly != _tly { return _tly }; if _tly < _tlx || _tly == _tlx && _tlneg(_tly) { _tlx = _tly } }; return _tlx }`,
	`func _tlmax[_tlT _tlOrdered](_tlx _tlT, _tlys ..._tlT) _tlT { for _, _tly := range _tlys { if _tlx != _tlx { return _tlx }; if _tly != _tly { return _tly }; if _tly > _tlx || _tly == _tlx && _tlneg(_tlx) { _tlx = _tly } }; return _tlx }`,
}

// clearValue is the built-in clear for the interpreter (_tl.Clear): it
// deletes every entry of a map, or sets every element of a slice to its zero
// value. A nil map or slice is left alone, as in Go.
func clearValue(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map:
		v.Clear()
	case reflect.Slice:
		v.Clear()
	case reflect.Invalid:
	default:
		panic(fmt.Sprintf("invalid argument: clear(%T): the argument must be a map or a slice", x))
	}
}

// builtinRewriter rewrites the uses of min, max and clear in one cell.
type builtinRewriter struct {
	p        *cellsrc.Cell
	ed       *cellsrc.Editor
	shadowed map[string]bool // names the cell or the registry declares
}

// rewriteBuiltins rewrites the cell's calls of min, max and clear (see the
// comment at the top of this file).
func (s *Session) rewriteBuiltins(p *cellsrc.Cell, ed *cellsrc.Editor, reg *registry) {
	rw := &builtinRewriter{p: p, ed: ed, shadowed: map[string]bool{}}
	for _, n := range []string{"min", "max", "clear"} {
		if reg.lookup(n) != nil || reg.hasVar(n) {
			rw.shadowed[n] = true
		}
	}
	for _, d := range p.Decls {
		if _, names, _ := declInfo(d); len(names) > 0 {
			for _, n := range names {
				rw.shadowed[n] = true
			}
		}
	}
	var calls []*ast.CallExpr
	collect := func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && (id.Name == "min" || id.Name == "max" || id.Name == "clear") && id.Obj == nil && !rw.shadowed[id.Name] {
				calls = append(calls, c)
			}
		}
		return true
	}
	p.Inspect(collect)
	// Inner calls first, so an outer call that moves its arguments moves
	// their rewritten text.
	for i := len(calls) - 1; i >= 0; i-- {
		rw.rewrite(calls[i])
	}
}

// rewrite rewrites one call.
func (rw *builtinRewriter) rewrite(c *ast.CallExpr) {
	p, id := rw.p, c.Fun.(*ast.Ident)
	start, end := p.Offset(c.Pos()), p.Offset(c.End())
	if id.Name == "clear" {
		rw.ed.Edits = append(rw.ed.Edits, cellsrc.Edit{Start: p.Offset(id.Pos()), End: p.Offset(id.End()), Text: "_tl.Clear"})
		return
	}
	if text, ok := constantMinMax(id.Name, c.Args, p.Src[start:end]); ok {
		rw.ed.Edits = append(rw.ed.Edits, cellsrc.Edit{Start: start, End: end, Text: text})
		return
	}
	rw.ed.Edits = append(rw.ed.Edits, cellsrc.Edit{Start: p.Offset(id.Pos()), End: p.Offset(id.End()), Text: "_tl" + id.Name})
	// Constant arguments after the others.
	order := make([]int, len(c.Args))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return !cellsrc.IsConstantLiteral(c.Args[order[a]]) && cellsrc.IsConstantLiteral(c.Args[order[b]])
	})
	moved := false
	for i, j := range order {
		moved = moved || i != j
	}
	if !moved || c.Ellipsis.IsValid() {
		return
	}
	texts := make([]string, len(c.Args))
	for i, a := range c.Args {
		texts[i] = rw.ed.Text(p.Offset(a.Pos()), p.Offset(a.End()))
		if strings.Contains(texts[i], "\n") {
			return // edits never add or remove lines
		}
	}
	argStart, argEnd := p.Offset(c.Args[0].Pos()), p.Offset(c.Args[len(c.Args)-1].End())
	if strings.Contains(p.Src[argStart:argEnd], "\n") {
		return
	}
	kept := rw.ed.Edits[:0]
	for _, e := range rw.ed.Edits {
		if e.Start < argStart || e.End > argEnd {
			kept = append(kept, e)
		}
	}
	rw.ed.Edits = kept
	parts := make([]string, len(order))
	for i, j := range order {
		parts[i] = texts[j]
	}
	rw.ed.Edits = append(rw.ed.Edits, cellsrc.Edit{Start: argStart, End: argEnd, Text: strings.Join(parts, ", ")})
}

// constantValue evaluates a literal constant.
func constantValue(e ast.Expr) constant.Value {
	switch x := e.(type) {
	case *ast.BasicLit:
		return constant.MakeFromLiteral(x.Value, x.Kind, 0)
	case *ast.ParenExpr:
		return constantValue(x.X)
	case *ast.UnaryExpr:
		return constant.UnaryOp(x.Op, constantValue(x.X), 0)
	}
	return constant.MakeUnknown()
}

// constantMinMax computes min or max of arguments that are all literal
// constants, as Go does at compile time: the result is the smallest (largest)
// value, of the largest kind among the arguments (int < rune < float).
func constantMinMax(name string, args []ast.Expr, call string) (string, bool) {
	if len(args) == 0 || strings.Contains(call, "\n") {
		return "", false
	}
	best, kind := -1, token.INT
	var vals []constant.Value
	for i, a := range args {
		if !cellsrc.IsConstantLiteral(a) {
			return "", false
		}
		v := constantValue(a)
		if v.Kind() == constant.Unknown || v.Kind() == constant.Complex {
			return "", false
		}
		vals = append(vals, v)
		if k := literalKind(a); k == token.STRING || kindRank(k) > kindRank(kind) {
			kind = k
		}
		if i > 0 && (vals[0].Kind() == constant.String) != (v.Kind() == constant.String) {
			return "", false // mixed strings and numbers: let the compiler say so
		}
		op := token.LSS
		if name == "max" {
			op = token.GTR
		}
		if best < 0 || constant.Compare(v, op, vals[best]) {
			best = i
		}
	}
	v := vals[best]
	switch kind {
	case token.STRING, token.INT:
		return "(" + v.ExactString() + ")", true
	case token.CHAR:
		if r, ok := constant.Int64Val(v); ok && literalKind(args[best]) == token.CHAR {
			return "(" + strconv.QuoteRune(rune(r)) + ")", true
		}
		return "", false
	case token.FLOAT:
		f, _ := constant.Float64Val(constant.ToFloat(v))
		s := fmt.Sprintf("%v", f)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return "(" + s + ")", true
	}
	return "", false
}

// literalKind is the token kind of a literal constant (INT, FLOAT, CHAR, STRING).
func literalKind(e ast.Expr) token.Token {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind
	case *ast.ParenExpr:
		return literalKind(x.X)
	case *ast.UnaryExpr:
		return literalKind(x.X)
	}
	return token.ILLEGAL
}

// kindRank orders the kinds of untyped numeric constants.
func kindRank(k token.Token) int {
	return map[token.Token]int{token.INT: 0, token.CHAR: 1, token.FLOAT: 2, token.IMAG: 3}[k]
}
