package session

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unicode"
)

// The working directory: %cd and %pwd, as IPython has them. They change and
// read the kernel process's own working directory, so `!` commands, compiled
// code and relative paths in cells all follow it.

// dirHistory is the directories %cd has visited, oldest first (IPython's
// _dh): `%cd -` goes back to the one before the last, `%cd -N` to number N.
// The working directory belongs to the process, so its history does too.
var dirHistory struct {
	mu   sync.Mutex
	dirs []string
}

// cdNumberRE matches `%cd -N`.
var cdNumberRE = regexp.MustCompile(`^-(\d+)$`)

// cdMagic is `%cd [-q] [DIR]`: no DIR goes home, `~` is expanded, `-` goes
// to the previous directory, `-N` to entry N of the history. It prints the
// new directory unless -q is given.
func cdMagic(s *Session, _ context.Context, args string) Result {
	arg := strings.TrimSpace(args)
	quiet := arg == "-q" || strings.HasPrefix(arg, "-q ")
	if quiet {
		arg = strings.TrimSpace(arg[2:])
	}
	arg = unquoteArg(arg)
	old, oldErr := os.Getwd()

	dirHistory.mu.Lock()
	defer dirHistory.mu.Unlock()
	if len(dirHistory.dirs) == 0 && oldErr == nil {
		dirHistory.dirs = []string{old}
	}
	dh := dirHistory.dirs
	var target string
	switch m := cdNumberRE.FindStringSubmatch(arg); {
	case arg == "":
		home, err := os.UserHomeDir()
		if err != nil {
			return usageError("%%cd: no home directory: %v", err)
		}
		target = home
	case arg == "-":
		if len(dh) < 2 {
			return usageError("%%cd -: No previous directory to change to.")
		}
		target = dh[len(dh)-2]
	case m != nil:
		n, _ := strconv.Atoi(m[1])
		if n >= len(dh) {
			return usageError("%%cd %s: The requested directory does not exist in history (it has %d entries).", arg, len(dh))
		}
		target = dh[n]
	default:
		target = expandUser(arg)
	}
	if err := os.Chdir(target); err != nil {
		return Result{Error: osError(err)}
	}
	cwd, err := os.Getwd()
	if err != nil {
		return Result{Error: osError(err)}
	}
	if cwd != old {
		dirHistory.dirs = append(dirHistory.dirs, cwd)
	}
	if !quiet {
		fmt.Fprintln(s.opts.Stdout, cwd)
	}
	return Result{}
}

// pwdMagic is `%pwd`: the working directory, shown as IPython shows the str
// it returns.
func pwdMagic(_ *Session, _ context.Context, _ string) Result {
	cwd, err := os.Getwd()
	if err != nil {
		return usageError("CWD no longer exists - please use %%cd to change directory.")
	}
	return valueResult(pyRepr(cwd))
}

// expandUser replaces a leading ~ (alone or before a slash) with the home
// directory, like Python's os.path.expanduser.
func expandUser(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, p[1:])
}

// unquoteArg strips one pair of matching quotes around a magic's argument
// ('my dir' or "my dir").
func unquoteArg(a string) string {
	if len(a) >= 2 && (a[0] == '\'' || a[0] == '"') && a[len(a)-1] == a[0] {
		return a[1 : len(a)-1]
	}
	return a
}

// osError is the cell error for a failed file-system call, named and worded
// like Python's: FileNotFoundError: [Errno 2] No such file or directory: 'x'.
func osError(err error) *Error {
	name, value := "OSError", err.Error()
	var pe *fs.PathError
	var errno syscall.Errno
	if errors.As(err, &pe) && errors.As(pe.Err, &errno) {
		msg := []rune(errno.Error())
		msg[0] = unicode.ToUpper(msg[0])
		value = fmt.Sprintf("[Errno %d] %s: %s", int(errno), string(msg), pyRepr(pe.Path))
		switch errno {
		case syscall.ENOENT:
			name = "FileNotFoundError"
		case syscall.ENOTDIR:
			name = "NotADirectoryError"
		case syscall.EISDIR:
			name = "IsADirectoryError"
		case syscall.EACCES, syscall.EPERM:
			name = "PermissionError"
		}
	}
	return &Error{Name: name, Value: value, Traceback: []string{name + ": " + value}}
}
