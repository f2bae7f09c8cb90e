package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"syscall"
	"time"

	"github.com/turinglab/turinglab/display"
	"golang.org/x/sys/unix"
)

// Shell commands, as IPython runs them: a `!command` line of a cell (which
// cellsrc's shell_lines.go turns into a call of _tl.Sh, so it runs in order
// with the Go statements around it, in loops and functions too) and the %%sh and %%bash
// cell magics. The command runs in the kernel's working directory (%cd) with
// the kernel's environment (%env), its stdout and stderr go straight to the
// session's writers (in the kernel: the captured descriptors 1 and 2, which
// are streamed every 50 ms while the command runs), its stdin is the kernel's
// (/dev/null under Jupyter). A non-zero exit fails the cell with a
// CalledProcessError, as IPython's %%bash does. The stop button sends SIGINT
// to the command's process group, then SIGKILL to whatever is left of it.

const (
	// shellPath is the shell of `!command` lines and %%sh.
	shellPath = "/bin/sh"
	// shellStopGrace is how long an interrupted command has after SIGINT to
	// exit by itself before its process group is killed.
	shellStopGrace = 500 * time.Millisecond
	// shellPipeGrace bounds the wait for the output pipes after the command has
	// exited: a background job (`server &`) keeps them open, and the cell must
	// not wait for it.
	shellPipeGrace = 200 * time.Millisecond
)

// commandError is a shell command that failed: a non-zero exit status, or a
// signal that ended it. Its text is that of Python's CalledProcessError.
type commandError struct {
	command string
	status  int            // the exit status; -1 when a signal ended the command
	signal  syscall.Signal // the signal, when status is -1
}

func (e *commandError) Error() string {
	if e.status < 0 {
		return fmt.Sprintf("Command %s died with <Signals.%s: %d>.", pyRepr(e.command), unix.SignalName(e.signal), int(e.signal))
	}
	return fmt.Sprintf("Command %s returned non-zero exit status %d.", pyRepr(e.command), e.status)
}

// sessionError is the cell's error for a failed command; where, when not
// empty, names the cell line that ran it (followed by that line's source).
func (e *commandError) sessionError(where ...string) *Error {
	return &Error{Name: "CalledProcessError", Value: e.Error(),
		Traceback: append([]string{"CalledProcessError: " + e.Error()}, where...)}
}

// runShell runs script with `shell -c script` in its own process group and
// waits for it. It returns nil on exit status 0, a *commandError on failure,
// display.ErrInterrupted when ctx was cancelled (the command's process group
// is then stopped before runShell returns), or an error naming the shell if it
// could not start.
func runShell(ctx context.Context, shell, script string, stdout, stderr io.Writer) error {
	cmd := exec.Command(shell, "-c", script)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = shellPipeGrace
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot start %s: %w", shell, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return exitError(script, err)
	case <-ctx.Done():
	}
	group := -cmd.Process.Pid
	_ = syscall.Kill(group, syscall.SIGINT)
	select {
	case <-done:
		_ = syscall.Kill(group, syscall.SIGKILL) // what the command left running
	case <-time.After(shellStopGrace):
		_ = syscall.Kill(group, syscall.SIGKILL)
		<-done
	}
	return display.ErrInterrupted
}

// exitError turns what exec.Cmd.Wait returned into runShell's result.
func exitError(script string, err error) error {
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		if errors.Is(err, exec.ErrWaitDelay) {
			return nil // the command succeeded; a background job holds its output
		}
		return err
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return &commandError{command: script, status: -1, signal: ws.Signal()}
	}
	return &commandError{command: script, status: ee.ExitCode()}
}

// sh runs one `!command` line of a cell (the cell calls it as _tl.Sh). A
// failure panics with runShell's error, which stops the cell where the line
// is; the session reports it as a CalledProcessError (runtimeError).
func (r *runtimeState) sh(command string) {
	r.mu.Lock()
	stdout, stderr := r.stdout, r.stderr
	r.mu.Unlock()
	if err := runShell(display.Context(), shellPath, command, stdout, stderr); err != nil {
		panic(err)
	}
}

// commandFailure is the cell error for a `!command` line that failed, naming
// the cell line of the command.
func (s *Session) commandFailure(cur *cellRecord, e *commandError) *Error {
	if c, rel := s.lines.find(int(s.rt.line.Load())); c != nil {
		return e.sessionError("  "+c.where(cur, rel), "    "+c.sourceLine(rel))
	}
	return e.sessionError()
}

// scriptMagic is a cell magic that runs the cell's body as a script of shell
// (%%sh, %%bash).
func scriptMagic(shell string) cellMagic {
	return func(s *Session, ctx context.Context, args, body string) Result {
		path, err := exec.LookPath(shell)
		if err == nil {
			err = runShell(ctx, path, body, s.opts.Stdout, s.opts.Stderr)
		}
		var ce *commandError
		switch {
		case err == nil:
			return Result{}
		case errors.As(err, &ce):
			return Result{Error: ce.sessionError()}
		case errors.Is(err, display.ErrInterrupted):
			return Result{Error: interruptError()}
		}
		return Result{Error: &Error{Name: "OSError", Value: err.Error(), Traceback: []string{"OSError: " + err.Error()}}}
	}
}
