package cellsrc

import (
	"go/ast"
	"go/scanner"
	"go/token"
	"strconv"
	"strings"
)

// yaegi v0.16.1 computes a return statement's values straight into the
// function's result slots, which are also its named results, and then copies
// them there one by one. With two or more values that goes wrong in two ways:
//
//   - a built-in call (append, len, make, ...) at any position writes its
//     value into the first slot, so `return append(ids, x), append(labels, y)`
//     returned the labels twice, and `return 5, len(s)` returned 5 twice;
//   - a value that reads a named result reads it after an earlier value was
//     stored into it: with named results a and b, `return b, a` returned b
//     twice, `return a+1, a` returned a+1 twice.
//
// The session computes such values into temporaries first, as Go does, and
// returns those (the line keeps its line breaks):
//
//	return append(ids, x), append(labels, y)   →   { var _tlv0 []int = append(ids, x); var _tlv1 []int = append(labels, y); return _tlv0, _tlv1 }
//	return b, nil                              →   { _tlv0 := b; return _tlv0, nil }
//
// A temporary has the result's type where that type is surely not an
// interface (so an untyped value such as `1 << n` gets it, as it would in the
// return); otherwise it has the value's own type and the return converts it.
// Constants, nil and variables that are not results stay in the return.
// Returns with unnamed results are rewritten only when they call a built-in;
// the returns that the recursion guard already turned into one assignment per
// result (recursion_guard.go) are left to it, which is equally exact.

// builtinFuncs are the predeclared functions yaegi compiles as built-ins.
var builtinFuncs = map[string]bool{
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true,
	"delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true,
	"new": true, "panic": true, "print": true, "println": true, "real": true, "recover": true,
}

// RewriteMultiReturns applies the rewrite above to every function of the
// cell. It runs after the recursion guard, whose edits it reads.
func RewriteMultiReturns(p *Cell, ed *Editor) {
	visit := func(n ast.Node) bool {
		switch f := n.(type) {
		case *ast.FuncDecl:
			if f.Body != nil {
				rewriteFuncReturns(p, ed, f.Type, f.Body)
			}
		case *ast.FuncLit:
			rewriteFuncReturns(p, ed, f.Type, f.Body)
		}
		return true
	}
	p.Inspect(visit)
}

// rewriteFuncReturns rewrites the returns of one function (not those of the
// function literals inside it, which are visited on their own).
func rewriteFuncReturns(p *Cell, ed *Editor, ft *ast.FuncType, body *ast.BlockStmt) {
	if ft.Results == nil || ft.Results.NumFields() < 2 {
		return
	}
	var types []ast.Expr       // the type of each result, by position
	named := map[string]bool{} // the names of the results
	for _, f := range ft.Results.List {
		if len(f.Names) == 0 {
			types = append(types, f.Type)
		}
		for _, id := range f.Names {
			types = append(types, f.Type)
			named[id.Name] = true
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch r := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(r.Results) == len(types) && returnNeedsTemps(r, named) && !keywordReplaced(p, ed, r) {
				rewriteReturn(p, ed, r, types, named)
			}
		}
		return true
	})
}

// returnNeedsTemps reports whether a return of several values is one that
// yaegi gets wrong: a value calls a built-in, or the function has named
// results and a value is more than a constant or a variable that is not one
// of them.
func returnNeedsTemps(r *ast.ReturnStmt, named map[string]bool) bool {
	for _, e := range r.Results {
		if callsBuiltin(e) || len(named) > 0 && !staysInReturn(e, named) {
			return true
		}
	}
	return false
}

// callsBuiltin reports whether e calls a predeclared function (or a function
// named like one: the temporary is exact either way).
func callsBuiltin(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok && builtinFuncs[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// staysInReturn reports whether the value e can stay in the return: a
// constant, nil, or a variable that is not a result (reading it cannot see a
// result slot), written on one line.
func staysInReturn(e ast.Expr, named map[string]bool) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return !named[x.Name]
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return staysInReturn(x.X, named)
	case *ast.UnaryExpr:
		return x.Op != token.AND && x.Op != token.ARROW && IsConstantLiteral(x)
	case *ast.BinaryExpr:
		return IsConstantLiteral(x.X) && IsConstantLiteral(x.Y)
	}
	return false
}

// keywordReplaced reports whether an earlier rewrite (the recursion guard's
// one assignment per result) replaced the return's keyword.
func keywordReplaced(p *Cell, ed *Editor, r *ast.ReturnStmt) bool {
	at := p.Offset(r.Return)
	for _, e := range ed.Edits {
		if e.Start == at && e.End > e.Start {
			return true
		}
	}
	return false
}

// rewriteReturn turns one return into a block that computes its values into
// temporaries and returns them. The keyword and the commas are replaced where
// they stand, so a return spread over lines keeps its lines.
func rewriteReturn(p *Cell, ed *Editor, r *ast.ReturnStmt, types []ast.Expr, named map[string]bool) {
	var edits []Edit
	var returned []string
	from := p.Offset(r.Return) // where the keyword or the comma before value i starts
	to := from + len("return")
	for i, e := range r.Results {
		if i > 0 {
			c := commaBetween(p.Src, p.Offset(r.Results[i-1].End()), p.Offset(e.Pos()))
			if c < 0 {
				return // a comma we cannot find: leave the return as written
			}
			from, to = c, c+1
		}
		sep := "; "
		if i == 0 {
			sep = "{ "
		}
		start, end := p.Offset(e.Pos()), p.Offset(e.End())
		if staysInReturn(e, named) && !callsBuiltin(e) && !strings.Contains(p.Src[start:end], "\n") {
			edits = append(edits, Edit{Start: from, End: to, Text: strings.TrimSpace(sep)}, Edit{Start: start, End: end, Text: ""})
			returned = append(returned, p.Src[start:end])
			continue
		}
		temp := "_tlv" + strconv.Itoa(i)
		decl := temp + " := "
		if t := p.Src[p.Offset(types[i].Pos()):p.Offset(types[i].End())]; surelyConcrete(types[i]) && !strings.Contains(t, "\n") {
			decl = "var " + temp + " " + t + " = "
		}
		edits = append(edits, Edit{Start: from, End: to, Text: sep + decl})
		returned = append(returned, temp)
	}
	end := p.Offset(r.End())
	edits = append(edits, Edit{Start: end, End: end, Text: "; return " + strings.Join(returned, ", ") + " }"})
	ed.Edits = append(ed.Edits, edits...)
}

// commaBetween returns the offset of the comma in src[from:to] (the text
// between two values, which may hold comments), or -1.
func commaBetween(src string, from, to int) int {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), to-from)
	s.Init(file, []byte(src[from:to]), nil, scanner.ScanComments)
	for {
		pos, tok, _ := s.Scan()
		switch tok {
		case token.COMMA:
			return from + file.Offset(pos)
		case token.EOF:
			return -1
		}
	}
}

// surelyConcrete reports whether a result type is, by its syntax alone, not
// an interface: a predeclared type other than error and any, a pointer,
// slice, array, map, channel or func type.
func surelyConcrete(t ast.Expr) bool {
	switch x := t.(type) {
	case *ast.Ident:
		return IsPredeclaredType(x.Name) && x.Name != "error" && x.Name != "any"
	case *ast.StarExpr, *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType:
		return true
	}
	return false
}
