package kernel

import (
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// stdinClient is a client's stdin socket: a DEALER with the shell socket's
// identity, as jupyter_client makes it, so the kernel's ROUTER can address it.
func (k *testKernel) stdinClient(t *testing.T) zmq4.Socket {
	t.Helper()
	retry := []zmq4.Option{zmq4.WithDialerRetry(50 * time.Millisecond), zmq4.WithDialerMaxRetries(600),
		zmq4.WithID(zmq4.SocketIdentity(k.shellID))}
	sock := zmq4.NewDealer(k.ctx, retry...)
	if err := sock.Dial(k.info.Endpoint(k.info.StdinPort)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sock.Close() })
	return sock
}

// nextInputRequest reads the next input_request from the stdin socket.
func (k *testKernel) nextInputRequest(t *testing.T, sock zmq4.Socket) (Message, InputRequest) {
	t.Helper()
	got := make(chan Message, 1)
	go func() {
		raw, err := sock.Recv()
		if err != nil {
			return
		}
		msg, err := Decode(k.signer, raw.Frames)
		if err != nil {
			t.Errorf("stdin: %v", err)
			return
		}
		got <- msg
	}()
	select {
	case msg := <-got:
		var req InputRequest
		if err := msg.DecodeContent(&req); err != nil {
			t.Fatal(err)
		}
		if msg.Header.MsgType != "input_request" {
			t.Fatalf("stdin: got %s, want input_request", msg.Header.MsgType)
		}
		return msg, req
	case <-time.After(30 * time.Second):
		t.Fatalf("no input_request\nkernel log:\n%s", k.log.String())
	}
	return Message{}, InputRequest{}
}

// answer sends input_reply to an input request.
func (k *testKernel) answer(t *testing.T, sock zmq4.Socket, req Message, value string) {
	t.Helper()
	h := newHeader("input_reply", k.session)
	frames, err := Encode(k.signer, nil, h, req.Header, nil, InputReply{Value: value})
	if err != nil {
		t.Fatal(err)
	}
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		t.Fatal(err)
	}
}

func TestInputRequest(t *testing.T) {
	k := startKernel(t)
	stdin := k.stdinClient(t)
	allow := func(r *ExecuteRequest) { r.AllowStdin = true }

	// The prompt comes after what the cell printed, is parented to the
	// execute request, and the reply's value is what the cell gets.
	id := k.startExecute("import \"fmt\"\nfmt.Println(\"before\")\nname := wb.Input(\"your name? \")\n\"hello \" + name", allow)
	msg, req := k.nextInputRequest(t, stdin)
	if req.Prompt != "your name? " || req.Password || msg.ParentHeader.MsgID != id {
		t.Fatalf("input_request %+v, parent %s, want prompt %q, parent %s", req, msg.ParentHeader.MsgID, "your name? ", id)
	}
	k.answer(t, stdin, msg, "Ada")
	c := k.finishExecute(id, 30*time.Second)
	if c.reply.Status != "ok" || c.text() != "hello Ada" || !strings.Contains(c.stdout, "before") {
		t.Fatalf("cell with input: status %s, result %q, stdout %q", c.reply.Status, c.text(), c.stdout)
	}
	if c := k.mustOK("name"); c.text() != "Ada" {
		t.Fatalf("name = %q", c.text())
	}

	// Password asks for hidden input.
	id = k.startExecute("len(wb.Password(\"token: \"))", allow)
	msg, req = k.nextInputRequest(t, stdin)
	if !req.Password {
		t.Fatalf("password request without password flag: %+v", req)
	}
	k.answer(t, stdin, msg, "secret")
	if c := k.finishExecute(id, 30*time.Second); c.text() != "6" {
		t.Fatalf("password length %q", c.text())
	}

	// A front end that does not allow stdin gets a clear error, not a hang.
	c = k.execute("wb.Input(\"x? \")", 30*time.Second)
	if c.reply.Status != "error" || len(c.errors) != 1 || !strings.Contains(c.errors[0].Evalue, "allow_stdin") {
		t.Fatalf("input without allow_stdin: %+v", c.errors)
	}

	// The stop button ends the wait; the kernel stays up with its state.
	id = k.startExecute("wb.Input(\"never answered? \")", allow)
	k.nextInputRequest(t, stdin)
	k.send(k.control, "interrupt_request", struct{}{})
	c = k.finishExecute(id, 10*time.Second)
	if c.reply.Status != "error" {
		t.Fatalf("interrupted input: status %s", c.reply.Status)
	}
	if c := k.mustOK("name"); c.text() != "Ada" {
		t.Fatalf("state lost after an interrupted input: name = %q", c.text())
	}
}
