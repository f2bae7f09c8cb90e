package session

import (
	"context"
	"testing"
	"time"
)

// TestValueRenderInterrupt: the MIMEBundle and String methods of a cell type
// that render a cell's value run under the cell's context, so the stop button
// interrupts even an endless interpreted loop in them; the session keeps its
// state and runs the next cell.
func TestValueRenderInterrupt(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "kept := 5\ntype endless struct{}\nfunc (endless) MIMEBundle() display.Bundle {\n\tn := 0\n\tfor {\n\t\tn++\n\t}\n}\ntype talker struct{}\nfunc (talker) String() string {\n\tfor {\n\t}\n}"},
	})
	for _, code := range []string{"endless{}", "talker{}"} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		r := s.Execute(ctx, code)
		cancel()
		if r.Error == nil || r.Error.Name != "KeyboardInterrupt" {
			t.Fatalf("%s: want KeyboardInterrupt, got %+v", code, r.Error)
		}
		runSteps(t, s, out, errw, []step{{code: "kept", value: "5"}})
	}
	// A panic in MIMEBundle is the cell's error, with the cell's line.
	runSteps(t, s, out, errw, []step{
		{code: "type broken struct{}\nfunc (broken) MIMEBundle() display.Bundle { panic(\"no picture\") }"},
		{code: "\nbroken{}", errName: "panic", errHas: []string{"no picture", "line 2 of this cell"}},
	})
}
