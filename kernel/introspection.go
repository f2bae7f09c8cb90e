package kernel

import (
	"unicode/utf8"

	"github.com/turinglab/turinglab/display"
)

// Completion, inspection and the completeness check. Since protocol 5.2,
// cursor positions count Unicode code points, which is exactly what the
// session's rune offsets are; the kernel only clamps them to the code.

// completeRequest answers complete_request with the session's matches (none
// while a stuck cell keeps the session busy; running.go).
func (k *Kernel) completeRequest(ch *channel, msg Message) {
	var req CompleteRequest
	if err := msg.DecodeContent(&req); err != nil {
		k.log.Print(err)
	}
	cursor := clampCursor(req.CursorPos, req.Code)
	reply := CompleteReply{Status: "ok", Matches: []string{}, CursorStart: cursor, CursorEnd: cursor, Metadata: map[string]any{}}
	if rc := k.stuckCell(); rc != nil {
		// The session is busy with a stuck cell: no matches, and why.
		reply.Metadata["turinglab_busy"] = rc.busyMessage()
	} else if sess, err := k.waitSession(); err == nil && sess != nil {
		c := sess.Complete(req.Code, cursor)
		if c.Matches != nil {
			reply.Matches = c.Matches
		}
		reply.CursorStart = clampCursor(c.Start, req.Code)
		reply.CursorEnd = clampCursor(c.End, req.Code)
		if reply.CursorEnd < reply.CursorStart {
			reply.CursorEnd = reply.CursorStart
		}
	}
	k.reply(ch, msg, "complete_reply", reply)
}

// inspectRequest answers inspect_request with the documentation bundle of the
// name under the cursor (a note while a stuck cell keeps the session busy).
func (k *Kernel) inspectRequest(ch *channel, msg Message) {
	var req InspectRequest
	if err := msg.DecodeContent(&req); err != nil {
		k.log.Print(err)
	}
	reply := InspectReply{Status: "ok", Data: map[string]any{}, Metadata: map[string]any{}}
	if rc := k.stuckCell(); rc != nil {
		// The session is busy with a stuck cell: the note takes the place of
		// the documentation, so the user sees why there is none.
		reply.Found, reply.Data = true, map[string]any{display.MIMEText: rc.busyMessage()}
	} else if sess, err := k.waitSession(); err == nil && sess != nil {
		b, found := sess.Inspect(req.Code, clampCursor(req.CursorPos, req.Code), req.DetailLevel)
		if found {
			reply.Found, reply.Data, reply.Metadata = true, mimeData(b), mimeMetadata(b)
		}
	}
	k.reply(ch, msg, "inspect_reply", reply)
}

// isCompleteRequest answers is_complete_request: "complete", "incomplete"
// (with the indent for the next line), or "invalid".
func (k *Kernel) isCompleteRequest(ch *channel, msg Message) {
	var req IsCompleteRequest
	if err := msg.DecodeContent(&req); err != nil {
		k.log.Print(err)
	}
	reply := IsCompleteReply{Status: "unknown"}
	if sess, err := k.waitSession(); err == nil && sess != nil {
		status, indent := sess.IsComplete(req.Code)
		reply.Status = status
		if status == "incomplete" {
			reply.Indent = &indent
		}
	}
	k.reply(ch, msg, "is_complete_reply", reply)
}

// clampCursor keeps a code-point offset inside code.
func clampCursor(pos int, code string) int {
	n := utf8.RuneCountInString(code)
	if pos < 0 || pos > n {
		return n
	}
	return pos
}
