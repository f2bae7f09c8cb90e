package session

import (
	"errors"
	"fmt"
	"go/ast"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// statements compiles and runs the statements of p, the cell or one part of
// it (in_order.go), at the top level or else as one function body
// (function_body.go), and captures the value of a final expression.
// stmtNames are the names p's := statements declare.
func (r *cellRun) statements(p *cellsrc.Cell, stmtNames []string) Result {
	s, ctx, ed, cur := r.s, r.ctx, r.ed, r.cur
	show, count := r.captureEdits(p)
	wrapped := show != nil
	// Each top-level statement records its line first, for tracebacks.
	var atEdits []cellsrc.Edit
	for _, st := range p.Stmts {
		if _, empty := st.(*ast.EmptyStmt); empty {
			continue
		}
		off := p.Offset(st.Pos())
		l, _ := cellsrc.LineCol(p.Src, off)
		atEdits = append(atEdits, cellsrc.Edit{Start: off, End: off, Text: "_tl.At(" + strconv.Itoa(cur.base+l-1) + "); "})
	}
	base := append(atEdits, ed.Edits...)
	keeps := cellsrc.KeepEdits(p)
	// compileAs compiles the statements at the top level or as a function body
	// (function_body.go), with or without capturing the final value.
	compileAs := func(body, capture bool) (*interp.Program, error) {
		ed.Edits = append([]cellsrc.Edit(nil), base...)
		if capture {
			ed.Edits = append(ed.Edits, show...)
		}
		if body {
			ed.Edits = append(ed.Edits, keeps...)
		} else {
			ed.Edits = append(ed.Edits, cellsrc.IIFEEdits(p, capture)...)
		}
		var ps []cellsrc.Piece
		for _, c := range p.Chunks {
			if c.Kind == cellsrc.ChunkStmt {
				ps = append(ps, r.at(c.Start, ed.Text(c.Start, c.End)))
			}
		}
		if !body {
			return compile(s.in, cellsrc.Layout(ps))
		}
		decl, call := cellsrc.FunctionBody(cur.number, p.Part, cur.base, len(cur.lines), ps)
		if err := eval(s.in, decl); err != nil {
			return nil, err
		}
		return compile(s.in, call)
	}
	body := false
	prog, err := compileAs(false, wrapped)
	if err != nil && wrapped && count < 0 {
		prog, err = compileAs(false, false) // not a value after all (a call returning nothing)
	}
	if err != nil {
		// What yaegi cannot compile at the top level it may compile inside a
		// function; the failed attempt may have left := globals half declared.
		if len(stmtNames) > 0 {
			s.repair(ctx)
		}
		body = true
		prog, err = compileAs(true, wrapped)
		if err != nil && wrapped && count < 0 {
			prog, err = compileAs(true, false)
		}
	}
	if err != nil {
		return Result{Error: s.compileError(cur, err)}
	}
	for _, n := range stmtNames {
		s.reg.addVar(n)
	}
	if body {
		defer func() {
			if ctx.Err() != nil {
				s.awaitStopped()            // its last Keep calls come before the kept are taken
				s.pending = s.rt.takeKept() // published by the rebuild that follows an interrupt
			} else {
				s.publish(s.rt.takeKept())
			}
		}()
	}

	s.rt.reset()
	s.rt.at(0)
	s.filter.take()
	_, err = s.execute(ctx, s.in, prog)
	frames := s.filter.take()
	if re := s.recursion.takeAborted(); re != nil { // the run ended with runtime.Goexit (recursion_stop.go)
		err = interp.Panic{Value: re}
	}
	switch {
	case ctx.Err() != nil:
		return Result{Error: interruptError()}
	case err != nil:
		var pe interp.Panic
		if errors.As(err, &pe) {
			return Result{Error: s.runtimeError(cur, pe, frames)}
		}
		if errors.Is(err, display.ErrInterrupted) {
			return Result{Error: interruptError()}
		}
		l := s.locate(err.Error())
		v := l.msg
		if w := l.where(cur); w != "" {
			v = w + ": " + v
		}
		return Result{Error: &Error{Name: "error", Value: v, Traceback: []string{"error: " + v}}}
	}
	return Result{Value: s.valueBundle()}
}

// varTypeName returns the cell type name of a global variable's value, or "".
func (s *Session) varTypeName(name string) string {
	if !s.reg.hasVar(name) {
		return ""
	}
	v, ok := varSlot(s.in, name)
	if !ok {
		return ""
	}
	return s.types[v.Type()]
}

// valueBundle renders the captured final value: rich when it renders itself,
// a tuple "(a, b)" for several results, nothing for a lone nil interface (the
// nil error of a call like model.Save(path)). The methods of cell types
// (MIMEBundle, String) have run already, inside the cell's run (runtime.go),
// so nothing here runs interpreted code outside the cell's context.
func (s *Session) valueBundle() *display.Bundle {
	s.rt.mu.Lock()
	shown, values, made, text, hasText := s.rt.shown, s.rt.values, s.rt.bundle, s.rt.text, s.rt.hasText
	s.rt.mu.Unlock()
	if !shown {
		return nil
	}
	if hasText {
		b := display.TextBundle(text)
		return &b
	}
	if made != nil {
		b := *made
		if b.Data == nil {
			b.Data = map[string]any{}
		}
		if _, ok := b.Data[display.MIMEText]; !ok {
			b.Data[display.MIMEText] = fmt.Sprint(values[0])
		}
		return &b
	}
	if len(values) == 1 && values[0] == nil {
		return nil // a nil error (or interface), like Python's None: nothing to show
	}
	if len(values) == 1 {
		b := display.Render(values[0])
		return &b
	}
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	b := display.TextBundle("(" + strings.Join(parts, ", ") + ")")
	return &b
}
