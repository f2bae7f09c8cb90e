package kernel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestShellCommands: a `!command`'s output reaches the notebook as stream
// messages while the command runs, not at its end; a failing command is an
// error naming it; the stop button ends a running command and its process
// group, and the kernel goes on.
func TestShellCommands(t *testing.T) {
	k := startKernel(t)

	c := k.mustOK("!echo first; sleep 1; echo second")
	var first, second *received
	for i, m := range c.iopub {
		if m.Header.MsgType != "stream" {
			continue
		}
		var s Stream
		_ = json.Unmarshal(m.Content, &s)
		if strings.Contains(s.Text, "first") && first == nil {
			first = &c.iopub[i]
		}
		if strings.Contains(s.Text, "second") {
			second = &c.iopub[i]
		}
	}
	if first == nil || second == nil || first == second || !first.at.Before(second.at) {
		t.Fatalf("want `first` in a stream message before the one with `second`; got %s (stdout %q)", types(c.iopub), c.stdout)
	}
	if !first.at.Before(c.raw.at) {
		t.Fatalf("the first line arrived with the reply, not while the command ran")
	}

	fail := k.execute("!exit 4", 30*time.Second)
	if fail.reply.Status != "error" || len(fail.errors) != 1 || fail.errors[0].Ename != "CalledProcessError" ||
		fail.errors[0].Evalue != "Command 'exit 4' returned non-zero exit status 4." {
		t.Fatalf("!exit 4: %s", fail.raw.Content)
	}

	id := k.startExecute("!sleep 99.75")
	time.Sleep(500 * time.Millisecond)
	var ir InterruptReply
	k.request(k.control, "interrupt_request", struct{}{}, &ir)
	stopped := k.finishExecute(id, 30*time.Second) // well before the 99.75 s of the command
	if ir.Status != "ok" || stopped.reply.Status != "error" || len(stopped.errors) != 1 || stopped.errors[0].Ename != "KeyboardInterrupt" {
		t.Fatalf("interrupting !sleep: reply %+v, cell %s", ir, stopped.raw.Content)
	}
	if left := sleepers("99.75"); len(left) > 0 {
		t.Fatalf("processes left after the interrupt: %v", left)
	}
	if c := k.mustOK("!echo still here"); c.stdout != "still here\n" {
		t.Fatalf("after the interrupt: stdout %q", c.stdout)
	}
}

// sleepers lists the processes whose command line holds marker.
func sleepers(marker string) []string {
	files, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var found []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && strings.Contains(strings.ReplaceAll(string(b), "\x00", " "), marker) {
			found = append(found, f+": "+string(b))
		}
	}
	return found
}
