package session

import (
	"go/ast"
	"go/token"
	"reflect"
	"strings"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// defKind is the kind of a top-level declaration kept in the registry.
type defKind int

const (
	defType defKind = iota
	defConst
	defFunc
	defMethod
)

func (k defKind) String() string {
	return [...]string{"type", "const", "func", "method"}[k]
}

// def is one replayable top-level declaration: its names (a const group may
// declare several; a method is named "Type.Method"), its source placed in the
// session's line space, and the identifiers its body uses.
type def struct {
	kind   defKind
	names  []string
	piece  cellsrc.Piece
	source string // as the user wrote it (piece.text may be rewritten)
	refs   map[string]bool

	results    int    // funcs: number of results
	resultType string // funcs with one result of a named type: its name
	ptrRecv    bool   // methods: pointer receiver

	// kept is, for a func that stopped compiling in a rebuild (something it
	// uses was redefined), the function as compiled before; rebuilds declare
	// it as a variable holding that function instead of compiling the source
	// (kept_defs.go), until a cell defines the func again.
	kept reflect.Value
}

// importDef is one import of a cell, replayed into every rebuilt interpreter.
type importDef struct {
	alias, path string
	piece       cellsrc.Piece
}

// name is the identifier under which the import is visible in cells.
func (d importDef) name() string {
	if d.alias != "" {
		return d.alias
	}
	return d.path[strings.LastIndex(d.path, "/")+1:]
}

// registry is the session's memory of what the cells declared: the source of
// imports, types, consts, funcs and methods (replayed on a rebuild) and the
// names of global variables (whose values are carried on a rebuild).
type registry struct {
	imports []importDef
	defs    []*def
	vars    []string
}

// clone returns a copy that can be changed without touching r.
func (r *registry) clone() *registry {
	return &registry{
		imports: append([]importDef(nil), r.imports...),
		defs:    append([]*def(nil), r.defs...),
		vars:    append([]string(nil), r.vars...),
	}
}

// lookup returns the def that declares name, or nil.
func (r *registry) lookup(name string) *def {
	for _, d := range r.defs {
		for _, n := range d.names {
			if n == name {
				return d
			}
		}
	}
	return nil
}

func (r *registry) hasVar(name string) bool {
	for _, v := range r.vars {
		if v == name {
			return true
		}
	}
	return false
}

func (r *registry) addVar(name string) {
	if name != "_" && !r.hasVar(name) {
		r.vars = append(r.vars, name)
	}
}

func (r *registry) removeVar(name string) {
	for i, v := range r.vars {
		if v == name {
			r.vars = append(r.vars[:i], r.vars[i+1:]...)
			return
		}
	}
}

// remove drops a def.
func (r *registry) remove(d *def) {
	for i, x := range r.defs {
		if x == d {
			r.defs = append(r.defs[:i], r.defs[i+1:]...)
			return
		}
	}
}

// defAt returns the def whose source covers absolute line abs, or nil.
func (r *registry) defAt(abs int) *def {
	for _, d := range r.defs {
		if abs >= d.piece.Line && abs <= d.piece.Line+strings.Count(d.piece.Text, "\n") {
			return d
		}
	}
	return nil
}

// addImport records an import unless the same one is already there.
func (r *registry) addImport(d importDef) bool {
	for _, x := range r.imports {
		if x.alias == d.alias && x.path == d.path {
			return false
		}
	}
	r.imports = append(r.imports, d)
	return true
}

// usedBy reports whether any func or method body uses the identifier name.
func (r *registry) usedBy(name string) bool {
	for _, d := range r.defs {
		if (d.kind == defFunc || d.kind == defMethod) && d.refs[name] {
			return true
		}
	}
	return false
}

// declInfo returns the kind of a cell declaration, the names it declares,
// and isVar for a var declaration (no kind: variables are not replayed from
// source).
func declInfo(d ast.Decl) (kind defKind, names []string, isVar bool) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil && len(d.Recv.List) > 0 {
			return defMethod, []string{recvTypeName(d.Recv.List[0].Type) + "." + d.Name.Name}, false
		}
		return defFunc, []string{d.Name.Name}, false
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			}
		}
		switch d.Tok {
		case token.TYPE:
			return defType, names, false
		case token.CONST:
			return defConst, names, false
		case token.VAR:
			return 0, names, true
		}
	}
	return 0, nil, false
}

// recvTypeName returns T for receivers T, *T, T[P] and *T[P].
func recvTypeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}
