package kernel

import (
	"errors"
	"fmt"

	"github.com/turinglab/turinglab/display"
)

// A cell that calls wb.Input (display.Input) asks the front end for a line of
// text: the kernel sends input_request on the stdin channel, to the client that
// sent the running execute_request (its routing identities) and parented to
// that request, and waits for input_reply. Only a request that said
// allow_stdin may be asked; the stop button ends the wait.

// inputRoute is where input requests of the running cell go.
type inputRoute struct {
	identities [][]byte
	parent     Header
	allowed    bool
}

// setInputRoute records the running execute request for input requests; a zero
// route (after the cell) allows none.
func (k *Kernel) setInputRoute(r inputRoute) {
	k.inputMu.Lock()
	k.input = r
	k.inputMu.Unlock()
}

// readStdin receives input replies and hands each to the waiting prompt; one
// that nobody waits for (a late reply after an interrupt) is dropped.
func (k *Kernel) readStdin() {
	for {
		msg, ok := k.receive(k.socks.stdin)
		if !ok {
			return
		}
		if msg.Header.MsgType != "input_reply" {
			k.log.Printf("stdin: unexpected %q ignored", msg.Header.MsgType)
			continue
		}
		select {
		case k.inputReplies <- msg:
		default:
			k.log.Printf("stdin: an input_reply nobody waits for was dropped")
		}
	}
}

// prompt sends one input_request and returns the value of its reply.
func (k *Kernel) prompt(prompt string, password bool) (string, error) {
	k.inputMu.Lock()
	route := k.input
	k.inputMu.Unlock()
	if !route.allowed {
		return "", errors.New("input is not available: the front end that runs this cell does not accept input requests (its execute_request has allow_stdin false)")
	}
	k.flushOutput() // the prompt comes after what the cell printed
	for len(k.inputReplies) > 0 {
		<-k.inputReplies // stale replies of an earlier, interrupted prompt
	}
	header := newHeader("input_request", k.id)
	frames, err := Encode(k.signer, route.identities, header, route.parent, nil, InputRequest{Prompt: prompt, Password: password})
	if err == nil {
		err = k.socks.stdin.send(frames)
	}
	if err != nil {
		return "", fmt.Errorf("input: sending input_request: %w", err)
	}
	for {
		select {
		case msg := <-k.inputReplies:
			// jupyter_client sends input_reply without a parent header, so
			// only a reply that names another request is skipped.
			if p := msg.ParentHeader.MsgID; p != "" && p != header.MsgID {
				continue
			}
			var rep InputReply
			if err := msg.DecodeContent(&rep); err != nil {
				return "", fmt.Errorf("input: %w", err)
			}
			return rep.Value, nil
		case <-display.Context().Done():
			return "", display.ErrInterrupted
		case <-k.ctx.Done():
			return "", errors.New("input: the kernel is shutting down")
		}
	}
}

// Prompt makes the kernel's sink a display.Prompter.
func (s *displaySink) Prompt(prompt string, password bool) (string, error) {
	return s.k.prompt(prompt, password)
}
