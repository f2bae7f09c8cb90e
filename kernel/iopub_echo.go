package kernel

import (
	"context"
	"log"
	"slices"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Everything the kernel publishes goes through zmq4's PUB socket, which queues
// each message and writes it from a goroutine of its own to one subscriber
// after another, in the order they connected; zmq4 has no flush. Before the
// kernel closes its sockets at shutdown, that queue must have been written
// out, or the last messages would be lost.
//
// So at shutdown, just before it publishes its final idle status, the kernel
// subscribes to its own status messages over a new loopback connection. That
// connection is the newest, so the PUB socket writes each message to it after
// every client. When the final idle status comes back on it, the status and
// everything before it have been handed to every client's connection, and
// closing the sockets loses nothing. (An echo subscribed at start-up would be
// written to before the clients that connected later: the kernel would close
// the sockets while a client's copy of the last status was still unwritten.)

// echoTimeout bounds the wait for the loopback's subscription to take effect
// and for the final status to come back. Both take microseconds; the bound
// only matters when the loopback cannot connect.
const echoTimeout = 2 * time.Second

// iopubEcho is the kernel's subscription to its own status messages.
type iopubEcho struct {
	sock   zmq4.Socket
	signer *Signer
	log    *log.Logger

	mu      sync.Mutex
	waiting map[string]chan struct{} // by message id: closed when that message comes back
}

// dialIOPubEcho subscribes to the status messages of kernel id on pub, the
// kernel's PUB socket bound to the iopub endpoint of info, and returns once
// pub has registered the subscription (or echoTimeout has passed). It returns
// nil, and logs why, when it cannot connect; then the kernel closes its
// sockets at shutdown without waiting.
func dialIOPubEcho(ctx context.Context, info ConnectionInfo, id string, pub zmq4.Socket, signer *Signer, logger *log.Logger) *iopubEcho {
	local := info
	if local.Transport != "ipc" && (local.IP == "0.0.0.0" || local.IP == "*" || local.IP == "") {
		local.IP = "127.0.0.1" // listening on every interface: connect on the loopback one
	}
	topic := "kernel." + id + ".status"
	sock := zmq4.NewSub(ctx, zmq4.WithLogger(logger))
	if err := sock.Dial(local.Endpoint(info.IOPubPort)); err != nil {
		logger.Printf("iopub: cannot subscribe to the kernel's own messages (shutdown will not wait for them to be sent): %v", err)
		_ = sock.Close()
		return nil
	}
	if err := sock.SetOption(zmq4.OptionSubscribe, topic); err != nil {
		logger.Printf("iopub: cannot subscribe to the kernel's own status messages (shutdown will not wait for them to be sent): %v", err)
		_ = sock.Close()
		return nil
	}
	awaitSubscription(pub, topic, logger)
	e := &iopubEcho{sock: sock, signer: signer, log: logger, waiting: map[string]chan struct{}{}}
	go e.read()
	return e
}

// awaitSubscription waits until pub lists topic among its subscriptions: a
// subscription travels to the PUB socket as a message of its own, and a
// status published before it arrives would not come back. zmq4 signals
// nothing when it arrives, so this polls, every 100 µs, for at most
// echoTimeout. (If a client had subscribed to exactly this topic, the wait
// ends at once and the echo may miss the status; await then gives up after
// echoTimeout, which is slower but loses nothing.)
func awaitSubscription(pub zmq4.Socket, topic string, logger *log.Logger) {
	lister, ok := pub.(zmq4.Topics)
	if !ok {
		return
	}
	deadline := time.Now().Add(echoTimeout)
	for !slices.Contains(lister.Topics(), topic) {
		if time.Now().After(deadline) {
			logger.Printf("iopub: the kernel's own subscription did not arrive within %v", echoTimeout)
			return
		}
		time.Sleep(100 * time.Microsecond)
	}
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
