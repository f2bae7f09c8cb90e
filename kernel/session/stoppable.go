package session

import (
	"context"
	"reflect"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/traefik/yaegi/interp"
)

// After an interrupt the session moves to a fresh interpreter, carrying the
// variables over (rebuild.go). It must first know that the stopped code has
// actually stopped, or the stopped code's last step could still change a
// variable after the next cell has read it. yaegi's ExecuteWithContext and
// EvalWithContext return at the interrupt without waiting for the goroutine
// that runs the code: that goroutine notices the new run id at its next step
// and returns then (microseconds for an interpreted loop; when the code is
// inside a compiled call, once the call returns).
//
// So the session runs code the way those two functions do, with the one
// difference that it keeps the goroutine's end: a channel closed when the
// code has returned. After an interrupt, finish (cell_run.go) waits on it,
// for at most stopWait: code stuck in a compiled call that ignores the
// interrupt is left behind (the kernel tells the user; see kernel/running.go),
// and cannot resume, because the session moves to a fresh interpreter.
//
// Starting and stopping a run needs fields of the interpreter that yaegi does
// not export (v0.16.1: id, done, mutex, cancelChan and opt.fastChan); they are
// reached as shared_slots.go reaches the global frame. If that layout ever
// changes, runControlOf reports false, the session uses ExecuteWithContext
// and EvalWithContext, and after an interrupt it rebuilds without waiting.

// stopWait bounds the wait for interrupted code to return: long enough for a
// compiled library loop that polls the interrupt (display.CheckInterrupt)
// between steps to finish its step, short enough that the kernel reports the
// interrupt well within its grace period (kernel/execute.go).
const stopWait = 250 * time.Millisecond

// runControl gives access to the fields of a yaegi interpreter that its
// ExecuteWithContext uses to start and stop a run.
type runControl struct {
	id         *uint64        // the run id; every running frame compares it at each step
	mutex      *sync.RWMutex  // guards done
	done       *chan struct{} // closed at a stop, which wakes blocked channel operations
	cancelChan *bool          // channel operations watch done
	fastChan   bool           // the option that turns that watching off
}

// runControlOf returns the run control of in, or false if yaegi's layout is
// not the expected one.
func runControlOf(in *interp.Interpreter) (runControl, bool) {
	v := reflect.ValueOf(in).Elem()
	field := func(name string, t reflect.Type) unsafe.Pointer {
		f := v.FieldByName(name)
		if !f.IsValid() || f.Type() != t || !f.CanAddr() {
			return nil
		}
		return unsafe.Pointer(f.UnsafeAddr())
	}
	id := field("id", reflect.TypeFor[uint64]())
	mutex := field("mutex", reflect.TypeFor[sync.RWMutex]())
	done := field("done", reflect.TypeFor[chan struct{}]())
	cancelChan := field("cancelChan", reflect.TypeFor[bool]())
	fastChan := field("fastChan", reflect.TypeFor[bool]())
	if id == nil || mutex == nil || done == nil || cancelChan == nil || fastChan == nil {
		return runControl{}, false
	}
	return runControl{id: (*uint64)(id), mutex: (*sync.RWMutex)(mutex), done: (*chan struct{})(done),
		cancelChan: (*bool)(cancelChan), fastChan: *(*bool)(fastChan)}, true
}

// start prepares a run as ExecuteWithContext does: a fresh done channel.
func (c runControl) start() {
	c.mutex.Lock()
	*c.done = make(chan struct{})
	*c.cancelChan = !c.fastChan
	c.mutex.Unlock()
}

// stop stops the run as ExecuteWithContext does at an interrupt.
func (c runControl) stop() {
	atomic.AddUint64(c.id, 1)
	close(*c.done)
}

// runOutcome is what a run of interpreted code returned.
type runOutcome struct {
	value reflect.Value
	err   error
}

// stoppableRun is the goroutine of a run: it calls run and closes returned
// when run has returned, also when run ends the goroutine with runtime.Goexit
// (a RecursionError, recursion_stop.go). A panic that escapes run (yaegi's
// compiler, in Eval) becomes an interp.Panic, as in EvalWithContext.
func stoppableRun(run func() (reflect.Value, error), out *runOutcome, returned chan<- struct{}) {
	defer close(returned)
	defer func() {
		if r := recover(); r != nil {
			var pc [64]uintptr
			n := runtime.Callers(1, pc[:])
			out.err = interp.Panic{Value: r, Callers: pc[:n], Stack: debug.Stack()}
		}
	}()
	out.value, out.err = run()
}

// runStoppable runs code on in until it returns or ctx is cancelled: run is
// in.Execute or in.Eval, withContext the matching ExecuteWithContext or
// EvalWithContext, used when in's run control cannot be had. After an
// interrupt it keeps the channel that the run's end closes in s.stopping.
func (s *Session) runStoppable(ctx context.Context, in *interp.Interpreter, run, withContext func() (reflect.Value, error)) (reflect.Value, error) {
	ctl, ok := runControlOf(in)
	if !ok {
		return withContext()
	}
	ctl.start()
	var out runOutcome
	returned := make(chan struct{})
	go stoppableRun(run, &out, returned)
	select {
	case <-ctx.Done():
		ctl.stop()
		s.stopping = returned
		return reflect.Value{}, ctx.Err()
	case <-returned:
		return out.value, out.err
	}
}

// execute is in.ExecuteWithContext(ctx, prog), with the end of an interrupted
// run kept for awaitStopped.
func (s *Session) execute(ctx context.Context, in *interp.Interpreter, prog *interp.Program) (reflect.Value, error) {
	return s.runStoppable(ctx, in,
		func() (reflect.Value, error) { return in.Execute(prog) },
		func() (reflect.Value, error) { return in.ExecuteWithContext(ctx, prog) })
}

// awaitStopped waits until the code that the last interrupt stopped has
// returned, for at most stopWait.
func (s *Session) awaitStopped() {
	returned := s.stopping
	s.stopping = nil
	if returned == nil {
		return
	}
	t := time.NewTimer(stopWait)
	defer t.Stop()
	select {
	case <-returned:
	case <-t.C:
	}
}
