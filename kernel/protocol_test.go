package kernel

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The protocol tests drive the built kernel as a Jupyter client would. One
// kernel serves the subtests of TestProtocol in order; shutdown and restart
// get their own.

// checkEnvelope asserts the iopub sequence of one request: busy first, idle
// last, every message parented to the request, and (for execute) execute_input
// right after busy.
func checkEnvelope(t *testing.T, id string, msgs []received, execute bool) {
	t.Helper()
	if len(msgs) < 2 || msgs[0].Header.MsgType != "status" || statusOf(msgs[0]) != "busy" {
		t.Fatalf("iopub for %s does not start with busy: %s", id, types(msgs))
	}
	last := msgs[len(msgs)-1]
	if last.Header.MsgType != "status" || statusOf(last) != "idle" {
		t.Fatalf("iopub for %s does not end with idle: %s", id, types(msgs))
	}
	if execute && msgs[1].Header.MsgType != "execute_input" {
		t.Fatalf("execute_input does not follow busy: %s", types(msgs))
	}
	for _, m := range msgs {
		if m.ParentHeader.MsgID != id {
			t.Fatalf("%s has parent %s, want %s", m.Header.MsgType, m.ParentHeader.MsgID, id)
		}
		if m.Header.Version != ProtocolVersion || m.Header.MsgID == "" || m.Header.Session == "" || m.Header.Date == "" {
			t.Fatalf("bad header %+v", m.Header)
		}
	}
}

func TestProtocol(t *testing.T) {
	k := startKernel(t)
	run := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			defer k.use(t)()
			f(t)
		})
	}

	run("heartbeat", func(t *testing.T) {
		if err := k.hb.Send(zmqMsg("ping")); err != nil {
			t.Fatal(err)
		}
		done := make(chan string, 1)
		go func() {
			m, err := k.hb.Recv()
			if err == nil {
				done <- string(m.Bytes())
			}
		}()
		select {
		case got := <-done:
			if got != "ping" {
				t.Fatalf("heartbeat echoed %q", got)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no heartbeat echo")
		}
	})

	run("kernel_info on shell and control", func(t *testing.T) {
		for _, sock := range []struct {
			name string
			s    any
		}{{"shell", k.shell}, {"control", k.control}} {
			var info KernelInfoReply
			s := k.shell
			if sock.name == "control" {
				s = k.control
			}
			r, io := k.request(s, "kernel_info_request", struct{}{}, &info)
			checkEnvelope(t, r.ParentHeader.MsgID, io, false)
			li := info.LanguageInfo
			if info.Status != "ok" || info.ProtocolVersion != "5.3" || info.Implementation != "turinglab" ||
				li.Name != "go" || li.Mimetype != "text/x-go" || li.FileExtension != ".go" ||
				li.PygmentsLexer != "go" || li.CodemirrorMode != "go" || li.Version == "" || info.Banner == "" || len(info.HelpLinks) == 0 {
				t.Fatalf("%s: kernel_info_reply %+v", sock.name, info)
			}
			if r.Header.MsgType != "kernel_info_reply" {
				t.Fatalf("reply type %s", r.Header.MsgType)
			}
		}
	})

	run("bad signature is dropped", func(t *testing.T) {
		h := newHeader("execute_request", k.session)
		k.expect(h.MsgID)
		frames, _ := Encode(NewSigner("not-the-key"), nil, h, Header{}, nil,
			ExecuteRequest{Code: `fmt.Println("SHOULD-NOT-RUN")`})
		k.sendFrames(k.shell, frames)
		unsigned, _ := Encode(NewSigner(""), nil, h, Header{}, nil, ExecuteRequest{Code: `fmt.Println("SHOULD-NOT-RUN")`})
		k.sendFrames(k.shell, unsigned)
		if r, err := k.waitReply(h.MsgID, time.Second); err == nil {
			t.Fatalf("a wrongly signed request was answered: %s", r.Content)
		}
		if msgs := k.drainIOPub(h.MsgID, 200*time.Millisecond); len(msgs) > 0 {
			t.Fatalf("a wrongly signed request produced output: %s", types(msgs))
		}
		var info KernelInfoReply
		k.request(k.shell, "kernel_info_request", struct{}{}, &info) // still alive
		if !strings.Contains(k.log.String(), "invalid message signature") {
			t.Fatalf("the drop was not logged; log:\n%s", k.log.String())
		}
	})

	run("execute: stream, result, ordering", func(t *testing.T) {
		c := k.mustOK("import \"fmt\"\nfmt.Println(\"hello\")\nx := 40\nx + 2")
		checkEnvelope(t, c.id, c.iopub, true)
		if c.stdout != "hello\n" || c.text() != "42" {
			t.Fatalf("stdout %q result %q", c.stdout, c.text())
		}
		if c.result.ExecutionCount != c.reply.ExecutionCount || c.reply.ExecutionCount < 1 {
			t.Fatalf("execution counts: result %d reply %d", c.result.ExecutionCount, c.reply.ExecutionCount)
		}
		// Outputs come between execute_input and idle, stream before result.
		order := types(c.iopub)
		if !strings.Contains(order, "execute_input stream execute_result status:idle") {
			t.Fatalf("order %s", order)
		}
		if c.reply.Payload == nil || c.reply.UserExpressions == nil {
			t.Fatalf("reply lacks payload/user_expressions: %s", c.raw.Content)
		}
		next := k.mustOK("x")
		if next.reply.ExecutionCount != c.reply.ExecutionCount+1 || next.text() != "40" {
			t.Fatalf("state or count wrong: %+v %q", next.reply, next.text())
		}
	})

	run("execute_input carries the code", func(t *testing.T) {
		c := k.mustOK("1 + 1")
		var in ExecuteInput
		json.Unmarshal(c.iopub[1].Content, &in)
		if in.Code != "1 + 1" || in.ExecutionCount != c.reply.ExecutionCount {
			t.Fatalf("execute_input %+v", in)
		}
	})

	run("compile error", func(t *testing.T) {
		c := k.execute("y := undefinedName + 1", 30*time.Second)
		checkEnvelope(t, c.id, c.iopub, true)
		if c.reply.Status != "error" || c.reply.ErrorContent == nil || c.reply.Traceback == nil || len(c.errors) != 1 {
			t.Fatalf("reply %s, errors %+v", c.raw.Content, c.errors)
		}
		if !strings.Contains(c.reply.Evalue+strings.Join(c.reply.Traceback, ""), "undefinedName") {
			t.Fatalf("error does not name the problem: %+v", c.reply.ErrorContent)
		}
		var raw map[string]any
		json.Unmarshal(c.raw.Content, &raw)
		if _, ok := raw["traceback"].([]any); !ok {
			t.Fatalf("traceback is not a list: %s", c.raw.Content)
		}
	})

	run("panic in the main cell: one error output", func(t *testing.T) {
		c := k.execute(`panic("boom-main")`, 30*time.Second)
		if c.reply.Status != "error" || len(c.errors) != 1 || !strings.Contains(c.errors[0].Evalue+strings.Join(c.errors[0].Traceback, ""), "boom-main") {
			t.Fatalf("reply %s errors %+v", c.raw.Content, c.errors)
		}
		if strings.Contains(c.stderr+c.stdout, "boom-main") {
			t.Fatalf("the panic also leaked as a stream: %q", c.stderr)
		}
		k.mustOK("1")
	})

	run("panic in a goroutine does not kill the kernel", func(t *testing.T) {
		c := k.execute("import \"time\"\ngo func() { panic(\"boom-goroutine\") }()\ntime.Sleep(300 * time.Millisecond)", 30*time.Second)
		next := k.mustOK("x")
		all := c.stdout + c.stderr + next.stdout + next.stderr
		for _, e := range append(c.errors, next.errors...) {
			all += e.Evalue + strings.Join(e.Traceback, "")
		}
		if !strings.Contains(all, "boom-goroutine") {
			t.Fatalf("the goroutine's panic was not reported: %q", all)
		}
		if next.text() != "40" {
			t.Fatalf("state lost: %q", next.text())
		}
	})

	run("os.Exit does not kill the kernel", func(t *testing.T) {
		k.execute("import \"os\"\nos.Exit(3)", 30*time.Second)
		if next := k.mustOK("x"); next.text() != "40" {
			t.Fatalf("state lost: %q", next.text())
		}
	})

	run("unbounded recursion does not kill the kernel", func(t *testing.T) {
		k.mustOK("%recursion_limit 1000")
		c := k.execute("func down(n int) int { return down(n+1) + 1 }\ndown(0)", 60*time.Second)
		if c.reply.Status != "error" || len(c.errors) != 1 || c.errors[0].Ename != "RecursionError" || !strings.Contains(c.errors[0].Evalue, "down called at depth 1001") {
			t.Fatalf("reply %s errors %+v", c.raw.Content, c.errors)
		}
		if next := k.mustOK("x"); next.text() != "40" {
			t.Fatalf("state lost: %q", next.text())
		}
		k.mustOK("%recursion_limit 10000")
	})

	run("redefinition", func(t *testing.T) {
		k.mustOK("func f() int { return 1 }\nfunc g() int { return f() * 10 }")
		if c := k.mustOK("g()"); c.text() != "10" {
			t.Fatalf("g() = %q", c.text())
		}
		k.mustOK("func f() int { return 2 }")
		if c := k.mustOK("g()"); c.text() != "20" {
			t.Fatalf("after redefining f, g() = %q, want 20", c.text())
		}
		k.mustOK("x := \"again\"") // redeclare a variable with :=
		if c := k.mustOK("x"); c.text() != "again" {
			t.Fatalf("x = %q", c.text())
		}
		k.mustOK("x := 40")
	})

	run("mixed cell", func(t *testing.T) {
		c := k.mustOK("import \"strings\"\nconst n = 3\ntype P struct{ S string }\nfunc (p P) Twice() string { return strings.Repeat(p.S, 2) }\np := P{S: \"ab\"}\nfmt.Println(p.Twice(), n)\nvar q = P{S: \"z\"}\nq.Twice()")
		if c.stdout != "abab 3\n" || c.text() != "zz" {
			t.Fatalf("stdout %q result %q", c.stdout, c.text())
		}
	})

	run("top-level three-clause for loop", func(t *testing.T) {
		c := k.mustOK("total := 0\nfor i := 0; i < 4; i++ { total += i }\ntotal")
		if c.text() != "6" {
			t.Fatalf("total = %q", c.text())
		}
	})

	run("compiled output to fd 2 is captured", func(t *testing.T) {
		c := k.mustOK("import \"log\"\nlog.SetFlags(0)\nlog.Print(\"from-log\")\nos.Stderr.WriteString(\"raw-stderr\\n\")")
		if !strings.Contains(c.stderr, "from-log") || !strings.Contains(c.stderr, "raw-stderr") {
			t.Fatalf("stderr %q stdout %q", c.stderr, c.stdout)
		}
	})

	run("output streams while the cell runs", func(t *testing.T) {
		c := k.mustOK("import \"time\"\nfor _, i := range []int{0, 1, 2, 3, 4, 5} {\n\tfmt.Println(\"tick\", i)\n\ttime.Sleep(250 * time.Millisecond)\n}")
		var first, idle time.Time
		n := 0
		for _, m := range c.iopub {
			if m.Header.MsgType == "stream" {
				n++
				if first.IsZero() {
					first = m.at
				}
			}
			if m.Header.MsgType == "status" {
				idle = m.at
			}
		}
		if n < 3 || idle.Sub(first) < 800*time.Millisecond {
			t.Fatalf("%d stream messages, first %v before idle: output was not streamed", n, idle.Sub(first))
		}
		if !strings.HasPrefix(c.stdout, "tick 0\ntick 1\n") || !strings.HasSuffix(c.stdout, "tick 5\n") {
			t.Fatalf("stdout %q", c.stdout)
		}
	})

	run("huge output is cut", func(t *testing.T) {
		c := k.mustOK("line := strings.Repeat(\"x\", 1023) + \"\\n\"\nfor range make([]int, 6000) {\n\tfmt.Print(line)\n}\nfmt.Println(\"done\")")
		if len(c.stdout) > cellOutputLimit+1000 || !strings.Contains(c.stdout, "dropped") {
			t.Fatalf("stdout of %d bytes, note present: %v", len(c.stdout), strings.Contains(c.stdout, "dropped"))
		}
		if next := k.mustOK("fmt.Println(\"small\")"); next.stdout != "small\n" {
			t.Fatalf("the limit leaked into the next cell: %q", next.stdout)
		}
	})

	run("silent and store_history", func(t *testing.T) {
		before := k.mustOK("1").reply.ExecutionCount
		c := k.execute("fmt.Println(\"quiet\")\n7", 30*time.Second, func(r *ExecuteRequest) { r.Silent = true })
		for _, m := range c.iopub {
			if m.Header.MsgType == "execute_input" || m.Header.MsgType == "execute_result" {
				t.Fatalf("silent execution published %s", m.Header.MsgType)
			}
		}
		no := false
		c2 := k.execute("8", 30*time.Second, func(r *ExecuteRequest) { r.StoreHistory = &no })
		after := k.mustOK("1").reply.ExecutionCount
		if c.reply.ExecutionCount != before || c2.reply.ExecutionCount != before || after != before+1 {
			t.Fatalf("counts: before %d silent %d no-history %d after %d", before, c.reply.ExecutionCount, c2.reply.ExecutionCount, after)
		}
	})

	run("user_expressions", func(t *testing.T) {
		c := k.execute("z := 41", 30*time.Second, func(r *ExecuteRequest) {
			r.UserExpressions = map[string]string{"next": "z + 1", "bad": "nope +"}
		})
		var raw struct {
			UserExpressions map[string]map[string]any `json:"user_expressions"`
		}
		json.Unmarshal(c.raw.Content, &raw)
		good := raw.UserExpressions["next"]
		if good["status"] != "ok" || good["data"].(map[string]any)["text/plain"] != "42" {
			t.Fatalf("user_expressions %s", c.raw.Content)
		}
		if bad := raw.UserExpressions["bad"]; bad["status"] != "error" || bad["traceback"] == nil {
			t.Fatalf("user_expressions %s", c.raw.Content)
		}
	})

	run("stop_on_error aborts queued requests", func(t *testing.T) {
		first := k.startExecute("import \"time\"\ntime.Sleep(time.Second)\npanic(\"stop\")")
		second := k.startExecute("fmt.Println(\"must not run\")")
		third := k.startExecute("fmt.Println(\"must not run either\")")
		c1 := k.finishExecute(first, 30*time.Second)
		c2 := k.finishExecute(second, 30*time.Second)
		c3 := k.finishExecute(third, 30*time.Second)
		if c1.reply.Status != "error" || c2.reply.Status != "aborted" || c3.reply.Status != "aborted" {
			t.Fatalf("statuses %s %s %s", c1.reply.Status, c2.reply.Status, c3.reply.Status)
		}
		if c2.stdout != "" || c3.stdout != "" {
			t.Fatalf("aborted cells ran: %q %q", c2.stdout, c3.stdout)
		}
		checkEnvelope(t, second, c2.iopub, false)
		// Without stop_on_error the queue keeps going.
		no := false
		a := k.startExecute("panic(\"go on\")", func(r *ExecuteRequest) { r.StopOnError = &no })
		b := k.startExecute("fmt.Println(\"ran\")")
		if ca, cb := k.finishExecute(a, 30*time.Second), k.finishExecute(b, 30*time.Second); ca.reply.Status != "error" || cb.stdout != "ran\n" {
			t.Fatalf("without stop_on_error: %s / %q", ca.reply.Status, cb.stdout)
		}
		k.mustOK("x") // new requests run again
	})

	run("interrupt an infinite loop", func(t *testing.T) {
		id := k.startExecute("for {}")
		time.Sleep(500 * time.Millisecond)
		var ir InterruptReply
		k.request(k.control, "interrupt_request", struct{}{}, &ir)
		c := k.finishExecute(id, 10*time.Second)
		if ir.Status != "ok" || c.reply.Status != "error" {
			t.Fatalf("interrupt reply %+v, cell %s", ir, c.raw.Content)
		}
		if strings.Contains(string(c.raw.Content), "still running") {
			t.Fatalf("the loop did not stop within the grace period; it was left behind: %s", c.raw.Content)
		}
		if next := k.mustOK("x"); next.text() != "40" {
			t.Fatalf("state lost after interrupt: %q", next.text())
		}
	})

	run("interrupt a long compiled call", func(t *testing.T) {
		id := k.startExecute("time.Sleep(time.Hour)")
		time.Sleep(500 * time.Millisecond)
		var ir InterruptReply
		k.request(k.control, "interrupt_request", struct{}{}, &ir)
		c := k.finishExecute(id, 10*time.Second)
		if c.reply.Status != "error" {
			t.Fatalf("cell %s", c.raw.Content)
		}
		if strings.Contains(string(c.raw.Content), "still running") {
			t.Fatalf("the sleep did not stop within the grace period; it was left behind: %s", c.raw.Content)
		}
		if next := k.mustOK("x"); next.text() != "40" {
			t.Fatalf("state lost after interrupt: %q", next.text())
		}
	})

	run("SIGINT interrupts and does not kill", func(t *testing.T) {
		id := k.startExecute("for {}")
		time.Sleep(500 * time.Millisecond)
		if err := k.cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		c := k.finishExecute(id, 10*time.Second)
		if c.reply.Status != "error" {
			t.Fatalf("cell %s", c.raw.Content)
		}
		if next := k.mustOK("x"); next.text() != "40" {
			t.Fatalf("state lost after SIGINT: %q", next.text())
		}
	})

	run("complete", func(t *testing.T) {
		var r CompleteReply
		_, io := k.request(k.shell, "complete_request", CompleteRequest{Code: "fmt.Pri", CursorPos: 7}, &r)
		checkEnvelope(t, io[0].ParentHeader.MsgID, io, false)
		if r.Status != "ok" || !contains(r.Matches, "Println") || r.CursorStart > 7 || r.CursorEnd != 7 || r.Metadata == nil {
			t.Fatalf("complete_reply %+v", r)
		}
		// Cursor positions count code points: "é" is one.
		var u CompleteReply
		k.request(k.shell, "complete_request", CompleteRequest{Code: "s := \"é\"; fmt.Pri", CursorPos: 17}, &u)
		if u.CursorEnd != 17 || u.CursorStart != r.CursorStart+10 {
			t.Fatalf("unicode cursor: %+v (ascii start %d)", u, r.CursorStart)
		}
	})

	run("inspect", func(t *testing.T) {
		var r InspectReply
		k.request(k.shell, "inspect_request", InspectRequest{Code: "fmt.Println", CursorPos: 8, DetailLevel: 0}, &r)
		if r.Status != "ok" || !r.Found || r.Data["text/plain"] == "" || r.Metadata == nil {
			t.Fatalf("inspect_reply %+v", r)
		}
	})

	run("is_complete", func(t *testing.T) {
		for code, want := range map[string]string{"x := 1": "complete", "func f() {": "incomplete", "x := )": "invalid"} {
			var r IsCompleteReply
			k.request(k.shell, "is_complete_request", IsCompleteRequest{Code: code}, &r)
			if r.Status != want || (want == "incomplete") != (r.Indent != nil) {
				t.Fatalf("is_complete(%q) = %+v, want %s", code, r, want)
			}
		}
	})

	run("history", func(t *testing.T) {
		k.mustOK("hist := \"marker-one\"")
		k.mustOK("hist + \"-two\"")
		n := 2
		var tail HistoryReply
		k.request(k.shell, "history_request", HistoryRequest{HistAccessType: "tail", N: &n}, &tail)
		if len(tail.History) != 2 || tail.History[0][2] != "hist := \"marker-one\"" {
			t.Fatalf("tail %+v", tail.History)
		}
		var out HistoryReply
		k.request(k.shell, "history_request", HistoryRequest{HistAccessType: "tail", N: &n, Output: true}, &out)
		pair, _ := out.History[1][2].([]any)
		if len(pair) != 2 || pair[1] != "marker-one-two" {
			t.Fatalf("tail with output %+v", out.History)
		}
		var search HistoryReply
		k.request(k.shell, "history_request", HistoryRequest{HistAccessType: "search", Pattern: "hist*marker-*"}, &search)
		if len(search.History) != 1 || search.History[0][2] != "hist := \"marker-one\"" {
			t.Fatalf("search %+v", search.History)
		}
		line := int(tail.History[0][1].(float64))
		stop := line + 2
		var rng HistoryReply
		k.request(k.shell, "history_request", HistoryRequest{HistAccessType: "range", Session: 0, Start: line, Stop: &stop}, &rng)
		if len(rng.History) != 2 || rng.History[1][2] != "hist + \"-two\"" {
			t.Fatalf("range %d..%d: %+v", line, stop, rng.History)
		}
	})

	run("comm_info", func(t *testing.T) {
		var r CommInfoReply
		k.request(k.shell, "comm_info_request", CommInfoRequest{}, &r)
		if r.Status != "ok" || r.Comms == nil || len(r.Comms) != 0 {
			t.Fatalf("comm_info_reply %+v", r)
		}
	})

	run("display, update and clear", func(t *testing.T) {
		c := k.mustOK("wb.Display(wb.HTML(\"<b>hi</b>\"))\nh := wb.NewDisplay()\nh.Display(\"v1\")\nh.Update(\"v2\")\nwb.ClearOutput(true)")
		seq := types(c.iopub)
		if !strings.Contains(seq, "display_data display_data update_display_data clear_output") {
			t.Fatalf("sequence %s", seq)
		}
		var dd, upd DisplayData
		for _, m := range c.iopub {
			switch m.Header.MsgType {
			case "display_data":
				if dd.Data == nil {
					json.Unmarshal(m.Content, &dd)
				}
			case "update_display_data":
				json.Unmarshal(m.Content, &upd)
			}
		}
		if dd.Data["text/html"] != "<b>hi</b>" || upd.Transient == nil || upd.Transient.DisplayID == "" || upd.Data["text/plain"] != "v2" {
			t.Fatalf("display %+v update %+v", dd, upd)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestShutdown(t *testing.T) {
	k := startKernel(t)
	var r ShutdownReply
	_, io := k.request(k.control, "shutdown_request", ShutdownRequest{Restart: false}, &r)
	if r.Status != "ok" || r.Restart {
		t.Fatalf("shutdown_reply %+v", r)
	}
	checkEnvelope(t, io[0].ParentHeader.MsgID, io, false)
	if err := k.waitExit(5 * time.Second); err != nil {
		t.Fatalf("kernel did not exit cleanly: %v\n%s", err, k.log.String())
	}
}

// TestRestart does what jupyter_client does on restart: shutdown_request with
// restart=true, wait for the process to end, start a new one on the same
// connection file. The new kernel has fresh state.
func TestRestart(t *testing.T) {
	k := startKernel(t)
	k.mustOK("kept := 1")
	var r ShutdownReply
	k.request(k.control, "shutdown_request", ShutdownRequest{Restart: true}, &r)
	if r.Status != "ok" || !r.Restart {
		t.Fatalf("shutdown_reply %+v", r)
	}
	if err := k.waitExit(5 * time.Second); err != nil {
		t.Fatalf("kernel did not exit for the restart: %v", err)
	}
	k.close()
	k2 := startKernelOn(t, k.file, k.info)
	if c := k2.execute("kept", 30*time.Second); c.reply.Status != "error" {
		t.Fatalf("state survived a restart: %s", c.raw.Content)
	}
	k2.mustOK("1 + 1")
}

// TestAutoImport: in a fresh kernel, a cell that uses fmt without importing it
// runs (the session adds the import and notes it on stderr), and completion
// offers the members of a package not imported yet.
func TestAutoImport(t *testing.T) {
	k := startKernel(t)
	var r CompleteReply
	k.request(k.shell, "complete_request", CompleteRequest{Code: "strings.ToUp", CursorPos: 12}, &r)
	if r.Status != "ok" || !contains(r.Matches, "ToUpper") || r.CursorStart != 8 || r.CursorEnd != 12 {
		t.Fatalf("complete_reply for an unimported package %+v", r)
	}
	c := k.mustOK(`fmt.Println("hi")`)
	if c.stdout != "hi\n" || !strings.Contains(c.stderr, "auto-imported: fmt") {
		t.Fatalf("stdout %q stderr %q, want hi and the auto-import note", c.stdout, c.stderr)
	}
	if c := k.mustOK(`fmt.Println("again")`); c.stdout != "again\n" || c.stderr != "" {
		t.Fatalf("second cell: stdout %q stderr %q, want again and no note", c.stdout, c.stderr)
	}
}
