package peft

import (
	"fmt"
	"os"
)

// warn records a warning where PEFT calls warnings.warn (a config field it
// corrects, for instance) and prints it to stderr, as Python's warnings do,
// so it shows under the notebook cell.
func (m *Model) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	m.warnings = append(m.warnings, msg)
	fmt.Fprintln(os.Stderr, "peft: warning: "+msg)
}

// Warnings lists the warnings the model gave so far, oldest first.
func (m *Model) Warnings() []string { return append([]string(nil), m.warnings...) }
