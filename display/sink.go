package display

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// Sink receives what the program displays. The Jupyter kernel installs one that
// sends display_data, update_display_data and clear_output messages; without a
// kernel, the terminal sink prints the text/plain form to standard output.
type Sink interface {
	// Publish shows a bundle. A non-empty displayID names the output area so that
	// a later Publish with update=true replaces it in place.
	Publish(b Bundle, displayID string, update bool)
	// ClearOutput clears the current cell's output; with wait, the clearing is
	// deferred until the next output arrives (avoiding flicker).
	ClearOutput(wait bool)
}

var (
	sinkMu  sync.RWMutex
	current Sink = &TerminalSink{Out: os.Stdout}
)

// SetSink installs the sink that receives every later display and returns the
// previous one, so a test or the kernel can restore it.
func SetSink(s Sink) Sink {
	sinkMu.Lock()
	defer sinkMu.Unlock()
	prev := current
	current = s
	return prev
}

// CurrentSink returns the sink that displays go to now.
func CurrentSink() Sink {
	sinkMu.RLock()
	defer sinkMu.RUnlock()
	return current
}

// TerminalSink prints the text/plain form of each display; in-place updates of a
// display are drawn with a carriage return so that a progress bar stays on one line.
type TerminalSink struct {
	Out io.Writer

	mu       sync.Mutex
	lineOpen bool // an in-place line was drawn and not yet ended with '\n'
}

// Publish prints the bundle's text. Updates overwrite the current line with
// '\r'; the next ordinary output first ends that line.
func (t *TerminalSink) Publish(b Bundle, displayID string, update bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if update {
		fmt.Fprintf(t.Out, "\r%s", b.Text())
		t.lineOpen = true
		return
	}
	if t.lineOpen {
		fmt.Fprintln(t.Out)
		t.lineOpen = false
	}
	fmt.Fprintln(t.Out, b.Text())
}

// ClearOutput does nothing on a terminal: there is no output area to clear.
func (t *TerminalSink) ClearOutput(wait bool) {}
