package kernel

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/kernel/session"
)

// interruptGrace is how long an interrupted cell may take to return before the
// kernel reports the interrupt anyway and moves on (the session normally
// returns at once; this is the second line of defence against a call that
// ignores its context).
const interruptGrace = 800 * time.Millisecond

// executeRequest runs one cell: execute_input, the cell's outputs, its value as
// execute_result or its failure as error, then execute_reply. After an error
// with stop_on_error, execute requests already queued are answered "aborted".
func (k *Kernel) executeRequest(ch *channel, msg Message, arrived time.Time) {
	var req ExecuteRequest
	if err := msg.DecodeContent(&req); err != nil {
		k.log.Print(err)
		ec := ErrorContent{Ename: "BadRequest", Evalue: err.Error(), Traceback: []string{err.Error()}}
		k.reply(ch, msg, "execute_reply", ExecuteReply{Status: "error", ExecutionCount: k.executionCount,
			Payload: []Payload{}, UserExpressions: map[string]any{}, ErrorContent: &ec})
		return
	}
	storeHistory := req.StoreHistory == nil || *req.StoreHistory
	stopOnError := req.StopOnError == nil || *req.StopOnError
	if req.Silent {
		storeHistory = false // the spec forces this
	}
	reply := ExecuteReply{Status: "ok", Payload: []Payload{}, UserExpressions: map[string]any{}}

	if arrived.Before(k.abortUntil) {
		reply.Status, reply.ExecutionCount = "aborted", k.executionCount
		k.reply(ch, msg, "execute_reply", reply)
		return
	}
	if storeHistory {
		k.executionCount++
	}
	count := k.executionCount
	reply.ExecutionCount = count
	if !req.Silent {
		k.publish("execute_input", msg.Header, ExecuteInput{Code: req.Code, ExecutionCount: count})
	}

	k.setInputRoute(inputRoute{identities: msg.Identities, parent: msg.Header, allowed: req.AllowStdin})
	res := k.runCell(msg.Header, req.Code)
	k.setInputRoute(inputRoute{})
	k.flushOutput()
	output := ""
	if res.Error != nil {
		ec := errorContent(res.Error)
		k.publish("error", msg.Header, ec)
		reply.Status, reply.ErrorContent = "error", &ec
		if stopOnError {
			// Everything that arrived before this reply goes out was sent
			// without knowing the cell failed: abort those execute requests.
			k.abortUntil = time.Now()
		}
	} else {
		if res.Value != nil && !req.Silent {
			output = res.Value.Text()
			k.publish("execute_result", msg.Header, ExecuteResult{ExecutionCount: count,
				Data: mimeData(*res.Value), Metadata: mimeMetadata(*res.Value)})
		}
		if res.Pager != "" {
			reply.Payload = append(reply.Payload, Payload{Source: "page",
				Data: map[string]any{display.MIMEText: res.Pager}, Start: 0})
		}
		reply.UserExpressions = k.userExpressions(msg.Header, req.UserExpressions)
	}
	if storeHistory {
		k.history.Add(count, req.Code, output)
	}
	k.reply(ch, msg, "execute_reply", reply)
}

// runCell runs code in the session on its own goroutine and waits for it; an
// interrupt cancels the context given to Execute and the display run that
// compiled code polls. If the cell does not return within interruptGrace of
// an interrupt, it is left behind and reported as interrupted, so the kernel
// always comes back; until it returns, new cells get a KernelBusy error
// (running.go).
func (k *Kernel) runCell(parent Header, code string) session.Result {
	sess, err := k.waitSession()
	if err != nil || sess == nil {
		return session.Result{Error: &session.Error{Name: "SessionError",
			Value: fmt.Sprintf("the Go session could not start: %v", err)}}
	}
	if rc := k.waitStuck(); rc != nil {
		return session.Result{Error: rc.busyError()}
	}
	k.flushOutput() // late output of earlier cells stays with them
	k.setParent(parent)
	if k.capture != nil {
		k.capture.BeginCell()
	}

	// A fresh display run for library code that polls display.Interrupted, and
	// a context of the kernel's own for the session: interrupt cancels both.
	// (The context is not derived from the run's, so a later BeginRun — the
	// session may start one per statement group — does not cancel the cell.)
	display.BeginRun()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k.runMu.Lock()
	k.runCancel = cancel
	k.runMu.Unlock()
	defer func() {
		k.runMu.Lock()
		k.runCancel = nil
		k.runMu.Unlock()
	}()

	rc := k.beginCell(parent, code)
	gaveUp := make(chan struct{}) // closed when runCell stops waiting for the cell
	done := make(chan session.Result, 1)
	go func() {
		res := k.execute(ctx, sess, code)
		k.endCell(rc) // before the result goes out: the next request finds the session free
		select {
		case <-gaveUp:
			k.stuckReturned(rc)
		default:
		}
		done <- res
	}()
	select {
	case res := <-done:
		return res
	case <-ctx.Done():
	}
	select {
	case res := <-done:
		return res
	case <-time.After(interruptGrace):
		close(gaveUp)
		k.log.Printf("an interrupted cell did not return within %v; continuing without it", interruptGrace)
		return session.Result{Error: &session.Error{Name: "Interrupted", Value: display.ErrInterrupted.Error(),
			Traceback: []string{"Interrupted: the cell was stopped by the user, but it is still running in compiled code that does not check for interrupts.",
				"New cells run once it returns; restart the kernel (Kernel > Restart) to stop it."}}}
	}
}

// execute is sess.Execute with a panic that escapes it turned into an error.
func (k *Kernel) execute(ctx context.Context, sess *session.Session, code string) (res session.Result) {
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("panic escaped Session.Execute: %v\n%s", r, debug.Stack())
			res = session.Result{Error: &session.Error{Name: "panic", Value: fmt.Sprint(r),
				Traceback: []string{fmt.Sprintf("panic: %v", r)}}}
		}
	}()
	return sess.Execute(ctx, code)
}

// userExpressions evaluates the request's user_expressions after a successful
// cell, each to a MIME bundle or an error, as the spec describes.
func (k *Kernel) userExpressions(parent Header, exprs map[string]string) map[string]any {
	out := map[string]any{}
	for name, expr := range exprs {
		res := k.runCell(parent, expr)
		if res.Error != nil {
			ec := errorContent(res.Error)
			out[name] = UserExpressionError{Status: "error", ErrorContent: ec}
			continue
		}
		b := display.TextBundle("")
		if res.Value != nil {
			b = *res.Value
		}
		out[name] = UserExpressionValue{Status: "ok", Data: mimeData(b), Metadata: mimeMetadata(b)}
	}
	return out
}

// errorContent converts a session error; the traceback is always a list.
func errorContent(e *session.Error) ErrorContent {
	ec := ErrorContent{Ename: e.Name, Evalue: e.Value, Traceback: e.Traceback}
	if ec.Ename == "" {
		ec.Ename = "Error"
	}
	if ec.Traceback == nil {
		ec.Traceback = []string{fmt.Sprintf("%s: %s", ec.Ename, ec.Evalue)}
	}
	return ec
}
