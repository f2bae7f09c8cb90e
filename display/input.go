package display

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// Prompter is implemented by sinks that can ask the user for a line of text.
// The kernel's sink sends Jupyter's input_request, which makes the notebook
// show a text box under the cell and waits for what the user types.
type Prompter interface {
	// Prompt shows prompt and returns the line the user entered (without the
	// newline). With password the front end hides what is typed.
	Prompt(prompt string, password bool) (string, error)
}

// Input asks the user for one line of text, like Python's input(): in a
// notebook the front end shows a text box; without a kernel it prints the
// prompt and reads standard input. It returns ErrInterrupted if the stop
// button is pressed while it waits.
func Input(prompt string) (string, error) { return ask(prompt, false) }

// Password is Input for secrets (Python's getpass): the notebook hides what is
// typed. On a terminal the text is read like Input's.
func Password(prompt string) (string, error) { return ask(prompt, true) }

func ask(prompt string, password bool) (string, error) {
	if p, ok := CurrentSink().(Prompter); ok {
		return p.Prompt(prompt, password)
	}
	return readLine(os.Stdout, prompt)
}

var (
	stdinMu     sync.Mutex
	stdinReader *bufio.Reader
)

// readLine prints prompt to w and reads one line of standard input.
func readLine(w io.Writer, prompt string) (string, error) {
	stdinMu.Lock()
	defer stdinMu.Unlock()
	if stdinReader == nil {
		stdinReader = bufio.NewReader(os.Stdin)
	}
	fmt.Fprint(w, prompt)
	line, err := stdinReader.ReadString('\n')
	if errors.Is(err, io.EOF) && line != "" {
		err = nil
	}
	if err != nil {
		return "", fmt.Errorf("input: reading standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
