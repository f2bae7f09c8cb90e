package kernel

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The hang tests run cells stuck in compiled code that never polls the
// interrupt, with the test-only package kernel/internal/stuck. Cells can
// import it only from a kernel built with the turinglab_stuck tag, so these
// tests build their own binary (even when $TURINGLAB_BIN names the shipped
// one).

const stuckImport = `import "github.com/turinglab/turinglab/kernel/internal/stuck"`

var (
	stuckOnce sync.Once
	stuckPath string
	stuckErr  error
)

// stuckBinary returns the path of a kernel built with the turinglab_stuck tag.
func stuckBinary(t testing.TB) string {
	t.Helper()
	stuckOnce.Do(func() {
		dir, err := os.MkdirTemp("", "turinglab-stuck-bin")
		if err != nil {
			stuckErr = err
			return
		}
		stuckPath = filepath.Join(dir, "turinglab")
		cmd := exec.Command("go", "build", "-tags", "turinglab_stuck", "-o", stuckPath, "../cmd/turinglab")
		if out, err := cmd.CombinedOutput(); err != nil {
			stuckErr = fmt.Errorf("go build -tags turinglab_stuck: %v\n%s", err, out)
		}
	})
	if stuckErr != nil {
		t.Fatal(stuckErr)
	}
	return stuckPath
}

// startStuckKernel starts the tagged kernel and imports the stuck package.
func startStuckKernel(t *testing.T) *testKernel {
	t.Helper()
	file, info := writeConnectionFile(t)
	k := startBinaryOn(t, stuckBinary(t), file, info)
	k.mustOK(stuckImport + "\nimport \"fmt\"\nkept := 7")
	return k
}

// waitStream waits for a stream message of request id that contains text and
// returns all the output text seen until then.
func (k *testKernel) waitStream(id, text string, timeout time.Duration) string {
	k.t.Helper()
	k.mu.Lock()
	ch := k.iopubCh[id]
	k.mu.Unlock()
	seen := ""
	timer := time.After(timeout)
	for {
		select {
		case r := <-ch:
			if r.Header.MsgType == "error" {
				k.t.Fatalf("waiting for output %q, %s failed: %s", text, id, r.Content)
			}
			if r.Header.MsgType != "stream" {
				continue
			}
			var s Stream
			_ = json.Unmarshal(r.Content, &s)
			seen += s.Text
			if strings.Contains(seen, text) {
				return seen
			}
		case <-timer:
			k.t.Fatalf("no output %q for %s within %v (saw %q)\nkernel log:\n%s", text, id, timeout, seen, k.log.String())
		}
	}
}

// runUntilStuck starts a cell that prints "started" and then gets stuck,
// interrupts it once it has printed, and returns its request id and its
// outcome, which must be the interrupt error.
func (k *testKernel) runUntilStuck(code string) (string, cell) {
	k.t.Helper()
	id := k.startExecute("fmt.Println(\"started\")\n" + code)
	k.waitStream(id, "started", 60*time.Second)
	var ir InterruptReply
	k.request(k.control, "interrupt_request", struct{}{}, &ir)
	if ir.Status != "ok" {
		k.t.Fatalf("interrupt_reply %+v", ir)
	}
	c := k.finishExecute(id, 60*time.Second)
	if c.reply.Status != "error" || len(c.errors) != 1 {
		k.t.Fatalf("the interrupted cell replied %s with errors %+v", c.raw.Content, c.errors)
	}
	return id, c
}

// checkBusy asserts that every request the notebook sends answers while a
// stuck cell (execution count n) keeps the session busy, and that a new cell
// gets the KernelBusy error naming it.
func checkBusy(t *testing.T, k *testKernel, n int) {
	t.Helper()
	name := fmt.Sprintf("cell [%d]", n)

	var info KernelInfoReply
	k.request(k.shell, "kernel_info_request", struct{}{}, &info)
	if info.Status != "ok" || info.Implementation != "turinglab" {
		t.Fatalf("kernel_info_reply %+v", info)
	}

	var comp CompleteReply
	k.request(k.shell, "complete_request", CompleteRequest{Code: "kep", CursorPos: 3}, &comp)
	if note, _ := comp.Metadata["turinglab_busy"].(string); comp.Status != "ok" || len(comp.Matches) != 0 || !strings.Contains(note, name) {
		t.Fatalf("complete_reply while stuck: %+v", comp)
	}

	var insp InspectReply
	k.request(k.shell, "inspect_request", InspectRequest{Code: "kept", CursorPos: 2}, &insp)
	if text, _ := insp.Data["text/plain"].(string); insp.Status != "ok" || !insp.Found ||
		!strings.Contains(text, name) || !strings.Contains(text, "Restart") {
		t.Fatalf("inspect_reply while stuck: %+v", insp)
	}

	var isc IsCompleteReply
	k.request(k.shell, "is_complete_request", IsCompleteRequest{Code: "x := 1"}, &isc)
	if isc.Status != "complete" {
		t.Fatalf("is_complete_reply while stuck: %+v", isc)
	}

	var hist HistoryReply
	n10 := 10
	k.request(k.shell, "history_request", HistoryRequest{HistAccessType: "tail", N: &n10}, &hist)
	if hist.Status != "ok" || len(hist.History) == 0 {
		t.Fatalf("history_reply while stuck: %+v", hist)
	}
	if last := fmt.Sprint(hist.History[len(hist.History)-1]); !strings.Contains(last, "stuck.") {
		t.Fatalf("history does not end with the stuck cell: %s", last)
	}

	c := k.execute("kept", 60*time.Second)
	if c.reply.Status != "error" || c.reply.ErrorContent == nil || c.reply.Ename != "KernelBusy" {
		t.Fatalf("a new cell while stuck replied %s", c.raw.Content)
	}
	if !strings.Contains(c.reply.Evalue, name) || !strings.Contains(c.reply.Evalue, "Kernel > Restart") {
		t.Fatalf("the busy error does not name %s and the restart: %q", name, c.reply.Evalue)
	}
	if len(c.errors) != 1 || c.errors[0].Ename != "KernelBusy" {
		t.Fatalf("the busy error is not shown in the notebook (iopub errors %+v)", c.errors)
	}

	// The stop button still answers (there is nothing more it can stop).
	var ir InterruptReply
	k.request(k.control, "interrupt_request", struct{}{}, &ir)
	if ir.Status != "ok" {
		t.Fatalf("interrupt_reply while stuck: %+v", ir)
	}
}

func TestStuckCell(t *testing.T) {
	k := startStuckKernel(t)
	run := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			defer k.use(t)()
			f(t)
		})
	}

	// A compiled call stuck in the cell's statements: the interpreter gives
	// up on it at the interrupt, the session moves to a fresh interpreter, and
	// the next cell runs at once with the state kept.
	run("stuck call is left behind", func(t *testing.T) {
		k.runUntilStuck("stuck.Forever()")
		if c := k.mustOK("kept"); c.text() != "7" {
			t.Fatalf("after a stuck call, kept = %q", c.text())
		}
	})

	// A compiled call stuck after the statements ran (rendering the cell's
	// value) keeps the session busy until it returns.
	run("stuck rendering keeps the session busy until it returns", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "pipe")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		id, c := k.runUntilStuck(fmt.Sprintf("stuck.Picture{Pipe: %q}", fifo))
		if tb := strings.Join(c.errors[0].Traceback, "\n"); !strings.Contains(tb, "Kernel > Restart") {
			t.Fatalf("the interrupt error does not say how to stop the stuck cell: %q", tb)
		}
		checkBusy(t, k, c.reply.ExecutionCount)

		// Let the rendering finish: the kernel says so on the stuck cell's
		// output, and runs cells again, with the state kept.
		wrote := make(chan error, 1)
		go func() { wrote <- os.WriteFile(fifo, []byte("drawn"), 0o600) }()
		k.waitStream(id, "returned", 60*time.Second)
		if err := <-wrote; err != nil {
			t.Fatal(err)
		}
		if c := k.mustOK("kept + 1"); c.text() != "8" {
			t.Fatalf("after the stuck cell returned, kept + 1 = %q", c.text())
		}
		var comp CompleteReply
		k.request(k.shell, "complete_request", CompleteRequest{Code: "kep", CursorPos: 3}, &comp)
		if len(comp.Matches) == 0 || comp.Matches[0] != "kept" {
			t.Fatalf("completion after the stuck cell returned: %+v", comp)
		}
	})

	// Restarting is what the busy error tells the user to do: it must work
	// while a cell is stuck for good.
	run("restart while stuck", func(t *testing.T) {
		_, c := k.runUntilStuck("stuck.Picture{}")
		checkBusy(t, k, c.reply.ExecutionCount)
		var r ShutdownReply
		k.request(k.control, "shutdown_request", ShutdownRequest{Restart: true}, &r)
		if r.Status != "ok" || !r.Restart {
			t.Fatalf("shutdown_reply %+v", r)
		}
		if err := k.waitExit(30 * time.Second); err != nil {
			t.Fatalf("the kernel did not exit for the restart while a cell was stuck: %v\n%s", err, k.log.String())
		}
		k.close()
		k2 := startBinaryOn(t, stuckBinary(t), k.file, k.info)
		if c := k2.mustOK("1 + 1"); c.text() != "2" {
			t.Fatalf("the restarted kernel computed 1 + 1 = %q", c.text())
		}
	})
}

// TestStuckShutdown: shutdown_request ends the process while a cell is stuck
// in compiled code for good.
func TestStuckShutdown(t *testing.T) {
	k := startStuckKernel(t)
	k.runUntilStuck("stuck.Picture{}")
	var r ShutdownReply
	k.request(k.control, "shutdown_request", ShutdownRequest{Restart: false}, &r)
	if r.Status != "ok" || r.Restart {
		t.Fatalf("shutdown_reply %+v", r)
	}
	if err := k.waitExit(30 * time.Second); err != nil {
		t.Fatalf("the kernel did not exit while a cell was stuck: %v\n%s", err, k.log.String())
	}
}
