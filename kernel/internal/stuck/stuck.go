// Package stuck provides compiled calls that block without ever polling the
// interrupt (display.CheckInterrupt), the way a third-party library loop or a
// blocking system call does. The kernel's tests use it to check that a cell
// stuck in compiled code never makes the kernel hang silently.
//
// It is not for notebooks: cells can import it only from a kernel built with
// the turinglab_stuck build tag (kernel/symbols/stuck.go registers it then),
// which is what the kernel's hang tests build; the shipped kernel lacks it.
package stuck

import (
	"fmt"
	"os"

	"github.com/turinglab/turinglab/display"
)

// never is a channel that nothing closes.
var never = make(chan struct{})

// Forever blocks forever: it waits on a channel that nothing closes.
func Forever() { <-never }

// UntilWritten blocks in the open(2) system call until some writer opens the
// named pipe (FIFO) at path, then returns what the writer wrote. A test makes
// the pipe, calls UntilWritten in a cell and writes to the pipe to let it go.
func UntilWritten(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("stuck: reading the pipe %s: %w", path, err)
	}
	return string(b), nil
}

// Picture is a value whose rendering blocks: the cell that shows it has run,
// but the kernel's session is still rendering its result. With Pipe empty its
// MIMEBundle blocks forever (Forever); otherwise until Pipe is written
// (UntilWritten), and then it shows what was written.
type Picture struct {
	Pipe string // the named pipe that lets the rendering finish; "" never
}

// MIMEBundle renders the picture as text, after blocking as the type says.
func (p Picture) MIMEBundle() display.Bundle {
	if p.Pipe == "" {
		Forever()
	}
	text, err := UntilWritten(p.Pipe)
	if err != nil {
		return display.TextBundle(err.Error())
	}
	return display.TextBundle(text)
}
