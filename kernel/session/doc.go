// Package session runs notebook cells: Go source interpreted by yaegi, with state
// that persists from cell to cell. It is the interpreter half of the turinglab
// kernel; package kernel speaks the Jupyter protocol and calls Execute, Complete,
// Inspect and IsComplete.
//
// # Cells
//
// A cell is any mix of imports, type/func/method/var/const declarations and
// statements, in any order. yaegi alone rejects mixed cells (it picks "file" or
// "function body" mode from the first token), so the session runs a cell in
// four steps, the methods of a cellRun (cell_run.go): parse, rewrite, plan,
// evaluate. It parses the cell into top-level chunks (cellsrc.Parse, in
// kernel/internal/cellsrc, which holds every rewrite that needs nothing but
// the cell's source), rewrites it, plans what it changes (cell_plan.go) and
// evaluates, in this order: the imports, the declarations (as one file), then
// the statements (as one function body, which yaegi runs at package level so
// that `x := 1` declares a global; what yaegi cannot compile there runs as a
// real function body whose := variables are published as globals afterwards:
// function_body.go, statements.go). Ranges over integers, which yaegi lacks,
// are rewritten into three-clause loops (cellsrc.RewriteRangeOverInt, which
// asks the session the types of its names: range_int.go); Go 1.21's min, max
// and clear (builtins.go) and Go 1.22's per-iteration loop variables
// (cellsrc.RewriteLoopVars) are rewritten too; the packages a cell uses
// without importing them are imported first (auto_import.go), so that these
// rewrites resolve them (`for i := range math.MaxInt8`). The value of a
// final expression statement is captured (final_value.go, statements.go) and
// rendered through display.Render. Because declarations run before statements, a function may use
// a variable declared with `var` anywhere in the cell or with `:=` in an earlier
// cell; a function that uses a `:=` variable of its own cell makes the session
// run that cell in source order instead (in_order.go).
//
// The final value shows nothing when it is a call that returns nothing or a
// print-like call (fmt.Println, w.Write, ...) returning (n int, err error); several
// results show as a tuple "(a, b)"; a lone nil error shows nothing. yaegi hands
// values of cell-defined types to compiled code without their methods, so a
// final value of a cell type with a value-receiver MIMEBundle (or String) method
// is passed through an interpreter-made display.Renderer (or fmt.Stringer)
// wrapper; with a pointer receiver only fmt's default text is shown. The
// wrapper's method runs inside the cell's run, so the stop button interrupts
// it and a panic in it is the cell's error.
//
// # Line numbers
//
// Every piece of source the session gives yaegi is laid out (cellsrc.Layout) at an
// absolute line number that is unique for the whole session: cell number k owns
// the lines [base_k, base_k+lines_k). yaegi's positions (in compile errors and in
// the frames it prints for a panic) therefore identify the cell and the line in
// it, even for a function defined three cells ago and replayed into a fresh
// interpreter since.
//
// # Redefinition: a registry and rebuilds
//
// yaegi binds a call to the function (and a use to the variable slot) that
// existed when the caller was compiled, so redefining a func or type in a later
// cell is not seen by earlier callers (yaegi #1673, #1410), and a failed eval
// can leave a false "redeclared" behind (#806). The session therefore keeps a
// registry (registry.go) of the source of every top-level import, type, const,
// func and method, by name. When a cell redefines one of them with different
// source, the session rebuilds (rebuild.go): a fresh interpreter, the imports,
// then all types and consts (the new versions replacing the old), then every
// variable, then all funcs and methods. Everything is compiled afresh, so every
// caller sees the newest definition. An old func that no longer compiles
// against the new ones (a caller of a function whose signature changed) stays
// callable as compiled before, with a note on Stderr (kept_defs.go), rather
// than making the new cell fail or disappearing; an old method is dropped with
// the note.
//
// Variables are NOT replayed from source: re-running `var m = train()` would
// re-run the training. Their VALUES are carried instead: the new interpreter
// declares `var m T` with the same type (a compiled type lent whole, as the
// first interpreter had it), and the new slot is made to share the old slot's
// storage (shared_slots.go), so it stays the same variable. Values of compiled
// types (a *bert.Model, a []float64) carry over untouched; values of
// cell-defined types carry over when the type was not changed, and are dropped
// with a note when their type was redefined incompatibly. Interpreted closures
// held in variables keep calling the functions of the interpreter that created
// them, and share its globals with the new one.
//
// Re-declaring a variable (`x := 2` after `x := 1`, or a new `var x`) creates a
// new slot. If a stored func or method uses that name, the session rebuilds
// after the cell has run, so that from the next cell on every function sees the
// new variable (within the cell that re-declares it, they still see the old one).
// A rebuild takes a few tens of milliseconds plus the time to compile the cells'
// declarations again. Identical re-definitions (re-running a cell unchanged)
// do not rebuild. A compile error never changes the registry: the cell is
// rejected and, if the live interpreter may have been left half-updated, it is
// rebuilt from the registry.
//
// # Safety
//
// Execute never panics. Runtime panics become one Error whose traceback lists
// cell lines (the frames yaegi prints to stderr are captured, not shown). yaegi's
// frames locate only the function a frame is in, so each top-level statement of
// a cell is preceded by _tl.At(line), which gives the exact cell line; frames
// inside functions show the function and where it was defined. Each
// `go f(x)` statement is rewritten into a call of a helper that runs f in a
// goroutine under recover, so a panicking goroutine is reported on Stderr and
// does not kill the kernel. os.Exit panics instead of exiting, and time.Sleep
// returns early when the run is interrupted. Interrupting (cancelling the
// context given to Execute) stops interpreted loops as yaegi's
// ExecuteWithContext does, and interrupts display's run, which compiled code
// polls. yaegi would resume the stopped code as soon as the same interpreter
// runs another cell (they share the global frame, whose run id every execution
// resets), so after an interrupt the session rebuilds: the next cell runs in a
// fresh interpreter with the same variables, functions and types. The rebuild
// reads the variables once the stopped code's goroutine has returned, which
// the session knows because it runs the code on a goroutine of its own
// (stoppable.go); code stuck in a compiled call is waited for 250 ms at most.
//
// Unbounded recursion would exceed Go's maximum stack, which ends the
// process: every cell function that calls anything counts its depth, and a
// goroutine whose own depth passes the limit ends with a RecursionError by
// runtime.Goexit, in linear time, with the innermost calls recorded for the
// traceback (recursion_guard.go, recursion_stop.go).
//
// Two constructs are refused with a clear error because yaegi cannot give them
// their Go meaning in a cell: `func main`/`func init` (yaegi runs them again on
// every later eval) and a top-level `defer` (it would run again after every
// later cell).
//
// # Magics
//
// A cell that starts with `%` (after blank and // lines) is a magic, spelled
// and printed as in IPython (magic.go, magic_table.go, and one file per magic:
// dir_magic.go, env_magic.go, timeit.go, writefile_magic.go, shell_magic.go,
// recursion_guard.go). A line magic runs when it is the whole line; the lines
// after it run next (further magics, then Go with its own line numbers). A line whose
// first character is `!` is a shell command wherever a statement may start:
// it becomes a call of the runtime helper _tl.Sh on the same line
// (shell_lines.go), so it runs in order with the Go statements around it.
// %timeit compiles its statement once, into a loop in a function literal
// that the compiled helper _tl.Timeit calls; the interpreter uses the
// process's real environment so that %env, os.Setenv and `!` agree.
package session
