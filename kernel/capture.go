package kernel

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// Output capture. Interpreted code prints through os.Stdout, but compiled code
// (the workbench packages, the Go runtime, C libraries) writes straight to file
// descriptors 1 and 2. So the kernel points those descriptors at pipes, reads
// the pipes on goroutines, and publishes what arrives as `stream` messages at
// a steady pace while the cell runs. The kernel's own log goes to a duplicate of
// the original stderr, which the Jupyter server shows in its terminal.

const (
	// streamInterval is how often pending output is published while a cell runs.
	streamInterval = 50 * time.Millisecond
	// cellOutputLimit caps what one stream publishes per cell; beyond it the
	// output is dropped with a note, so a runaway print loop cannot stall the
	// browser or fill the notebook file.
	cellOutputLimit = 4 << 20
	// maxStreamMessage splits very large bursts into several stream messages.
	maxStreamMessage = 256 << 10
	// flushTimeout bounds the wait for a flush marker to come back through a pipe.
	flushTimeout = 2 * time.Second
)

// markerPrefix starts the sentinel that Flush writes through a pipe: when the
// reader sees it, everything written before it has been read. NUL bytes keep it
// apart from anything a program prints.
var markerPrefix = []byte("\x00\x01turinglab-flush:")

// Capture owns the redirected stdout and stderr.
type Capture struct {
	// Log is the original stderr, for the kernel's own log messages.
	Log *os.File

	streams   []*capturedStream
	publishMu sync.Mutex // keeps published chunks in the order they were read
	publish   func(name, text string)
	stop      chan struct{}
}

// capturedStream is one redirected descriptor and the text read from it that is
// not yet published.
type capturedStream struct {
	name string // "stdout" or "stderr"
	fd   int

	mu        sync.Mutex
	raw       []byte // read but not yet scanned for flush markers
	pending   []byte // scanned text waiting to be published
	cellBytes int    // accepted in the current cell, for the output limit
	truncated bool
	nextID    int
	waiters   map[string]chan struct{}
}

// StartCapture redirects descriptors 1 and 2 into pipes and starts publishing
// what is written to them through publish(name, text). Descriptor 0 is pointed
// at /dev/null so that a cell reading stdin gets end-of-file instead of hanging.
func StartCapture(publish func(name, text string)) (*Capture, error) {
	logFD, err := unix.Dup(2)
	if err != nil {
		return nil, fmt.Errorf("capture: dup stderr: %w", err)
	}
	unix.CloseOnExec(logFD)
	c := &Capture{Log: os.NewFile(uintptr(logFD), "kernel-log"), publish: publish, stop: make(chan struct{})}
	if null, err := os.Open(os.DevNull); err == nil {
		_ = unix.Dup2(int(null.Fd()), 0)
		null.Close()
	}
	for _, s := range []struct {
		name string
		fd   int
	}{{"stdout", 1}, {"stderr", 2}} {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, fmt.Errorf("capture %s: %w", s.name, err)
		}
		if err := unix.Dup2(int(w.Fd()), s.fd); err != nil {
			return nil, fmt.Errorf("capture %s: dup2: %w", s.name, err)
		}
		w.Close()
		cs := &capturedStream{name: s.name, fd: s.fd, waiters: map[string]chan struct{}{}}
		c.streams = append(c.streams, cs)
		go cs.read(r)
	}
	go c.tick()
	return c, nil
}

// tick publishes pending output every streamInterval, so output shows up while
// a long cell is still running.
func (c *Capture) tick() {
	t := time.NewTicker(streamInterval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.publishPending()
		}
	}
}

// Flush makes sure everything written to stdout and stderr so far has been
// published. The kernel calls it before any display, result, error or reply,
// so outputs appear in the order the cell produced them.
func (c *Capture) Flush() {
	for _, s := range c.streams {
		s.roundTrip()
	}
	c.publishPending()
}

// BeginCell resets the per-cell output limit.
func (c *Capture) BeginCell() {
	for _, s := range c.streams {
		s.mu.Lock()
		s.cellBytes, s.truncated = 0, false
		s.mu.Unlock()
	}
}

// Close stops the periodic publishing (the pipes stay, as fds 1 and 2 must
// remain valid until the process exits).
func (c *Capture) Close() {
	c.Flush()
	close(c.stop)
}

// publishPending sends each stream's pending text.
func (c *Capture) publishPending() {
	c.publishMu.Lock()
	defer c.publishMu.Unlock()
	for _, s := range c.streams {
		for _, chunk := range s.take() {
			c.publish(s.name, chunk)
		}
	}
}

// read copies the pipe into the stream until the pipe closes.
func (s *capturedStream) read(r *os.File) {
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			s.ingest(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// ingest scans newly read bytes for flush markers, wakes their waiters and
// queues the rest as text.
func (s *capturedStream) ingest(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw = append(s.raw, b...)
	for {
		i := bytes.Index(s.raw, markerPrefix)
		if i < 0 {
			break
		}
		s.accept(s.raw[:i])
		rest := s.raw[i+len(markerPrefix):]
		end := bytes.IndexByte(rest, 0)
		if end < 0 { // the marker's id has not fully arrived yet
			s.raw = s.raw[i:]
			return
		}
		if ch, ok := s.waiters[string(rest[:end])]; ok {
			close(ch)
			delete(s.waiters, string(rest[:end]))
		}
		s.raw = rest[end+1:]
	}
	// Keep back a tail that could be the start of a marker split across reads.
	keep := 0
	for k := min(len(s.raw), len(markerPrefix)-1); k > 0; k-- {
		if bytes.HasSuffix(s.raw, markerPrefix[:k]) {
			keep = k
			break
		}
	}
	s.accept(s.raw[:len(s.raw)-keep])
	s.raw = append([]byte(nil), s.raw[len(s.raw)-keep:]...)
}

// accept queues text, enforcing the per-cell limit. Called with s.mu held.
func (s *capturedStream) accept(b []byte) {
	if len(b) == 0 || s.truncated {
		return
	}
	if room := cellOutputLimit - s.cellBytes; len(b) > room {
		s.pending = append(s.pending, b[:room]...)
		s.pending = append(s.pending, fmt.Sprintf(
			"\n[turinglab: this cell's %s passed %d MB; the rest was dropped]\n", s.name, cellOutputLimit>>20)...)
		s.cellBytes = cellOutputLimit
		s.truncated = true
		return
	}
	s.pending = append(s.pending, b...)
	s.cellBytes += len(b)
}

// take removes and returns the pending text as chunks of at most
// maxStreamMessage bytes, holding back an incomplete UTF-8 sequence at the end
// (its remaining bytes are still in the pipe).
func (s *capturedStream) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.pending)
	for k := 1; k <= 3 && k <= n; k++ {
		if utf8.RuneStart(s.pending[n-k]) {
			if !utf8.FullRune(s.pending[n-k:]) {
				n -= k
			}
			break
		}
	}
	var chunks []string
	for start := 0; start < n; start += maxStreamMessage {
		chunks = append(chunks, string(s.pending[start:min(n, start+maxStreamMessage)]))
	}
	s.pending = append(s.pending[:0], s.pending[n:]...)
	return chunks
}

// roundTrip writes a marker through the pipe and waits until the reader has
// seen it, i.e. until everything written before it has been read.
func (s *capturedStream) roundTrip() {
	s.mu.Lock()
	s.nextID++
	id := strconv.Itoa(s.nextID)
	done := make(chan struct{})
	s.waiters[id] = done
	s.mu.Unlock()
	marker := append(append(append([]byte(nil), markerPrefix...), id...), 0)
	if _, err := unix.Write(s.fd, marker); err != nil {
		return
	}
	select {
	case <-done:
	case <-time.After(flushTimeout):
		s.mu.Lock()
		delete(s.waiters, id)
		s.mu.Unlock()
	}
}
