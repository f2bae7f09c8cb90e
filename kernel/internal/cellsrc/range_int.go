package cellsrc

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strings"
)

// yaegi v0.16.1 predates Go 1.22's range over an integer: `for i := range 10`
// makes it panic with "nil type" and no position, inside functions as well as
// at the top level. The session rewrites every range over an expression it can
// tell is an integer into the three-clause loop that Go defines it to be:
//
//	for i := range n {   →  for _tlI, _tlN := (n)-(n), n; _tlI < _tlN; _tlI++ { i := _tlI;
//	for range len(xs) {  →  for _tlI, _tlN := (len(xs))-(len(xs)), len(xs); _tlI < _tlN; _tlI++ {
//
// (n)-(n) gives the counter the type of n, as range does; _tlN holds the bound
// evaluated before the loop, as range does; and i is declared afresh in each
// iteration, as with range, so closures keep their iteration's value and
// changing i in the body does not change the iterations. (The hidden names
// carry the loop's offset in the cell, so nested loops never share them.) Only side-effect-free expressions
// are copied that way; a call of a function returning int is evaluated once
// (`i, _tlN := 0, f()`).
//
// Without type-checking, "is an integer" is decided from the syntax and what
// the session knows: integer literals, len and cap, conversions to integer
// types, arithmetic on integers, names declared only as integers in the
// enclosing functions or the cell (parameters, var, :=, const), the session's
// integer globals and their integer fields, integer constants and variables of
// compiled packages, and calls of functions whose result is int. A range over
// an integer the session cannot see (a field of a function's local struct, say)
// is left alone and fails with a message that says what to write instead.

// intTypeNames are the predeclared integer types.
var intTypeNames = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"uintptr": true, "byte": true, "rune": true,
}

// intScope is what one function (or the cell's top level) declares: the
// names declared only as integers, and those declared at least once as
// something else.
type intScope struct {
	ints, others map[string]bool
	parent       *intScope
}

func newIntScope(parent *intScope) *intScope {
	return &intScope{ints: map[string]bool{}, others: map[string]bool{}, parent: parent}
}

// declare records a declaration of name; isInt says whether it is an integer.
func (sc *intScope) declare(name string, isInt bool) {
	if name == "_" {
		return
	}
	if isInt && !sc.others[name] {
		sc.ints[name] = true
		return
	}
	delete(sc.ints, name)
	sc.others[name] = true
}

// rangeRewriter finds the ranges over integers of a cell and rewrites them.
type rangeRewriter struct {
	p         *Cell
	ed        *Editor
	names     Names
	cellFuncs map[string]*ast.FuncDecl
}

// RewriteRangeOverInt rewrites the ranges over integers in the cell's
// declarations and statements (see the comment at the top of this file);
// names tells the types of what the session has defined before the cell.
func RewriteRangeOverInt(p *Cell, ed *Editor, names Names) {
	rw := &rangeRewriter{p: p, ed: ed, names: names, cellFuncs: map[string]*ast.FuncDecl{}}
	for _, d := range p.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Recv == nil {
			rw.cellFuncs[f.Name.Name] = f
		}
	}
	top := newIntScope(nil)
	for _, d := range p.Decls {
		if g, ok := d.(*ast.GenDecl); ok {
			rw.declareGen(top, g)
		}
	}
	for _, st := range p.Stmts {
		rw.collect(top, st)
	}
	for _, d := range p.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Body != nil {
			sc := newIntScope(top)
			rw.declareFields(sc, f.Recv)
			rw.declareFields(sc, f.Type.Params)
			rw.declareFields(sc, f.Type.Results)
			rw.collect(sc, f.Body)
			rw.rewrite(sc, f.Body)
		} else {
			rw.rewrite(top, d)
		}
	}
	for _, st := range p.Stmts {
		rw.rewrite(top, st)
	}
}

// declareFields records parameters (and results, receivers).
func (rw *rangeRewriter) declareFields(sc *intScope, fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		id, ok := f.Type.(*ast.Ident)
		for _, n := range f.Names {
			sc.declare(n.Name, ok && intTypeNames[id.Name])
		}
	}
}

// declareGen records the names of a var or const declaration.
func (rw *rangeRewriter) declareGen(sc *intScope, g *ast.GenDecl) {
	if g.Tok != token.VAR && g.Tok != token.CONST {
		return
	}
	for _, spec := range g.Specs {
		vs, ok := spec.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for i, n := range vs.Names {
			switch {
			case vs.Type != nil:
				id, ok := vs.Type.(*ast.Ident)
				sc.declare(n.Name, ok && intTypeNames[id.Name])
			case len(vs.Values) == len(vs.Names):
				sc.declare(n.Name, rw.isInt(sc, vs.Values[i]))
			default:
				sc.declare(n.Name, false)
			}
		}
	}
}

// collect records every declaration in n that belongs to scope sc (nested
// function literals have their own scopes, made when they are rewritten).
func (rw *rangeRewriter) collect(sc *intScope, n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GenDecl:
			rw.declareGen(sc, x)
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				return true
			}
			for i, l := range x.Lhs {
				id, ok := l.(*ast.Ident)
				if !ok {
					continue
				}
				sc.declare(id.Name, len(x.Lhs) == len(x.Rhs) && rw.isInt(sc, x.Rhs[i]))
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				keyIsInt := rw.isInt(sc, x.X)
				if id, ok := x.Key.(*ast.Ident); ok {
					sc.declare(id.Name, keyIsInt)
				}
				if id, ok := x.Value.(*ast.Ident); ok {
					sc.declare(id.Name, false)
				}
			}
		}
		return true
	})
}

// rewrite edits the ranges over integers in n, in scope sc.
func (rw *rangeRewriter) rewrite(sc *intScope, n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			inner := newIntScope(sc)
			rw.declareFields(inner, x.Type.Params)
			rw.declareFields(inner, x.Type.Results)
			rw.collect(inner, x.Body)
			rw.rewrite(inner, x.Body)
			return false
		case *ast.RangeStmt:
			if x.Value == nil && rw.isInt(sc, x.X) {
				rw.rewriteOne(sc, x)
			}
		}
		return true
	})
}

// rewriteOne turns one range over an integer into a three-clause loop.
func (rw *rangeRewriter) rewriteOne(sc *intScope, r *ast.RangeStmt) {
	p := rw.p
	xs := p.Src[p.Offset(r.X.Pos()):p.Offset(r.X.End())]
	if strings.Contains(xs, "\n") {
		return // edits never add lines
	}
	// The loop counts with hidden variables named after the loop's offset, so
	// nested loops never share them; a named key is declared afresh at the top
	// of the body (an own variable per iteration, as with range).
	id := p.Offset(r.For)
	counter, bound := fmt.Sprintf("_tlI%d", id), fmt.Sprintf("_tlN%d", id)
	key := ""
	start := p.Offset(r.Range)
	if r.Key != nil {
		start = p.Offset(r.Key.Pos())
		if k, ok := r.Key.(*ast.Ident); ok && k.Name != "_" {
			key = k.Name
		}
	}
	pure := isPure(r.X)
	var text string
	switch {
	case r.Tok == token.ASSIGN && key != "":
		if !pure {
			return
		}
		text = fmt.Sprintf("%s = (%s)-(%s); %s < (%s); %s++", key, xs, xs, key, xs, key)
		key = "" // assigned, not declared: nothing to copy
	case pure:
		text = fmt.Sprintf("%s, %s := (%s)-(%s), %s; %s < %s; %s++", counter, bound, xs, xs, xs, counter, bound, counter)
	case rw.resultTypeOf(r.X) == "int":
		text = fmt.Sprintf("%s, %s := 0, %s; %s < %s; %s++", counter, bound, xs, counter, bound, counter)
	default:
		return
	}
	rw.ed.Edits = append(rw.ed.Edits, Edit{Start: start, End: p.Offset(r.X.End()), Text: text})
	if key != "" {
		body := p.Offset(r.Body.Lbrace) + 1
		rw.ed.Edits = append(rw.ed.Edits, Edit{Start: body, End: body, Text: " " + key + " := " + counter + ";"})
	}
}

// isPure reports whether e can be evaluated twice without a difference: no
// calls other than len, cap and conversions to integer types, no receives.
func isPure(e ast.Expr) bool {
	pure := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			id, ok := x.Fun.(*ast.Ident)
			if !ok || !(id.Name == "len" || id.Name == "cap" || intTypeNames[id.Name]) {
				pure = false
			}
		case *ast.UnaryExpr:
			if x.Op == token.ARROW {
				pure = false
			}
		case *ast.FuncLit:
			pure = false
		}
		return pure
	})
	return pure
}

// isInt reports whether e is certainly an integer (see the top of this file).
func (rw *rangeRewriter) isInt(sc *intScope, e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT || x.Kind == token.CHAR
	case *ast.ParenExpr:
		return rw.isInt(sc, x.X)
	case *ast.UnaryExpr:
		return (x.Op == token.SUB || x.Op == token.ADD || x.Op == token.XOR) && rw.isInt(sc, x.X)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.SHL, token.SHR:
			return rw.isInt(sc, x.X)
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.AND, token.OR, token.XOR, token.AND_NOT:
			return rw.isInt(sc, x.X) || rw.isInt(sc, x.Y)
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && (id.Name == "len" || id.Name == "cap" || intTypeNames[id.Name]) {
			return true
		}
		return intTypeNames[rw.resultTypeOf(x)]
	case *ast.Ident:
		for s := sc; s != nil; s = s.parent {
			if s.ints[x.Name] {
				return true
			}
			if s.others[x.Name] {
				return false
			}
		}
		if t, ok := rw.names.VarType(x.Name); ok {
			return isIntKind(t)
		}
		if t, ok := rw.names.ConstType(x.Name); ok {
			return isIntKind(t)
		}
	case *ast.SelectorExpr:
		if t, ok := rw.selectorType(sc, x); ok {
			return isIntKind(t)
		}
	}
	return false
}

// selectorType returns the type of pkg.Name (a compiled package's constant or
// variable) or of global.Field.Field... (fields of a session global).
func (rw *rangeRewriter) selectorType(sc *intScope, x *ast.SelectorExpr) (reflect.Type, bool) {
	if id, ok := x.X.(*ast.Ident); ok {
		if path, ok := rw.names.Package(id.Name); ok {
			v, ok := rw.names.Symbol(path, x.Sel.Name)
			if !ok || v.Kind() == reflect.Func {
				return nil, false
			}
			t := v.Type()
			if t.Kind() == reflect.Pointer && v.IsNil() {
				return nil, false // a type, exported as (*T)(nil)
			}
			if t.Kind() == reflect.Pointer {
				t = t.Elem() // a variable, exported as its address
			}
			return t, true
		}
		for s := sc; s != nil; s = s.parent {
			if s.ints[id.Name] || s.others[id.Name] {
				return nil, false // a local shadows any global
			}
		}
		t, ok := rw.names.VarType(id.Name)
		if !ok {
			return nil, false
		}
		return fieldType(t, x.Sel.Name)
	}
	if inner, ok := x.X.(*ast.SelectorExpr); ok {
		if t, ok := rw.selectorType(sc, inner); ok {
			return fieldType(t, x.Sel.Name)
		}
	}
	return nil, false
}

// fieldType is the type of field name of a struct (or pointer to struct) type.
func fieldType(t reflect.Type, name string) (reflect.Type, bool) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	f, ok := t.FieldByName(name)
	if !ok {
		return nil, false
	}
	return f.Type, true
}

// resultTypeOf returns the name of the single result type of a call of a cell
// function or of a compiled package function, or "".
func (rw *rangeRewriter) resultTypeOf(e ast.Expr) string {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return ""
	}
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		if f, ok := rw.cellFuncs[fn.Name]; ok {
			if f.Type.Results.NumFields() == 1 {
				if id, ok := f.Type.Results.List[0].Type.(*ast.Ident); ok {
					return id.Name
				}
			}
			return ""
		}
		return rw.names.FuncResult(fn.Name)
	case *ast.SelectorExpr:
		if id, ok := fn.X.(*ast.Ident); ok {
			if path, ok := rw.names.Package(id.Name); ok {
				if v, ok := rw.names.Symbol(path, fn.Sel.Name); ok && v.Kind() == reflect.Func && v.Type().NumOut() == 1 {
					if t := v.Type().Out(0); isIntKind(t) && t.PkgPath() == "" {
						return t.Name()
					}
				}
			}
		}
	}
	return ""
}

// isIntKind reports whether t is an integer type (named or not).
func isIntKind(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}
