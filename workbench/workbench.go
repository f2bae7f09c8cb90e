// Package workbench is the notebook's toolbox: every turinglab session has it
// imported as wb. It re-exports the display API (rich output, handles that
// update in place, progress bars, the interrupt check) so a cell can write
// wb.HTML(...) or wb.Progress(...) without importing anything, and adds the few
// conveniences every notebook needs. Everything else (tensors, BERT, PEFT, plots)
// is imported from its own package, by path; this package does not mirror them.
package workbench

import (
	"fmt"
	"image"
	"math"

	"github.com/turinglab/turinglab/display"
)

// Rich values: convert text or bytes to these types to show them rendered,
// e.g. wb.HTML("<b>hi</b>") or wb.PNG(bytes) as the last expression of a cell.
type (
	// HTML renders as an HTML fragment.
	HTML = display.HTML
	// Markdown renders as formatted Markdown.
	Markdown = display.Markdown
	// Latex renders as a typeset formula ($...$).
	Latex = display.Latex
	// SVG renders as an inline vector drawing.
	SVG = display.SVG
	// PNG renders an encoded PNG image.
	PNG = display.PNG
	// JPEG renders an encoded JPEG image.
	JPEG = display.JPEG
	// JSONValue renders as a JSON tree; make one with JSON.
	JSONValue = display.JSONValue
	// TableValue renders as a table; make one with Table.
	TableValue = display.TableValue
	// Handle is an output area that Update redraws in place; make one with NewDisplay.
	Handle = display.Handle
	// ProgressBar is a tqdm-like bar that redraws in place; make one with Progress.
	ProgressBar = display.ProgressBar
	// Bundle is a MIME bundle: what a Renderer produces.
	Bundle = display.Bundle
	// Renderer is implemented by values that show themselves richly.
	Renderer = display.Renderer
)

// Display shows each value as its own output, rich when the value can render
// itself (figures, tensors, tables), as fmt.Sprint otherwise.
func Display(values ...any) { display.Display(values...) }

// ClearOutput clears the cell's output; with wait, only when new output arrives.
func ClearOutput(wait bool) { display.ClearOutput(wait) }

// NewDisplay returns a handle whose Display shows a value and whose Update
// redraws it in place (a live loss curve, a table that fills in).
func NewDisplay() *Handle { return display.NewDisplay() }

// Progress shows a progress bar for total steps (0 if unknown) that updates in
// place; call Add or Set as work proceeds and Done at the end.
func Progress(total int, label string) *ProgressBar { return display.Progress(total, label) }

// Image shows an in-memory image (image.Image) inline as PNG.
func Image(img image.Image) PNG { return display.Image(img) }

// JSON shows a JSON-encodable value as an explorable tree.
func JSON(v any) JSONValue { return display.JSON(v) }

// Table shows rows of values under a header as an HTML table (aligned text on
// a terminal).
func Table(header []string, rows [][]any) TableValue { return display.Table(header, rows) }

// Interrupted reports whether the notebook's stop button was pressed during
// this cell; a long loop in a cell can check it to stop early and cleanly.
func Interrupted() bool { return display.Interrupted() }

// CheckInterrupt returns an error once the stop button was pressed during this
// cell, nil otherwise.
func CheckInterrupt() error { return display.CheckInterrupt() }

// Input asks the user for a line of text, like Python's input(): the notebook
// shows a text box under the cell and the cell waits for it. It stops the cell
// with the reason when no answer can come (a front end that does not accept
// input, or the stop button); display.Input returns that as an error instead.
func Input(prompt string) string { return answer(display.Input(prompt)) }

// Password is Input for secrets (Python's getpass): the notebook hides what is
// typed.
func Password(prompt string) string { return answer(display.Password(prompt)) }

func answer(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

// Assert stops the cell with a clear message when cond is false. Course
// notebooks use it to check what they teach (a loss that falls, an accuracy
// above a floor), so a silent regression fails the notebook tests.
func Assert(cond bool, format string, args ...any) {
	if !cond {
		panic("assertion failed: " + fmt.Sprintf(format, args...))
	}
}

// AssertClose stops the cell unless got and want agree to within
// atol + rtol·|want| (NumPy's isclose rule), naming both values.
func AssertClose(what string, got, want, atol, rtol float64) {
	if math.IsNaN(got) || math.Abs(got-want) > atol+rtol*math.Abs(want) {
		panic(fmt.Sprintf("assertion failed: %s = %.6g, want %.6g (atol %g, rtol %g)", what, got, want, atol, rtol))
	}
}
