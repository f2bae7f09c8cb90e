package cellsrc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// ChunkKind says how a top-level chunk of a cell is evaluated.
type ChunkKind int

const (
	ChunkImport ChunkKind = iota // an import declaration
	ChunkDecl                    // a type, const, var or func declaration
	ChunkStmt                    // one or more statements
)

// Chunk is one top-level construct of a cell: an import, a declaration or a
// statement, with its byte range in the cell.
type Chunk struct {
	Kind       ChunkKind
	Start, End int // byte offsets in the cell
}

// Cell is a parsed cell: its chunks and the ASTs of its parts. Positions in
// the ASTs are those of the cell (line 1 = first line of the cell).
type Cell struct {
	Src        string         // the cell's source
	Chunks     []Chunk        // its top-level chunks, in cell order
	Imports    []*ast.GenDecl // its import declarations
	Decls      []ast.Decl     // type/const/var GenDecls and FuncDecls, in cell order
	Stmts      []ast.Stmt     // top-level statements, in cell order
	LastIsExpr bool           // the cell's last chunk is an expression statement
	Part       int            // 0 for a whole cell; 1 and 2 for the parts of a cell run in order (in_order.go)
	fset       *token.FileSet
	prefix     map[int]int // file base -> length of the text added before the cell
}

// splitCell scans a cell into top-level chunks: it tokenizes the source with
// go/scanner (which inserts semicolons like the compiler) and, at each
// statement start outside any bracket, begins a declaration chunk when the
// token is import, type, const, var or func; a declaration ends at the next
// semicolon outside brackets. Everything between declarations is one statement
// chunk (which may hold many statements: their own boundaries come from the
// parser, so the semicolons of `for i := 0; i < n; i++ {` never split anything).
// `func(...)` starts a declaration only when it parses as one.
func splitCell(src string) ([]Chunk, error) {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, 0)
	var chunks []Chunk
	depth := 0
	atStart := true // at the start of a top-level statement or declaration
	cur := -1       // index of the open chunk in chunks, -1 if none
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		off := file.Offset(pos)
		end := off + len(lit)
		if lit == "" {
			end = off + len(t.String())
		}
		if t == token.SEMICOLON && lit == "\n" {
			end = off // an inserted semicolon takes no room
		}
		if atStart && t != token.SEMICOLON {
			kind := classify(t)
			if kind != ChunkStmt || cur < 0 || chunks[cur].Kind != ChunkStmt {
				chunks = append(chunks, Chunk{Kind: kind, Start: off, End: end})
				cur = len(chunks) - 1
			}
			atStart = false
		}
		if cur >= 0 && end > chunks[cur].End {
			chunks[cur].End = end
		}
		switch t {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				atStart = true
				if cur >= 0 && chunks[cur].Kind != ChunkStmt {
					cur = -1 // a declaration ends here
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return chunks, nil
}

// classify names the kind of a chunk from its first tokens.
func classify(first token.Token) ChunkKind {
	switch first {
	case token.IMPORT:
		return ChunkImport
	case token.TYPE, token.CONST, token.VAR:
		return ChunkDecl
	case token.FUNC:
		return ChunkDecl // refined in Parse: a func literal call is a statement
	}
	return ChunkStmt
}

// Parse splits and parses a cell. Parse errors carry cell positions.
func Parse(src string) (*Cell, error) {
	chunks, err := splitCell(src)
	if err != nil {
		return nil, err
	}
	// A chunk starting with `func` is a declaration only if it parses as one:
	// `func() { ... }()` and `func(x int) {...}(1)` are statements.
	for i, c := range chunks {
		if c.Kind == ChunkDecl && strings.HasPrefix(src[c.Start:], "func") {
			_, perr := parser.ParseFile(token.NewFileSet(), "", "package p;"+src[c.Start:c.End], 0)
			if perr != nil {
				chunks[i].Kind = ChunkStmt
			}
		}
	}
	p := &Cell{Src: src, Chunks: chunks, fset: token.NewFileSet(), prefix: map[int]int{}}
	if n := len(chunks); n > 0 && chunks[n-1].Kind == ChunkStmt {
		p.LastIsExpr = true // confirmed below once the statement is parsed
	}

	// Imports, then declarations: files laid out at the cell's positions (a
	// file needs its imports first, so they are parsed on their own).
	const filePrefix = "package main;"
	for _, kind := range []ChunkKind{ChunkImport, ChunkDecl} {
		text := maskExcept(src, chunks, func(k ChunkKind) bool { return k == kind })
		f, err := parser.ParseFile(p.fset, "cell", filePrefix+text, parser.ParseComments)
		if err != nil {
			return nil, shiftErrors(err, len(filePrefix))
		}
		p.prefix[p.fset.File(f.Pos()).Base()] = len(filePrefix)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				p.Imports = append(p.Imports, g)
				continue
			}
			p.Decls = append(p.Decls, d)
		}
	}

	// Statements: one function body.
	stmtSrc := maskExcept(src, chunks, func(k ChunkKind) bool { return k == ChunkStmt })
	const bodyPrefix = "package main;func _(){"
	g, err := parser.ParseFile(p.fset, "cell", bodyPrefix+stmtSrc+"\n}", 0)
	if err != nil {
		return nil, clampErrors(shiftErrors(err, len(bodyPrefix)), src)
	}
	p.prefix[p.fset.File(g.Pos()).Base()] = len(bodyPrefix)
	body := g.Decls[0].(*ast.FuncDecl).Body
	p.Stmts = body.List
	if p.LastIsExpr {
		_, ok := p.Stmts[len(p.Stmts)-1].(*ast.ExprStmt)
		p.LastIsExpr = ok && len(p.Stmts) > 0
	}
	return p, nil
}

// offset returns the byte offset in the cell of a position in one of the
// parsed files.
func (p *Cell) Offset(pos token.Pos) int {
	f := p.fset.File(pos)
	return int(pos) - f.Base() - p.prefix[f.Base()]
}

// Inspect calls ast.Inspect(n, f) for each declaration n of the cell, then
// for each of its statements: every node of the cell, in cell order, each
// kind of top-level construct as it is evaluated.
func (p *Cell) Inspect(f func(ast.Node) bool) {
	for _, d := range p.Decls {
		ast.Inspect(d, f)
	}
	for _, st := range p.Stmts {
		ast.Inspect(st, f)
	}
}

// maskExcept returns src with every byte outside the kept chunks replaced by a
// space (newlines stay), so that positions in the result equal positions in src.
func maskExcept(src string, chunks []Chunk, keep func(ChunkKind) bool) string {
	b := []byte(src)
	kept := make([]bool, len(b))
	for _, c := range chunks {
		if keep(c.Kind) {
			for i := c.Start; i < c.End; i++ {
				kept[i] = true
			}
		}
	}
	for i := range b {
		if !kept[i] && b[i] != '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}

// shiftErrors moves parse errors on line 1 left by the length of the prefix
// that was added in front of the cell.
func shiftErrors(err error, prefix int) error {
	list, ok := err.(scanner.ErrorList)
	if !ok {
		return err
	}
	out := make(scanner.ErrorList, 0, len(list))
	for _, e := range list {
		e2 := *e
		if e2.Pos.Line == 1 {
			e2.Pos.Column -= prefix
			if e2.Pos.Column < 1 {
				e2.Pos.Column = 1
			}
		}
		out = append(out, &e2)
	}
	return out
}

// clampErrors moves errors found after the cell's end (in the text added to
// close the function body) to the end of the cell.
func clampErrors(err error, src string) error {
	list, ok := err.(scanner.ErrorList)
	if !ok {
		return err
	}
	n := strings.Count(src, "\n") + 1
	last := src[strings.LastIndex(src, "\n")+1:]
	for _, e := range list {
		if e.Pos.Line > n {
			e.Pos.Line, e.Pos.Column = n, len(last)+1
			e.Msg = "unexpected end of cell (" + e.Msg + ")"
		}
	}
	return list
}

// LineCol returns the 1-based line and column of a byte offset in src.
func LineCol(src string, off int) (int, int) {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndex(src[:off], "\n")
	return line, col
}

// String shows a chunk as kind[start:end], for debugging and tests.
func (c Chunk) String() string {
	return fmt.Sprintf("%d[%d:%d]", c.Kind, c.Start, c.End)
}
