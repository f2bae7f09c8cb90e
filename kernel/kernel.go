// Package kernel is turinglab's Jupyter kernel: it speaks the Jupyter messaging
// protocol over ZeroMQ, runs each cell in a persistent Go session
// (kernel/session, built on yaegi), streams the cell's output, shows its
// displays and results, and stays responsive to interrupt and shutdown while a
// cell runs. `turinglab kernel CONNECTION_FILE` calls Run.
//
// Reading order: connection.go (where to listen), message.go and signer.go (the
// wire format), content.go (every message's fields), sockets.go, this file (the
// request loops), then one file per request kind: kernel_info.go, execute.go,
// introspection.go (complete, inspect, is_complete), history.go, control.go
// (interrupt and shutdown), stdin.go (input requests); capture.go and sink.go
// carry a cell's outputs;
// kernelspec.go installs the kernel for Jupyter.
package kernel

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/kernel/session"
)

// Options adjust Run; the zero value is what Jupyter uses.
type Options struct {
	// NoCapture leaves file descriptors 1 and 2 alone (for debugging the kernel
	// from a terminal); cell output then goes to the kernel's own stdout.
	NoCapture bool
}

// Kernel is one running kernel process: its sockets, its Go session and the
// state the protocol keeps (execution count, history, the running request).
type Kernel struct {
	info    ConnectionInfo
	signer  *Signer
	socks   *sockets
	log     *log.Logger
	id      string // the kernel's session id, sent in every header it writes
	capture *Capture
	sink    *displaySink
	history *History

	// The Go session is created in the background so the kernel answers
	// kernel_info at once; cells wait for it.
	sessionReady chan struct{}
	session      *session.Session
	sessionErr   error

	ctx  context.Context
	stop context.CancelFunc

	parentMu sync.Mutex
	parent   Header // the request whose outputs are being published

	runMu     sync.Mutex
	runCancel context.CancelFunc // cancels the running cell; nil when idle

	cellMu sync.Mutex
	cell   *runningCell // the cell in Session.Execute, stuck or not; nil when idle (running.go)

	inputMu      sync.Mutex
	input        inputRoute   // where the running cell's input requests go (stdin.go)
	inputReplies chan Message // input replies, from the stdin reader to the waiting prompt

	// Shell requests are queued by a reader goroutine and run one at a time by
	// the shell worker; arrival times let stop_on_error abort the execute
	// requests that were queued when a cell failed (or arrive just after).
	queue          chan queuedRequest
	abortUntil     time.Time // shell worker only
	executionCount int       // shell worker only

	exitOnce  sync.Once
	exit      chan struct{}   // closed once a shutdown request has been answered
	echo      *iopubEcho      // the kernel's own status messages, coming back; set at shutdown (iopub_echo.go)
	finalEcho <-chan struct{} // closed when the last status message has come back; set before exit closes
}

// queuedRequest is a verified shell request and its arrival time.
type queuedRequest struct {
	msg Message
	at  time.Time
}

// Run starts a kernel for the connection file and serves until a client sends
// shutdown_request. It returns an error only when the kernel cannot start.
func Run(connectionFile string, opts Options) error {
	info, err := ReadConnectionFile(connectionFile)
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	k := &Kernel{
		info:         info,
		signer:       NewSigner(info.Key),
		log:          log.New(os.Stderr, "turinglab: ", log.LstdFlags),
		id:           uuid.NewString(),
		history:      NewHistory(),
		sessionReady: make(chan struct{}),
		ctx:          ctx,
		stop:         stop,
		queue:        make(chan queuedRequest, 4096),
		exit:         make(chan struct{}),
		inputReplies: make(chan Message, 1),
	}
	k.sink = &displaySink{k: k, shown: map[string]bool{}}

	k.socks, err = bindSockets(ctx, info, k.log)
	if err != nil {
		return err
	}
	defer k.socks.close()
	if !opts.NoCapture {
		k.capture, err = StartCapture(k.publishStream)
		if err != nil {
			return err
		}
		k.log.SetOutput(k.capture.Log)
		// A fatal runtime error (not a recoverable panic) would otherwise
		// vanish into the captured stderr.
		_ = debug.SetCrashOutput(k.capture.Log, debug.CrashOptions{})
	}
	go k.startSession()
	display.SetSink(k.sink)

	k.publish("status", Header{}, Status{ExecutionState: "starting"})
	go heartbeat(k.socks.hb)
	go k.readShell()
	go k.serveShell()
	go k.serveControl()
	go k.readStdin()
	go k.handleSIGINT()

	<-k.exit
	// The shutdown request's idle status was the last message published
	// (endRequest); once it has come back on the loopback subscription, which
	// the PUB socket writes to after every client, everything has been sent.
	k.echo.await(k.finalEcho)
	k.echo.close()
	k.stop() // the receive loops see the cancelled context and end quietly
	return nil
}

// startSession creates the Go session that runs cells.
func (k *Kernel) startSession() {
	defer close(k.sessionReady)
	defer func() {
		if r := recover(); r != nil {
			k.sessionErr = fmt.Errorf("creating the Go session panicked: %v", r)
		}
	}()
	k.session, k.sessionErr = session.New(session.Options{Stdout: os.Stdout, Stderr: os.Stderr})
	if k.sessionErr != nil {
		k.log.Printf("cannot create the Go session: %v", k.sessionErr)
	}
}

// waitSession returns the session once it exists (nil if it failed to start).
func (k *Kernel) waitSession() (*session.Session, error) {
	<-k.sessionReady
	return k.session, k.sessionErr
}

// readShell receives shell requests, drops those that fail verification, and
// queues the rest for the shell worker.
func (k *Kernel) readShell() {
	for {
		msg, ok := k.receive(k.socks.shell)
		if !ok {
			return
		}
		k.queue <- queuedRequest{msg: msg, at: time.Now()}
	}
}

// serveShell handles shell requests one at a time, in arrival order.
func (k *Kernel) serveShell() {
	for {
		select {
		case <-k.ctx.Done():
			return
		case q := <-k.queue:
			k.handle(k.socks.shell, q.msg, q.at)
		}
	}
}

// serveControl handles control requests as they arrive, independently of the
// shell, so interrupt and shutdown work while a cell runs.
func (k *Kernel) serveControl() {
	for {
		msg, ok := k.receive(k.socks.control)
		if !ok {
			return
		}
		k.handle(k.socks.control, msg, time.Now())
	}
}

// receive returns the next verified message on a ROUTER channel; it logs and
// skips anything malformed or wrongly signed, and reports false at shutdown.
func (k *Kernel) receive(ch *channel) (Message, bool) {
	for {
		raw, err := ch.sock.Recv()
		if k.ctx.Err() != nil {
			return Message{}, false
		}
		if err != nil {
			k.log.Printf("%s: receive: %v", ch.name, err)
			// A back-off, not synchronisation: a socket that keeps failing
			// must not spin the loop (and flood the log) at full speed.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		msg, err := Decode(k.signer, raw.Frames)
		if err != nil {
			k.log.Printf("%s: dropped a message: %v", ch.name, err)
			continue
		}
		return msg, true
	}
}

// handle runs one request between `busy` and `idle` status messages, as the
// protocol requires for every request on shell and control.
func (k *Kernel) handle(ch *channel, msg Message, arrived time.Time) {
	k.publish("status", msg.Header, Status{ExecutionState: "busy"})
	defer k.endRequest(msg)
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("%s: handler for %s panicked: %v\n%s", ch.name, msg.Header.MsgType, r, debug.Stack())
		}
	}()
	onControl := ch == k.socks.control
	switch msg.Header.MsgType {
	case "kernel_info_request":
		k.kernelInfo(ch, msg)
	case "shutdown_request":
		k.shutdown(ch, msg)
	case "interrupt_request":
		k.interruptRequest(ch, msg)
	case "comm_info_request":
		k.commInfo(ch, msg)
	case "history_request":
		k.historyRequest(ch, msg)
	case "execute_request", "complete_request", "inspect_request", "is_complete_request":
		if onControl {
			k.log.Printf("control: %s belongs on the shell channel; ignored", msg.Header.MsgType)
			return
		}
		switch msg.Header.MsgType {
		case "execute_request":
			k.executeRequest(ch, msg, arrived)
		case "complete_request":
			k.completeRequest(ch, msg)
		case "inspect_request":
			k.inspectRequest(ch, msg)
		case "is_complete_request":
			k.isCompleteRequest(ch, msg)
		}
	case "comm_open", "comm_msg", "comm_close":
		// The kernel registers no comm targets; nothing to answer.
	default:
		k.log.Printf("%s: unknown message type %q ignored", ch.name, msg.Header.MsgType)
	}
}

// endRequest publishes the idle status that ends request. After a shutdown
// request that is the kernel's last message: the output capture publishes
// what is pending and stops first. Run closes the sockets once it has come
// back (iopub_echo.go).
func (k *Kernel) endRequest(request Message) {
	idle := newHeader("status", k.id)
	if request.Header.MsgType != "shutdown_request" {
		k.publishAs(idle, request.Header, Status{ExecutionState: "idle"})
		return
	}
	k.exitOnce.Do(func() {
		k.closeCapture()
		k.echo = dialIOPubEcho(k.ctx, k.info, k.id, k.socks.iopub.sock, k.signer, k.log)
		k.finalEcho = k.echo.expect(idle.MsgID)
		k.publishAs(idle, request.Header, Status{ExecutionState: "idle"})
		close(k.exit)
	})
}

// closeCaptureWait bounds how long the shutdown's final status waits for the
// output capture to publish what is pending: a flush round trip takes at most
// flushTimeout per stream, but a write to a full pipe, whose reader a stuck
// cell's output keeps busy, has no bound of its own.
const closeCaptureWait = 3 * time.Second

// closeCapture publishes the output still pending and stops the capture, or
// gives up after closeCaptureWait: the final status must go out whatever a
// stuck cell does to the captured pipes (TestStuckCell's restart once waited
// here for more than 30 s).
func (k *Kernel) closeCapture() {
	if k.capture == nil {
		return
	}
	closed := make(chan struct{})
	go func() {
		k.capture.Close()
		close(closed)
	}()
	t := time.NewTimer(closeCaptureWait)
	defer t.Stop()
	select {
	case <-closed:
	case <-t.C:
	}
}

// reply sends a reply to request on the channel it came from.
func (k *Kernel) reply(ch *channel, request Message, msgType string, content any) {
	k.flushOutput()
	frames, err := Encode(k.signer, request.Identities, newHeader(msgType, k.id), request.Header, nil, content)
	if err == nil {
		err = ch.send(frames)
	}
	if err != nil {
		k.log.Printf("%s: %s: %v", ch.name, msgType, err)
	}
}

// publish broadcasts a message on iopub with the given parent header.
func (k *Kernel) publish(msgType string, parent Header, content any) {
	k.publishAs(newHeader(msgType, k.id), parent, content)
}

// publishAs broadcasts a message with its own header h on iopub.
func (k *Kernel) publishAs(h Header, parent Header, content any) {
	topic := []byte("kernel." + k.id + "." + h.MsgType)
	frames, err := Encode(k.signer, [][]byte{topic}, h, parent, nil, content)
	if err == nil {
		err = k.socks.iopub.send(frames)
	}
	if err != nil {
		k.log.Printf("iopub: %s: %v", h.MsgType, err)
	}
}

// publishStream is the capture's callback: text printed by the running cell.
func (k *Kernel) publishStream(name, text string) {
	k.publish("stream", k.currentParent(), Stream{Name: name, Text: text})
}

// flushOutput publishes everything printed so far, so that what follows
// (a display, a result, a reply) appears after it.
func (k *Kernel) flushOutput() {
	if k.capture != nil {
		k.capture.Flush()
	}
}

// currentParent is the header of the request whose outputs are being published.
func (k *Kernel) currentParent() Header {
	k.parentMu.Lock()
	defer k.parentMu.Unlock()
	return k.parent
}

func (k *Kernel) setParent(h Header) {
	k.parentMu.Lock()
	k.parent = h
	k.parentMu.Unlock()
}

// handleSIGINT turns SIGINT into an interrupt of the running cell. Jupyter may
// signal the kernel's whole process group; the kernel must never die of it.
func (k *Kernel) handleSIGINT() {
	c := make(chan os.Signal, 4)
	signal.Notify(c, os.Interrupt)
	for {
		select {
		case <-k.ctx.Done():
			signal.Stop(c)
			return
		case <-c:
			k.log.Printf("SIGINT: interrupting the running cell")
			k.interrupt()
		}
	}
}
