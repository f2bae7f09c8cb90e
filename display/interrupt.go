package display

import (
	"context"
	"errors"
	"sync"
)

// ErrInterrupted is returned by long-running work that stopped because the user
// pressed the notebook's stop button (or sent SIGINT on a terminal).
var ErrInterrupted = errors.New("interrupted by user")

// The run state: a context that is cancelled when the current run is interrupted.
// The kernel starts a fresh run before every cell and interrupts it on request.
var (
	runMu     sync.Mutex
	runCtx    context.Context
	runCancel context.CancelFunc
)

func init() { BeginRun() }

// BeginRun starts a new, uninterrupted run and returns its context. The kernel
// calls it before each cell; code outside a kernel never needs to.
func BeginRun() context.Context {
	runMu.Lock()
	defer runMu.Unlock()
	if runCancel != nil {
		runCancel()
	}
	runCtx, runCancel = context.WithCancel(context.Background())
	return runCtx
}

// Interrupt cancels the current run: every later Interrupted/CheckInterrupt
// reports it, and Context().Done() is closed, until the next BeginRun.
func Interrupt() {
	runMu.Lock()
	defer runMu.Unlock()
	runCancel()
}

// Context returns the current run's context, for code that selects on Done()
// (a sleep, a channel receive) or passes a context down.
func Context() context.Context {
	runMu.Lock()
	defer runMu.Unlock()
	return runCtx
}

// Interrupted reports whether the current run was interrupted. Long compiled
// loops (a training epoch, an attack, an attribution sweep) check it between
// steps so the stop button takes effect within a second.
func Interrupted() bool {
	return Context().Err() != nil
}

// CheckInterrupt returns ErrInterrupted if the current run was interrupted and
// nil otherwise; it reads naturally at the top of a step: if err := ...; err != nil.
func CheckInterrupt() error {
	if Interrupted() {
		return ErrInterrupted
	}
	return nil
}
