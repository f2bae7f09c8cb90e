package cellsrc

import (
	"go/ast"
	"go/token"
)

// split returns the cell's statements before statement i and from it on, as
// two cells (parts 1 and 2) with the same positions; only the second can end
// with a value. With i past the last statement, the first part is the whole
// cell (with its value) and the second is nil.
func (p *Cell) Split(i int) (*Cell, *Cell) {
	if i >= len(p.Stmts) {
		head := *p
		head.Part = 1
		return &head, nil
	}
	off := p.Offset(p.Stmts[i].Pos())
	head, tail := *p, *p
	head.Stmts, tail.Stmts = p.Stmts[:i], p.Stmts[i:]
	head.LastIsExpr = false
	head.Part, tail.Part = 1, 2
	head.Chunks, tail.Chunks = nil, nil
	for _, c := range p.Chunks {
		switch {
		case c.Kind != ChunkStmt || c.End <= off:
			head.Chunks = append(head.Chunks, c)
		case c.Start >= off:
			tail.Chunks = append(tail.Chunks, c)
		default:
			head.Chunks = append(head.Chunks, Chunk{Kind: c.Kind, Start: c.Start, End: off})
			tail.Chunks = append(tail.Chunks, Chunk{Kind: c.Kind, Start: off, End: c.End})
		}
	}
	return &head, &tail
}

// DefinedNames are the names the top-level := statements of stmts declare.
func DefinedNames(stmts []ast.Stmt) map[string]bool {
	out := map[string]bool{}
	for _, st := range stmts {
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					out[id.Name] = true
				}
			}
		}
	}
	return out
}

// NamesOf keeps the names of all that stmts declare with :=.
func NamesOf(all []string, stmts []ast.Stmt) []string {
	def := DefinedNames(stmts)
	var out []string
	for _, n := range all {
		if def[n] {
			out = append(out, n)
		}
	}
	return out
}

// MentionsAny reports whether refs holds one of names.
func MentionsAny(refs, names map[string]bool) bool {
	for n := range names {
		if refs[n] {
			return true
		}
	}
	return false
}

// Decl is one declaration of a cell as InOrder sees it: the names it declares
// and the identifiers it mentions.
type Decl struct {
	Names []string
	Refs  map[string]bool
}

// Order is how a cell runs in source order (see the session's in_order.go):
// its declarations that depend on the cell's := variables are evaluated
// between the statements before Cut and those from Cut on.
type Order struct {
	Dependent []bool          // by index of the declarations
	Names     map[string]bool // the names the dependent declarations declare
	Cut       int             // the first statement that uses a dependent declaration
}

// InOrder finds the order in which cell p runs when its declarations decls
// cannot be evaluated before its statements because some use the variables
// that the statements declare with := (stmtNames). A dependent declaration
// names such a variable, or another dependent declaration. ok is false when
// no order works: the first statement already uses a dependent declaration,
// or one needs a variable that is declared only after that first use.
func InOrder(p *Cell, stmtNames []string, decls []Decl) (o Order, ok bool) {
	needs := map[string]bool{}
	for _, n := range stmtNames {
		needs[n] = true
	}
	o.Dependent = make([]bool, len(decls))
	for grew := true; grew; {
		grew = false
		for i, d := range decls {
			if o.Dependent[i] || !MentionsAny(d.Refs, needs) {
				continue
			}
			o.Dependent[i], grew = true, true
			for _, n := range d.Names {
				needs[n] = true
			}
		}
	}
	o.Names = map[string]bool{}
	for i, d := range decls {
		if o.Dependent[i] {
			for _, n := range d.Names {
				o.Names[n] = true
			}
		}
	}
	o.Cut = len(p.Stmts)
	for i, st := range p.Stmts {
		if MentionsAny(IdentsOf(st), o.Names) {
			o.Cut = i
			break
		}
	}
	if o.Cut == 0 {
		return Order{}, false
	}
	before := DefinedNames(p.Stmts[:o.Cut])
	for i, d := range decls {
		if !o.Dependent[i] {
			continue
		}
		for _, n := range stmtNames {
			if d.Refs[n] && !before[n] {
				return Order{}, false
			}
		}
	}
	return o, true
}
