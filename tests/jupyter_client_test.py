#!/usr/bin/env python3
"""Jupyter's own client (jupyter_client) against the installed turinglab kernel.

Run by scripts/test.sh under /usr/bin/python3 with JUPYTER_PATH pointing at a
temporary prefix where `turinglab install --prefix` put the kernelspec. The
kernel is started by kernelspec name through KernelManager, exactly as
Notebook/JupyterLab do. Message shapes are validated the way Jupyter's own
kernel test suites do (jupyter_kernel_test's msgspec_v5 and ipykernel's
test_message_spec): header keys, parent header, per-type content keys and
types, mime-type keys, error tracebacks as lists of strings.

Prints "N passed, M failed" last and exits non-zero on any failure.
"""
import re
import sys
import tempfile
import time
import traceback
from queue import Empty

from jupyter_client.manager import KernelManager

TIMEOUT = 60
KERNEL = "turinglab"

# ---------------------------------------------------------------- validation

HEADER_KEYS = {"msg_id": str, "username": str, "session": str, "msg_type": str, "version": str}
MIME_RE = re.compile(r"^[\w\-\+\.]+/[\w\-\+\.]+$")
NUM = (int, float)

# Required content keys and their types, per message type (status-ok shape).
CONTENT = {
    "input_request": {"prompt": str, "password": bool},
    "execute_reply": {"status": str, "execution_count": NUM},
    "inspect_reply": {"status": str, "found": bool, "data": dict, "metadata": dict},
    "complete_reply": {"status": str, "matches": list, "cursor_start": NUM, "cursor_end": NUM, "metadata": dict},
    "history_reply": {"status": str, "history": list},
    "is_complete_reply": {"status": str},
    "comm_info_reply": {"status": str, "comms": dict},
    "kernel_info_reply": {"status": str, "protocol_version": str, "implementation": str,
                          "implementation_version": str, "language_info": dict, "banner": str},
    "shutdown_reply": {"status": str, "restart": bool},
    "interrupt_reply": {"status": str},
    "stream": {"name": str, "text": str},
    "display_data": {"data": dict, "metadata": dict},
    "update_display_data": {"data": dict, "metadata": dict, "transient": dict},
    "execute_result": {"execution_count": NUM, "data": dict, "metadata": dict},
    "clear_output": {"wait": bool},
    "execute_input": {"code": str, "execution_count": NUM},
    "error": {"ename": str, "evalue": str, "traceback": list},
    "status": {"execution_state": str},
}
REPLIES_WITH_STATUS = {"execute_reply", "inspect_reply", "complete_reply", "history_reply",
                       "comm_info_reply", "kernel_info_reply", "shutdown_reply", "interrupt_reply"}


class ValidationError(AssertionError):
    pass


def check(cond, what):
    if not cond:
        raise ValidationError(what)


def validate(msg, msg_type=None, parent_id=None):
    """Validate one message like jupyter_kernel_test.msgspec_v5.validate_message."""
    for key in ("header", "parent_header", "metadata", "content"):
        check(isinstance(msg.get(key), dict), f"message lacks dict {key!r}: {msg}")
    h = msg["header"]
    for key, typ in HEADER_KEYS.items():
        check(isinstance(h.get(key), typ), f"header {key!r} missing or not {typ}: {h}")
    check("date" in h, f"header lacks date: {h}")
    m = re.match(r"(\d+)\.(\d+)", h["version"])
    check(m and (int(m.group(1)), int(m.group(2))) >= (5, 2), f"header version {h['version']!r} < 5.2")
    mt = h["msg_type"]
    if msg_type is not None:
        check(mt == msg_type, f"message type {mt!r} != {msg_type!r}")
    if parent_id is not None:
        check(msg["parent_header"].get("msg_id") == parent_id, f"{mt}: parent {msg['parent_header']} != {parent_id}")
    c = msg["content"]
    if mt in REPLIES_WITH_STATUS:
        status = c.get("status")
        check(status in ("ok", "error", "aborted"), f"{mt}: status {status!r}")
        if status == "error":
            for key in ("ename", "evalue"):
                check(isinstance(c.get(key), str), f"{mt}: error reply {key} not a string: {c}")
            tb = c.get("traceback")
            check(isinstance(tb, list) and all(isinstance(x, str) for x in tb), f"{mt}: traceback not a list of str: {c}")
            return
        if status == "aborted":
            return
    for key, typ in CONTENT.get(mt, {}).items():
        check(key in c, f"{mt}: content lacks {key!r}: {c}")
        check(isinstance(c[key], typ) and not (typ is NUM and isinstance(c[key], bool)),
              f"{mt}: {key} is {type(c[key]).__name__}, want {typ}: {c}")
    if mt in ("display_data", "update_display_data", "execute_result"):
        for k in c["data"]:
            check(MIME_RE.match(k), f"{mt}: {k!r} is not a mime type")
        check("text/plain" in c["data"], f"{mt}: no text/plain: {c}")
    if mt == "error":
        check(all(isinstance(x, str) for x in c["traceback"]), f"error traceback not all strings: {c}")
    if mt == "status":
        check(c["execution_state"] in ("busy", "idle", "starting"), f"status {c}")
    if mt == "stream":
        check(c["name"] in ("stdout", "stderr"), f"stream name {c}")
    if mt == "is_complete_reply":
        check(c["status"] in ("complete", "incomplete", "invalid", "unknown"), f"is_complete {c}")
        if c["status"] == "incomplete":
            check(isinstance(c.get("indent"), str), f"incomplete without indent: {c}")
    if mt == "history_reply":
        for item in c["history"]:
            check(isinstance(item, list) and len(item) == 3, f"history item {item!r} is not a triple")
    if mt == "complete_reply":
        check(all(isinstance(x, str) for x in c["matches"]), f"matches {c}")
        check(0 <= c["cursor_start"] <= c["cursor_end"], f"cursor {c}")
    if mt == "execute_reply" and c["status"] == "ok":
        check(isinstance(c.get("payload", []), list), f"payload {c}")
        check(isinstance(c.get("user_expressions", {}), dict), f"user_expressions {c}")


# ---------------------------------------------------------------- helpers

class Client:
    def __init__(self):
        self.km = KernelManager(kernel_name=KERNEL)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.flush()

    def flush(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.3)
            except Empty:
                return

    def reply(self, msg_id, channel="shell", timeout=TIMEOUT):
        get = self.kc.get_shell_msg if channel == "shell" else self.kc.get_control_msg
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                r = get(timeout=max(0.1, deadline - time.time()))
            except Empty:
                break
            if r["parent_header"].get("msg_id") == msg_id:
                validate(r, parent_id=msg_id)
                return r
        raise AssertionError(f"no reply to {msg_id} within {timeout}s")

    def iopub_until_idle(self, msg_id, timeout=TIMEOUT):
        msgs, deadline = [], time.time() + timeout
        while time.time() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            except Empty:
                break
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            validate(m)
            msgs.append(m)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                states = [x["content"]["execution_state"] for x in msgs if x["msg_type"] == "status"]
                check(msgs[0]["msg_type"] == "status" and states[0] == "busy", f"first iopub is not busy: {types(msgs)}")
                return msgs
        raise AssertionError(f"no idle for {msg_id}; got {types(msgs)}")

    def execute(self, code, **kw):
        msg_id = self.kc.execute(code, **kw)
        reply = self.reply(msg_id)
        validate(reply, "execute_reply", msg_id)
        io = self.iopub_until_idle(msg_id)
        return reply, io

    def shutdown(self):
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=False)


def types(msgs):
    return " ".join(m["msg_type"] + (":" + m["content"]["execution_state"] if m["msg_type"] == "status" else "") for m in msgs)


def text_of(io, kind="stream", name="stdout"):
    return "".join(m["content"]["text"] for m in io if m["msg_type"] == kind and m["content"]["name"] == name)


def result_of(io):
    rs = [m for m in io if m["msg_type"] == "execute_result"]
    return rs[0]["content"]["data"]["text/plain"] if rs else None


# ---------------------------------------------------------------- tests

def test_kernel_info(c):
    for channel in ("shell", "control"):
        if channel == "shell":
            msg_id = c.kc.kernel_info()
        else:
            msg = c.kc.session.msg("kernel_info_request")
            c.kc.control_channel.send(msg)
            msg_id = msg["header"]["msg_id"]
        r = c.reply(msg_id, channel)
        validate(r, "kernel_info_reply", msg_id)
        info = r["content"]
        li = info["language_info"]
        check(info["protocol_version"] == "5.3", info)
        check(li["name"] == "go" and li["mimetype"] == "text/x-go" and li["file_extension"] == ".go", li)
        check(li["pygments_lexer"] == "go" and li["codemirror_mode"] == "go", li)
        check(isinstance(info.get("help_links"), list), info)
        c.iopub_until_idle(msg_id)


def test_execute_stream_and_result(c):
    reply, io = c.execute('import "fmt"\nfmt.Println("hello, world")\nn := 20\nn * 2 + 2')
    check(reply["content"]["status"] == "ok", reply["content"])
    check([m["msg_type"] for m in io][:2] == ["status", "execute_input"], types(io))
    check(text_of(io) == "hello, world\n", types(io))
    check(result_of(io) == "42", result_of(io))
    count = reply["content"]["execution_count"]
    er = [m for m in io if m["msg_type"] == "execute_result"][0]
    check(er["content"]["execution_count"] == count, er)
    reply2, io2 = c.execute("n")
    check(reply2["content"]["execution_count"] == count + 1 and result_of(io2) == "20", reply2["content"])


def test_execute_error(c):
    reply, io = c.execute('panic("kaboom")')
    content = reply["content"]
    check(content["status"] == "error", content)
    errors = [m for m in io if m["msg_type"] == "error"]
    check(len(errors) == 1, f"want exactly one error output, got {types(io)}")
    tb = errors[0]["content"]["traceback"]
    check(isinstance(tb, list) and "kaboom" in errors[0]["content"]["evalue"] + "".join(tb), errors[0]["content"])
    reply, io = c.execute("x := notDefined")
    check(reply["content"]["status"] == "error" and "notDefined" in reply["content"]["evalue"] + "".join(reply["content"]["traceback"]), reply["content"])


def test_display(c):
    reply, io = c.execute('wb.Display(wb.HTML("<i>rich</i>"))\nwb.Markdown("**md**")')
    check(reply["content"]["status"] == "ok", reply["content"])
    dd = [m for m in io if m["msg_type"] == "display_data"]
    check(dd and dd[0]["content"]["data"].get("text/html") == "<i>rich</i>", types(io))
    er = [m for m in io if m["msg_type"] == "execute_result"]
    check(er and "text/markdown" in er[0]["content"]["data"], types(io))


def test_complete(c):
    c.execute('import "strings"')
    code = 'x := 1\nstrings.ToU'
    msg_id = c.kc.complete(code, len(code))
    r = c.reply(msg_id)
    validate(r, "complete_reply", msg_id)
    content = r["content"]
    check("ToUpper" in content["matches"], content)
    check(content["cursor_end"] == len(code) and content["cursor_start"] == len(code) - 3, content)
    c.iopub_until_idle(msg_id)


def test_inspect(c):
    code = "strings.ToUpper"
    msg_id = c.kc.inspect(code, len(code))
    r = c.reply(msg_id)
    validate(r, "inspect_reply", msg_id)
    check(r["content"]["found"] and r["content"]["data"].get("text/plain"), r["content"])
    c.iopub_until_idle(msg_id)


def test_is_complete(c):
    for code, want in (("x := 1", "complete"), ("func f() {", "incomplete"), ("x := )", "invalid")):
        msg_id = c.kc.is_complete(code)
        r = c.reply(msg_id)
        validate(r, "is_complete_reply", msg_id)
        check(r["content"]["status"] == want, (code, r["content"]))
        c.iopub_until_idle(msg_id)


def test_history(c):
    c.execute('histMark := "h1"')
    c.execute('histMark + "!"')
    msg_id = c.kc.history(hist_access_type="tail", n=2, output=True, raw=True)
    r = c.reply(msg_id)
    validate(r, "history_reply", msg_id)
    hist = r["content"]["history"]
    check(len(hist) == 2 and hist[0][2][0] == 'histMark := "h1"' and hist[1][2][1] == "h1!", hist)
    msg_id = c.kc.history(hist_access_type="search", pattern="histMark :=*", output=False, raw=True)
    r = c.reply(msg_id)
    validate(r, "history_reply", msg_id)
    check([h[2] for h in r["content"]["history"]] == ['histMark := "h1"'], r["content"])
    line = hist[0][1]
    msg_id = c.kc.history(hist_access_type="range", session=0, start=line, stop=line + 1, output=False, raw=True)
    r = c.reply(msg_id)
    check([h[2] for h in r["content"]["history"]] == ['histMark := "h1"'], r["content"])


def test_comm_info(c):
    msg_id = c.kc.comm_info()
    r = c.reply(msg_id)
    validate(r, "comm_info_reply", msg_id)
    check(r["content"]["comms"] == {}, r["content"])


def test_input(c):
    """wb.Input sends input_request on stdin, parented to the execute request;
    the reply's value is what the cell gets. Without allow_stdin it fails."""
    msg_id = c.kc.execute('name := wb.Input("your name? ")\n"hello " + name', allow_stdin=True)
    req = c.kc.get_stdin_msg(timeout=TIMEOUT)
    validate(req, "input_request", msg_id)
    check(req["content"]["prompt"] == "your name? " and req["content"]["password"] is False, req["content"])
    c.kc.input("Ada")
    reply = c.reply(msg_id)
    check(reply["content"]["status"] == "ok", reply["content"])
    io = c.iopub_until_idle(msg_id)
    check(result_of(io) == "hello Ada", f"input value not used: {types(io)}")
    msg_id = c.kc.execute('secret := wb.Password("token: ")\nlen(secret)', allow_stdin=True)
    req = c.kc.get_stdin_msg(timeout=TIMEOUT)
    check(req["content"]["password"] is True, req["content"])
    c.kc.input("abc")
    c.reply(msg_id)
    check(result_of(c.iopub_until_idle(msg_id)) == "3", "password value not used")
    reply, io = c.execute('wb.Input("x? ")', allow_stdin=False)
    check(reply["content"]["status"] == "error" and "allow_stdin" in reply["content"]["evalue"], reply["content"])


def test_interrupt(c):
    c.execute("keep := 7")
    msg_id = c.kc.execute('import "time"\ntime.Sleep(time.Hour)')
    time.sleep(1.0)
    t0 = time.time()
    c.km.interrupt_kernel()
    reply = c.reply(msg_id, timeout=10)
    elapsed = time.time() - t0
    check(reply["content"]["status"] == "error", reply["content"])
    check(elapsed < 1.5, f"interrupt took {elapsed:.2f}s")
    c.iopub_until_idle(msg_id)
    msg_id = c.kc.execute("for {}")
    time.sleep(0.5)
    c.km.interrupt_kernel()
    check(c.reply(msg_id, timeout=10)["content"]["status"] == "error", "loop not interrupted")
    c.iopub_until_idle(msg_id)
    reply, io = c.execute("keep")
    check(result_of(io) == "7", f"state lost after interrupt: {types(io)}")


def test_restart(c):
    c.execute("gone := 1")
    c.km.restart_kernel(now=False)
    c.kc.wait_for_ready(timeout=TIMEOUT)
    c.flush()
    reply, io = c.execute("gone")
    check(reply["content"]["status"] == "error", "state survived the restart")
    reply, io = c.execute("1 + 1")
    check(result_of(io) == "2", types(io))


def test_shutdown(c):
    msg = c.kc.session.msg("shutdown_request", {"restart": False})
    c.kc.control_channel.send(msg)
    r = c.reply(msg["header"]["msg_id"], "control")
    validate(r, "shutdown_reply", msg["header"]["msg_id"])
    check(r["content"]["restart"] is False, r["content"])
    # The request's idle status is the last thing the kernel publishes; it
    # must reach the client before the kernel closes its sockets.
    io = c.iopub_until_idle(msg["header"]["msg_id"], timeout=10)
    check("shutdown_reply" in types(io), f"no shutdown_reply on iopub: {types(io)}")
    deadline = time.time() + 10
    while c.km.is_alive() and time.time() < deadline:
        time.sleep(0.05)
    check(not c.km.is_alive(), "kernel still alive 10 s after shutdown_request")
    code = c.km.provisioner.process.returncode if c.km.provisioner and c.km.provisioner.process else 0
    check(code in (0, None), f"kernel exit status {code}")


def test_auto_import(c):
    """A package the cells never imported: its members complete, and a cell
    that uses it runs, the import added with a note on stderr. Runs after the
    restart, in a fresh kernel."""
    code = "fmt.Sprin"
    msg_id = c.kc.complete(code, len(code))
    r = c.reply(msg_id)
    validate(r, "complete_reply", msg_id)
    content = r["content"]
    check(sorted(content["matches"]) == ["Sprint", "Sprintf", "Sprintln"], content)
    check(content["cursor_start"] == 4 and content["cursor_end"] == len(code), content)
    c.iopub_until_idle(msg_id)
    reply, io = c.execute('fmt.Println("hi")')
    check(reply["content"]["status"] == "ok", reply["content"])
    check(text_of(io) == "hi\n", types(io))
    check("auto-imported: fmt" in text_of(io, name="stderr"), text_of(io, name="stderr"))


def test_magics(c):
    """IPython's magics: ! output streams while the command runs, a failing
    command is a CalledProcessError, the stop button ends a command; %cd,
    %env and %%writefile reach ! commands; %timeit prints IPython's line."""
    msg_id = c.kc.execute("!echo first; sleep 1; echo second")
    io = c.iopub_until_idle(msg_id)
    c.reply(msg_id)
    streams = [m["content"]["text"] for m in io if m["msg_type"] == "stream"]
    check(len(streams) >= 2 and "first" in streams[0] and "second" not in streams[0], f"! output not streamed: {streams}")
    reply, io = c.execute("!false")
    check(reply["content"]["status"] == "error" and reply["content"]["ename"] == "CalledProcessError", reply["content"])
    check(reply["content"]["evalue"] == "Command 'false' returned non-zero exit status 1.", reply["content"])

    folder = tempfile.mkdtemp()
    reply, io = c.execute(f"%cd {folder}\n%env TL_MAGIC=from env")
    check(reply["content"]["status"] == "ok", reply["content"])
    check(text_of(io) == f"{folder}\nenv: TL_MAGIC=from env\n", text_of(io))
    reply, io = c.execute("%%writefile notes.txt\nnoted")
    check(text_of(io) == "Writing notes.txt\n", text_of(io))
    reply, io = c.execute("!pwd; cat notes.txt; echo $TL_MAGIC")
    check(text_of(io) == f"{folder}\nnoted\nfrom env\n", text_of(io))
    reply, io = c.execute("%pwd")
    check(result_of(io) == repr(folder), result_of(io))
    c.execute("%cd -q -")

    reply, io = c.execute("%timeit -n 100 -r 3 1 + 1")
    line = text_of(io)
    check(re.fullmatch(r"\d+(\.\d+)? (s|ms|µs|ns) ± \d+(\.\d+)?(e[+-]\d+)? (s|ms|µs|ns) per loop "
                       r"\(mean ± std\. dev\. of 3 runs, 100 loops each\)\n", line), line)
    reply, io = c.execute("%nope")
    check(reply["content"]["ename"] == "UsageError" and "%nope" in reply["content"]["evalue"], reply["content"])

    msg_id = c.kc.execute("!sleep 100")
    time.sleep(0.5)
    c.km.interrupt_kernel()
    reply = c.reply(msg_id, timeout=10)
    check(reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt", reply["content"])
    c.iopub_until_idle(msg_id)


def iopub_collect(c, msg_id, stop, timeout=TIMEOUT):
    """The iopub messages of msg_id up to the first for which stop is true."""
    msgs, deadline = [], time.time() + timeout
    while time.time() < deadline:
        try:
            m = c.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        except Empty:
            break
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        validate(m)
        msgs.append(m)
        if stop(m):
            return msgs
    raise AssertionError(f"iopub for {msg_id} did not get there; got {types(msgs)}")


def test_stuck_cell(c):
    """A cell whose value renders itself by waiting in compiled code that never
    checks for interrupts (a WaitGroup nothing releases): the rendering runs
    under the cell's context, so the stop button ends the cell, the stuck call
    is left behind, and every request and the next cell answer at once with
    the state kept. (A session stuck in compiled code outside a cell's run,
    which gives KernelBusy, is tested with a test-only package in
    kernel/hang_test.go.)"""
    reply, io = c.execute('import "fmt"\nimport "sync"\nimport "github.com/turinglab/turinglab/display"\n'
                          'var never sync.WaitGroup\ntype Stuck struct{}\nkeep := 21\n'
                          'func (Stuck) MIMEBundle() display.Bundle { never.Add(1); never.Wait(); return display.TextBundle("") }')
    check(reply["content"]["status"] == "ok", reply["content"])
    msg_id = c.kc.execute('fmt.Println("started")\nStuck{}')
    io = iopub_collect(c, msg_id, lambda m: m["msg_type"] == "stream" and "started" in m["content"]["text"])
    c.km.interrupt_kernel()
    reply = c.reply(msg_id)["content"]
    check(reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply)
    io += iopub_collect(c, msg_id, lambda m: m["msg_type"] == "status" and m["content"]["execution_state"] == "idle")

    for msg_type, send, ok in [
            ("kernel_info_reply", lambda: c.kc.kernel_info(), lambda r: r["implementation"] == "turinglab"),
            ("complete_reply", lambda: c.kc.complete("Stu", 3), lambda r: "Stuck" in r["matches"]),
            ("inspect_reply", lambda: c.kc.inspect("keep", 2), lambda r: r["found"]),
            ("is_complete_reply", lambda: c.kc.is_complete("x := 1"), lambda r: r["status"] == "complete"),
            ("history_reply", lambda: c.kc.history(hist_access_type="tail", n=3),
             lambda r: "Stuck{}" in r["history"][-1][2])]:
        req = send()
        r = c.reply(req)
        validate(r, msg_type, req)
        check(ok(r["content"]), f"{msg_type} after the stuck cell: {r['content']}")
        c.iopub_until_idle(req)

    reply, io = c.execute("keep * 2")
    check(result_of(io) == "42", types(io))


def test_unbounded_recursion(c):
    """A cell that recurses without end fails with a RecursionError naming the
    function; the kernel lives on with its variables."""
    c.execute("%recursion_limit 1000\nkeep := 7")
    reply, io = c.execute("func down(n int) int { return down(n+1) + 1 }\ndown(0)")
    content = reply["content"]
    check(content["status"] == "error" and content["ename"] == "RecursionError", content)
    check("down called at depth 1001" in content["evalue"], content["evalue"])
    errors = [m for m in io if m["msg_type"] == "error"]
    check(len(errors) == 1 and len(errors[0]["content"]["traceback"]) < 20, types(io))
    reply, io = c.execute("keep * 6")
    check(result_of(io) == "42", types(io))
    c.execute("%recursion_limit 10000")


TESTS = [test_kernel_info, test_execute_stream_and_result, test_execute_error, test_display,
         test_complete, test_inspect, test_is_complete, test_history, test_comm_info,
         test_input, test_interrupt, test_restart, test_auto_import, test_magics,
         test_stuck_cell, test_unbounded_recursion, test_shutdown]


def main():
    passed = failed = 0
    c = Client()
    try:
        for test in TESTS:
            t0 = time.time()
            try:
                test(c)
                passed += 1
                print(f"PASS {test.__name__} ({time.time() - t0:.2f}s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {test.__name__}\n{traceback.format_exc()}", flush=True)
    finally:
        if c.km.is_alive():
            c.shutdown()
        else:
            c.kc.stop_channels()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
