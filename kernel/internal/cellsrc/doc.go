// Package cellsrc is the source half of a notebook cell's run: it parses a
// cell of Go source (any mix of imports, declarations and statements) and
// rewrites it, source to source, around the gaps of the yaegi interpreter
// that kernel/session runs it with. It knows nothing of the interpreter or of
// the session's state: what it needs from them comes in as arguments (Names,
// names.go, for the types of what earlier cells defined).
//
// Reading order:
//
//   - cell.go: Parse splits a cell into top-level chunks (imports,
//     declarations, statements) and parses each kind; positions stay those
//     of the cell, so every error and edit names the cell's own lines.
//   - edit.go: an Editor collects edits of the cell's source (never adding or
//     removing a newline, so line numbers survive every rewrite) and maps a
//     column of the edited text back to the one the user typed.
//   - layout.go: Layout places pieces of source at absolute lines and columns
//     of the session's line space.
//   - one file per rewrite, each with the yaegi gap it works around at the
//     top: range_int.go (Go 1.22's range over an integer), go_stmt.go
//     (`go f(x)` under recover), spread_args.go,
//     composite_elements.go, loop_vars.go (Go 1.22's per-iteration loop
//     variables), assign_order.go and multi_assign.go (multi-assignments),
//     named_results.go, multi_return.go, shell_lines.go (`!command` lines);
//   - function_body.go: the statements of a cell compiled as the body of a
//     function, for what yaegi cannot compile at the top level;
//   - in_order.go: a cell whose function uses a := variable of the same cell,
//     run in source order: where to split it;
//   - what the rewrites share: syntax.go (builtins, predeclared types,
//     literal constants), idents.go, walk.go (the walk that knows which
//     statements stand in a statement list), error.go, names.go.
//
// A rewrite that cannot give a construct its Go meaning refuses the cell
// with an *Error that names the cell's line and column.
package cellsrc
