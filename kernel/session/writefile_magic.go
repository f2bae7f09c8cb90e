package session

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/turinglab/turinglab/internal/atomicfile"
)

// writefileMagic is `%%writefile [-a|--append] FILE`: the rest of the cell
// becomes the file (ending with a newline, as IPython's cell body does). It
// prints IPython's words: `Writing FILE` for a new file, `Overwriting FILE`,
// or `Appending to FILE` with -a. The file is replaced atomically (also when
// appending: the old content plus the cell are written to a new file that
// takes the old one's place), so a reader never sees half of it.
func writefileMagic(s *Session, _ context.Context, args, body string) Result {
	appending := false
	var name []string
	for _, f := range strings.Fields(args) {
		switch {
		case (f == "-a" || f == "--append") && len(name) == 0:
			appending = true
		case strings.HasPrefix(f, "-") && len(name) == 0:
			return usageError("%%%%writefile: unknown option %s (usage: %%%%writefile [-a] FILE)", f)
		default:
			name = append(name, f)
		}
	}
	if len(name) == 0 {
		return usageError("%%%%writefile: the following arguments are required: filename (usage: %%%%writefile [-a] FILE)")
	}
	path := expandUser(unquoteArg(strings.Join(name, " ")))

	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	_, err := os.Stat(path)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return Result{Error: osError(err)}
	case exists && appending:
		old, err := os.ReadFile(path)
		if err != nil {
			return Result{Error: osError(err)}
		}
		fmt.Fprintf(s.opts.Stdout, "Appending to %s\n", path)
		body = string(old) + body
	case exists:
		fmt.Fprintf(s.opts.Stdout, "Overwriting %s\n", path)
	default:
		fmt.Fprintf(s.opts.Stdout, "Writing %s\n", path)
	}
	if err := atomicfile.WriteFile(path, []byte(body)); err != nil {
		return Result{Error: osError(err)}
	}
	return Result{}
}
