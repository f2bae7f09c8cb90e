package kernel

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// sendTimeout bounds how long one send may block on a vanished client, so a
// dead front end cannot wedge the kernel.
const sendTimeout = 10 * time.Second

// channel is one of the kernel's ZeroMQ sockets with the lock that serialises
// sends from the several goroutines that reply or publish on it.
type channel struct {
	name string
	sock zmq4.Socket
	mu   sync.Mutex
}

// sockets are the five channels of the messaging spec: shell (requests),
// control (interrupt, shutdown — served even while a cell runs), stdin (input
// requests), iopub (broadcast of outputs and status) and heartbeat (echo).
type sockets struct {
	shell, control, stdin, iopub, hb *channel
}

// bindSockets creates the sockets and binds each on the connection file's
// endpoint: ROUTER for shell, control and stdin, PUB for iopub, REP for the
// heartbeat. ZeroMQ's own complaints go to the kernel's log, not to fd 2
// (which carries the running cell's stderr).
func bindSockets(ctx context.Context, info ConnectionInfo, logger *log.Logger) (*sockets, error) {
	opts := []zmq4.Option{zmq4.WithTimeout(sendTimeout), zmq4.WithLogger(logger)}
	s := &sockets{
		shell:   &channel{name: "shell", sock: zmq4.NewRouter(ctx, opts...)},
		control: &channel{name: "control", sock: zmq4.NewRouter(ctx, opts...)},
		stdin:   &channel{name: "stdin", sock: zmq4.NewRouter(ctx, opts...)},
		iopub:   &channel{name: "iopub", sock: zmq4.NewPub(ctx, opts...)},
		hb:      &channel{name: "heartbeat", sock: zmq4.NewRep(ctx, opts...)},
	}
	ports := []struct {
		ch   *channel
		port int
	}{{s.shell, info.ShellPort}, {s.control, info.ControlPort}, {s.stdin, info.StdinPort},
		{s.iopub, info.IOPubPort}, {s.hb, info.HBPort}}
	for _, p := range ports {
		ep := info.Endpoint(p.port)
		if err := p.ch.sock.Listen(ep); err != nil {
			s.close()
			return nil, fmt.Errorf("bind %s socket on %s: %w", p.ch.name, ep, err)
		}
	}
	return s, nil
}

// send writes one multipart message on the channel.
func (c *channel) send(frames [][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		return fmt.Errorf("send on %s: %w", c.name, err)
	}
	return nil
}

// close closes every socket (errors are irrelevant at shutdown).
func (s *sockets) close() {
	for _, c := range []*channel{s.shell, s.control, s.stdin, s.iopub, s.hb} {
		_ = c.sock.Close()
	}
}

// heartbeat echoes every ping back unchanged, which is how a client knows the
// kernel process is alive. It runs until the socket is closed.
func heartbeat(hb *channel) {
	for {
		msg, err := hb.sock.Recv()
		if err != nil {
			return
		}
		if err := hb.send(msg.Frames); err != nil {
			return
		}
	}
}
