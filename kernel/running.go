package kernel

import (
	"fmt"
	"strings"
	"time"

	"github.com/turinglab/turinglab/kernel/session"
)

// A cell whose code is stuck in a compiled call that neither polls the
// interrupt nor returns (a library loop, a blocking system call) cannot be
// stopped from inside the process. The kernel reports such a cell as
// interrupted after interruptGrace and goes on answering, but the session
// stays busy with it until the call returns: the session runs one cell at a
// time, and a new cell must not run on the interpreter the stuck one still
// uses. Until then the kernel never waits on the session:
//
//   - execute_request gets a KernelBusy error that names the stuck cell, how
//     long it has run, and that restarting the kernel stops it;
//   - complete_request answers no matches and inspect_request a note saying
//     the same (kernel_info, is_complete, history and shutdown never needed
//     the session's lock);
//   - when the call finally returns, the session has already put the
//     interrupted cell behind it (it moves to a fresh interpreter after an
//     interrupt) and the next cell runs normally.

// busyWait is how long a new cell waits for a stuck cell to return before it
// is refused with KernelBusy.
const busyWait = 500 * time.Millisecond

// runningCell is a cell whose Session.Execute has not returned yet.
type runningCell struct {
	count   int       // its execution count, as the notebook shows it: In [count]
	code    string    // its code
	started time.Time // when Execute was called
	parent  Header    // the request that ran it
	done    chan struct{}
}

// beginCell records that the session starts running code for the request
// parent, until endCell.
func (k *Kernel) beginCell(parent Header, code string) *runningCell {
	rc := &runningCell{count: k.executionCount, code: code, started: time.Now(), parent: parent,
		done: make(chan struct{})}
	k.cellMu.Lock()
	k.cell = rc
	k.cellMu.Unlock()
	return rc
}

// endCell records that Session.Execute returned for rc.
func (k *Kernel) endCell(rc *runningCell) {
	k.cellMu.Lock()
	if k.cell == rc {
		k.cell = nil
	}
	k.cellMu.Unlock()
	close(rc.done)
}

// stuckReturned tells the log and the stuck cell's output area that a cell
// runCell had given up on has returned, so that anyone watching knows the
// kernel runs cells again.
func (k *Kernel) stuckReturned(rc *runningCell) {
	note := fmt.Sprintf("note: %s returned after %s; the kernel runs cells again\n", rc.name(), rc.age())
	k.log.Print(strings.TrimSpace(note))
	k.publish("stream", rc.parent, Stream{Name: "stderr", Text: note})
}

// stuckCell returns the cell whose Execute is still running although runCell
// has returned (it was interrupted but is stuck in compiled code), or nil.
// Requests on the shell channel are served one at a time, so while one of
// them asks, any running cell is such an abandoned one.
func (k *Kernel) stuckCell() *runningCell {
	k.cellMu.Lock()
	defer k.cellMu.Unlock()
	return k.cell
}

// waitStuck gives a stuck cell busyWait to return and reports the one that
// still has not (nil when the session is free).
func (k *Kernel) waitStuck() *runningCell {
	rc := k.stuckCell()
	if rc == nil {
		return nil
	}
	t := time.NewTimer(busyWait)
	defer t.Stop()
	select {
	case <-rc.done:
		return nil
	case <-t.C:
		return rc
	}
}

// name is how messages refer to the cell: its number and its first line.
func (rc *runningCell) name() string {
	first := strings.TrimSpace(rc.code)
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = strings.TrimSpace(first[:i]) + " …"
	}
	if n := []rune(first); len(n) > 60 {
		first = string(n[:60]) + "…"
	}
	if rc.count > 0 {
		return fmt.Sprintf("cell [%d] (%s)", rc.count, first)
	}
	return fmt.Sprintf("the cell (%s)", first)
}

// age is how long the cell has been running, rounded for people.
func (rc *runningCell) age() time.Duration {
	d := time.Since(rc.started)
	if d < time.Minute {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

// busyMessage says what is still running and what the user can do about it.
func (rc *runningCell) busyMessage() string {
	return fmt.Sprintf("%s is still running after %s: it was interrupted, but it is stuck in compiled code that does not check for interrupts; "+
		"new cells can run once it returns. Restart the kernel (Kernel > Restart) to stop it (variables are lost).", rc.name(), rc.age())
}

// busyError is the error a new cell gets while rc is stuck.
func (rc *runningCell) busyError() *session.Error {
	msg := rc.busyMessage()
	return &session.Error{Name: "KernelBusy", Value: msg, Traceback: []string{"KernelBusy: " + msg}}
}
