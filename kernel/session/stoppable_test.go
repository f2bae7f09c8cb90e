package session

import (
	"context"
	"testing"
	"time"
)

// The session reaches the fields of yaegi's interpreter that start and stop a
// run; without them it would fall back to ExecuteWithContext and could not
// wait for interrupted code to return (stoppable.go). A yaegi upgrade that
// changes the layout fails here first.
func TestRunControlReachesYaegi(t *testing.T) {
	s, _, _ := newTestSession(t)
	if _, ok := runControlOf(s.in); !ok {
		t.Fatal("runControlOf: yaegi's Interpreter no longer has the fields id, mutex, done, cancelChan and fastChan")
	}
}

// An interrupted cell's code has returned by the time Execute returns: the
// stopped loop's goroutine is done (awaitStopped consumed its channel), so the
// next cell reads variables that nothing changes any more.
func TestInterruptWaitsForTheStoppedCode(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{{code: "var spins int"}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	r := s.Execute(ctx, "for { spins++ }")
	if r.Error == nil || r.Error.Name != "KeyboardInterrupt" {
		t.Fatalf("want KeyboardInterrupt, got %+v", r.Error)
	}
	if s.stopping != nil {
		t.Fatal("the session kept the stopped run's channel: nothing waited for the stopped code")
	}
	before := s.Execute(context.Background(), "spins")
	after := s.Execute(context.Background(), "spins")
	if before.Value == nil || after.Value == nil || before.Value.Text() != after.Value.Text() {
		t.Fatalf("the stopped loop still runs: spins %v then %v", before.Value, after.Value)
	}
}
