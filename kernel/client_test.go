package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/google/uuid"
)

// This file is a small Jupyter client for the protocol tests: it starts the
// built turinglab binary with a generated connection file and talks to it over
// ZeroMQ, as jupyter_client would, with the typed structs of content.go.

// kernelBinary is built once per test run (or taken from $TURINGLAB_BIN).
var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// binary returns the path of the turinglab binary under test.
func binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TURINGLAB_BIN"); p != "" {
		return p
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "turinglab-test-bin")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "turinglab")
		cmd := exec.Command("go", "build", "-o", buildPath, "../cmd/turinglab")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

// testKernel is a running kernel process and the client's sockets to it. Its
// helpers fail the test (or subtest) last given to use.
type testKernel struct {
	t       testing.TB
	cmd     *exec.Cmd
	exited  chan struct{}
	exitErr error
	log     *lockedBuffer // the kernel's stderr (its log)
	info    ConnectionInfo
	file    string
	signer  *Signer
	session string
	ctx     context.Context
	cancel  context.CancelFunc

	shell, control, iopub, hb zmq4.Socket
	shellID                   string // the shell socket's identity, which a stdin socket must share

	mu      sync.Mutex
	iopubCh map[string]chan received // by parent msg_id
	replies map[string]chan received // by parent msg_id
	other   []received               // iopub messages with no known parent
}

// received is a message and the time the client got it.
type received struct {
	Message
	at time.Time
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freePorts asks the OS for n unused TCP ports.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// writeConnectionFile writes a connection file with fresh ports and key.
func writeConnectionFile(t testing.TB) (string, ConnectionInfo) {
	t.Helper()
	p := freePorts(t, 5)
	info := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: p[0], ControlPort: p[1],
		StdinPort: p[2], IOPubPort: p[3], HBPort: p[4], Key: uuid.NewString(), SignatureScheme: "hmac-sha256",
		KernelName: "turinglab"}
	b, _ := json.Marshal(info)
	file := filepath.Join(t.TempDir(), "kernel.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return file, info
}

// startKernel starts a kernel on a new connection file and waits until it
// answers kernel_info and its iopub messages reach the client.
func startKernel(t testing.TB) *testKernel {
	t.Helper()
	file, info := writeConnectionFile(t)
	return startKernelOn(t, file, info)
}

func startKernelOn(t testing.TB, file string, info ConnectionInfo) *testKernel {
	t.Helper()
	return startBinaryOn(t, binary(t), file, info)
}

// startBinaryOn is startKernelOn with the kernel binary at bin.
func startBinaryOn(t testing.TB, bin, file string, info ConnectionInfo) *testKernel {
	t.Helper()
	k := &testKernel{t: t, log: &lockedBuffer{}, info: info, file: file, signer: NewSigner(info.Key),
		session: uuid.NewString(), exited: make(chan struct{}),
		iopubCh: map[string]chan received{}, replies: map[string]chan received{}}
	k.cmd = exec.Command(bin, "kernel", file)
	k.cmd.Stdout = k.log
	k.cmd.Stderr = k.log
	if err := k.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { k.exitErr = k.cmd.Wait(); close(k.exited) }()
	k.ctx, k.cancel = context.WithCancel(context.Background())
	// The kernel may take a while to bind on a loaded machine: retry dialing
	// every 50 ms for up to 30 s.
	retry := []zmq4.Option{zmq4.WithDialerRetry(50 * time.Millisecond), zmq4.WithDialerMaxRetries(600)}
	k.shellID = uuid.NewString()
	k.shell = zmq4.NewDealer(k.ctx, append(retry, zmq4.WithID(zmq4.SocketIdentity(k.shellID)))...)
	k.control = zmq4.NewDealer(k.ctx, append(retry, zmq4.WithID(zmq4.SocketIdentity(uuid.NewString())))...)
	k.iopub = zmq4.NewSub(k.ctx, retry...)
	k.hb = zmq4.NewReq(k.ctx, retry...)
	for _, s := range []struct {
		sock zmq4.Socket
		port int
	}{{k.shell, info.ShellPort}, {k.control, info.ControlPort}, {k.iopub, info.IOPubPort}, {k.hb, info.HBPort}} {
		if err := s.sock.Dial(info.Endpoint(s.port)); err != nil {
			k.close()
			t.Fatalf("dial %d: %v\nkernel log:\n%s", s.port, err, k.log.String())
		}
	}
	if err := k.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	go k.readReplies(k.shell)
	go k.readReplies(k.control)
	go k.readIOPub()
	t.Cleanup(k.close)

	// The subscription reaches the kernel asynchronously: ask for kernel_info
	// until an iopub status for one of the requests comes back.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		id := k.send(k.shell, "kernel_info_request", struct{}{})
		if _, err := k.waitReply(id, 2*time.Second); err != nil {
			continue
		}
		if msgs := k.drainIOPub(id, 300*time.Millisecond); len(msgs) > 0 {
			return k
		}
	}
	t.Fatalf("kernel did not become ready\nkernel log:\n%s", k.log.String())
	return nil
}

// close ends the client sockets and kills the process if still running.
func (k *testKernel) close() {
	select {
	case <-k.exited:
	default:
		_ = k.cmd.Process.Kill()
		<-k.exited
	}
	k.cancel()
	for _, s := range []zmq4.Socket{k.shell, k.control, k.iopub, k.hb} {
		if s != nil {
			_ = s.Close()
		}
	}
}

// send sends a request on a DEALER socket and returns its msg_id.
func (k *testKernel) send(sock zmq4.Socket, msgType string, content any) string {
	k.t.Helper()
	h := newHeader(msgType, k.session)
	h.Username = "test"
	k.expect(h.MsgID)
	frames, err := Encode(k.signer, nil, h, Header{}, nil, content)
	if err != nil {
		k.t.Fatal(err)
	}
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.t.Fatalf("send %s: %v", msgType, err)
	}
	return h.MsgID
}

// sendFrames sends raw frames (for the bad-signature test).
func (k *testKernel) sendFrames(sock zmq4.Socket, frames [][]byte) {
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.t.Fatal(err)
	}
}

// expect registers the channels that collect what answers msg id.
func (k *testKernel) expect(id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.iopubCh[id] == nil {
		k.iopubCh[id] = make(chan received, 100000)
		k.replies[id] = make(chan received, 10)
	}
}

func (k *testKernel) readReplies(sock zmq4.Socket) {
	for {
		raw, err := sock.Recv()
		if err != nil {
			return
		}
		msg, err := Decode(k.signer, raw.Frames)
		if err != nil {
			fmt.Fprintf(k.log, "client: bad reply: %v\n", err)
			continue
		}
		k.route(k.replies, received{msg, time.Now()})
	}
}

func (k *testKernel) readIOPub() {
	for {
		raw, err := k.iopub.Recv()
		if err != nil {
			return
		}
		msg, err := Decode(k.signer, raw.Frames)
		if err != nil {
			fmt.Fprintf(k.log, "client: bad iopub message: %v\n", err)
			continue
		}
		k.route(k.iopubCh, received{msg, time.Now()})
	}
}

func (k *testKernel) route(m map[string]chan received, r received) {
	k.mu.Lock()
	ch := m[r.ParentHeader.MsgID]
	if ch == nil {
		k.other = append(k.other, r)
	}
	k.mu.Unlock()
	if ch != nil {
		ch <- r
	}
}

// waitReply waits for the reply to request id.
func (k *testKernel) waitReply(id string, timeout time.Duration) (received, error) {
	k.mu.Lock()
	ch := k.replies[id]
	k.mu.Unlock()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(timeout):
		return received{}, errors.New("timeout waiting for the reply")
	case <-k.exited:
		// A reply sent just before a clean exit may still be on its way.
		select {
		case r := <-ch:
			return r, nil
		case <-time.After(time.Second):
		}
		return received{}, fmt.Errorf("kernel exited: %v", k.exitErr)
	}
}

// drainIOPub returns the iopub messages for id that arrive within wait.
func (k *testKernel) drainIOPub(id string, wait time.Duration) []received {
	k.mu.Lock()
	ch := k.iopubCh[id]
	k.mu.Unlock()
	var out []received
	timer := time.After(wait)
	for {
		select {
		case r := <-ch:
			out = append(out, r)
		case <-timer:
			return out
		}
	}
}

// untilIdle returns the iopub messages for id up to and including its idle status.
func (k *testKernel) untilIdle(id string, timeout time.Duration) []received {
	k.t.Helper()
	k.mu.Lock()
	ch := k.iopubCh[id]
	k.mu.Unlock()
	var out []received
	timer := time.After(timeout)
	for {
		select {
		case r := <-ch:
			out = append(out, r)
			if r.Header.MsgType == "status" && statusOf(r) == "idle" {
				return out
			}
		case <-timer:
			k.t.Fatalf("no idle status for %s within %v; got %s\nkernel log:\n%s", id, timeout, types(out), k.log.String())
		}
	}
}

func statusOf(r received) string {
	var s Status
	_ = json.Unmarshal(r.Content, &s)
	return s.ExecutionState
}

func types(msgs []received) string {
	var s []string
	for _, m := range msgs {
		t := m.Header.MsgType
		if t == "status" {
			t += ":" + statusOf(m)
		}
		s = append(s, t)
	}
	return strings.Join(s, " ")
}

// cell is the outcome of one execute request as the client saw it.
type cell struct {
	id     string
	reply  ExecuteReply
	raw    received
	iopub  []received
	stdout string
	stderr string
	result *ExecuteResult
	errors []ErrorContent
}

// execute runs code (with optional request fields) and collects everything.
func (k *testKernel) execute(code string, timeout time.Duration, opts ...func(*ExecuteRequest)) cell {
	k.t.Helper()
	id := k.startExecute(code, opts...)
	return k.finishExecute(id, timeout)
}

func (k *testKernel) startExecute(code string, opts ...func(*ExecuteRequest)) string {
	k.t.Helper()
	req := ExecuteRequest{Code: code, UserExpressions: map[string]string{}}
	for _, o := range opts {
		o(&req)
	}
	return k.send(k.shell, "execute_request", req)
}

func (k *testKernel) finishExecute(id string, timeout time.Duration) cell {
	k.t.Helper()
	r, err := k.waitReply(id, timeout)
	if err != nil {
		k.t.Fatalf("execute %s: %v\nkernel log:\n%s", id, err, k.log.String())
	}
	c := cell{id: id, raw: r}
	if err := json.Unmarshal(r.Content, &c.reply); err != nil {
		k.t.Fatal(err)
	}
	c.iopub = k.untilIdle(id, timeout)
	for _, m := range c.iopub {
		switch m.Header.MsgType {
		case "stream":
			var s Stream
			_ = json.Unmarshal(m.Content, &s)
			if s.Name == "stdout" {
				c.stdout += s.Text
			} else {
				c.stderr += s.Text
			}
		case "execute_result":
			c.result = &ExecuteResult{}
			_ = json.Unmarshal(m.Content, c.result)
		case "error":
			var e ErrorContent
			_ = json.Unmarshal(m.Content, &e)
			c.errors = append(c.errors, e)
		}
	}
	return c
}

// text is the text/plain of the cell's result ("" when none).
func (c cell) text() string {
	if c.result == nil {
		return ""
	}
	s, _ := c.result.Data["text/plain"].(string)
	return s
}

// mustOK fails the test unless the cell succeeded.
func (k *testKernel) mustOK(code string) cell {
	k.t.Helper()
	c := k.execute(code, 60*time.Second)
	if c.reply.Status != "ok" {
		k.t.Fatalf("cell %q failed: %+v %+v\nkernel log:\n%s", code, c.reply, c.errors, k.log.String())
	}
	return c
}

// request sends a request, waits for its reply and idle, and decodes the reply.
func (k *testKernel) request(sock zmq4.Socket, msgType string, content, reply any) (received, []received) {
	k.t.Helper()
	id := k.send(sock, msgType, content)
	r, err := k.waitReply(id, 30*time.Second)
	if err != nil {
		k.t.Fatalf("%s: %v\nkernel log:\n%s", msgType, err, k.log.String())
	}
	if err := json.Unmarshal(r.Content, reply); err != nil {
		k.t.Fatal(err)
	}
	return r, k.untilIdle(id, 30*time.Second)
}

// waitExit waits for the kernel process to end.
func (k *testKernel) waitExit(timeout time.Duration) error {
	select {
	case <-k.exited:
		return k.exitErr
	case <-time.After(timeout):
		return errors.New("kernel still running")
	}
}

func zmqMsg(s string) zmq4.Msg { return zmq4.NewMsgString(s) }

// use points the helpers' failures at t (a subtest) until the returned
// function restores the previous test.
func (k *testKernel) use(t testing.TB) func() {
	prev := k.t
	k.t = t
	return func() { k.t = prev }
}
