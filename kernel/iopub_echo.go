package kernel

import (
	"context"
	"log"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Everything the kernel publishes goes through zmq4's PUB socket, which queues
// each message and writes it to the subscribers from a goroutine of its own;
// zmq4 has no flush. Before the kernel closes its sockets at shutdown that
// queue must have been written out, or the last messages would be lost. So
// the kernel subscribes to its own status messages over a loopback
// connection, made when it starts. The queue writes its messages in order,
// each to every subscriber before the next, so when the loopback receives the
// shutdown request's idle status (the last message the kernel publishes),
// everything published before it has reached every client. The idle status
// itself goes to the clients' connections right after the loopback's (the
// loopback connected first).

// echoTimeout bounds the wait for the final status to come back: it comes back
// within microseconds unless the loopback's subscription failed.
const echoTimeout = 2 * time.Second

// iopubEcho is the kernel's subscription to its own status messages.
type iopubEcho struct {
	sock   zmq4.Socket
	signer *Signer
	log    *log.Logger

	mu      sync.Mutex
	waiting map[string]chan struct{} // by message id: closed when that message comes back
}

// startIOPubEcho subscribes to the status messages of kernel id on the iopub
// endpoint of info. It returns nil (and logs why) when it cannot connect;
// then the kernel closes its sockets at shutdown without waiting.
func startIOPubEcho(ctx context.Context, info ConnectionInfo, id string, signer *Signer, logger *log.Logger) *iopubEcho {
	local := info
	if local.Transport != "ipc" && (local.IP == "0.0.0.0" || local.IP == "*" || local.IP == "") {
		local.IP = "127.0.0.1" // listening on every interface: connect on the loopback one
	}
	sock := zmq4.NewSub(ctx, zmq4.WithLogger(logger))
	if err := sock.Dial(local.Endpoint(info.IOPubPort)); err != nil {
		logger.Printf("iopub: cannot subscribe to the kernel's own messages (shutdown will not wait for them to be sent): %v", err)
		_ = sock.Close()
		return nil
	}
	if err := sock.SetOption(zmq4.OptionSubscribe, "kernel."+id+".status"); err != nil {
		logger.Printf("iopub: cannot subscribe to the kernel's own status messages (shutdown will not wait for them to be sent): %v", err)
		_ = sock.Close()
		return nil
	}
	e := &iopubEcho{sock: sock, signer: signer, log: logger, waiting: map[string]chan struct{}{}}
	go e.read()
	return e
}

// expect returns a channel closed when the message with id msgID comes back.
// The caller calls it before publishing the message.
func (e *iopubEcho) expect(msgID string) <-chan struct{} {
	c := make(chan struct{})
	if e == nil {
		close(c) // no loopback: nothing to wait for
		return c
	}
	e.mu.Lock()
	e.waiting[msgID] = c
	e.mu.Unlock()
	return c
}

// read receives the status messages until the socket closes and closes the
// channel of each one that is expected.
func (e *iopubEcho) read() {
	for {
		raw, err := e.sock.Recv()
		if err != nil {
			return // closed at shutdown
		}
		msg, err := Decode(e.signer, raw.Frames)
		if err != nil {
			e.log.Printf("iopub echo: %v", err)
			continue
		}
		e.mu.Lock()
		if c, ok := e.waiting[msg.Header.MsgID]; ok {
			close(c)
			delete(e.waiting, msg.Header.MsgID)
		}
		e.mu.Unlock()
	}
}

// close ends the subscription.
func (e *iopubEcho) close() {
	if e != nil {
		_ = e.sock.Close()
	}
}

// await waits for c, a channel from expect, for at most echoTimeout, and logs
// when it gave up. Without a loopback (or a channel) there is nothing to wait
// for.
func (e *iopubEcho) await(c <-chan struct{}) {
	if e == nil || c == nil {
		return
	}
	t := time.NewTimer(echoTimeout)
	defer t.Stop()
	select {
	case <-c:
	case <-t.C:
		e.log.Printf("iopub: the final status did not come back within %v; closing the sockets anyway", echoTimeout)
	}
}
