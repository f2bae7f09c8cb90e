//go:build turinglab_stuck

package symbols

import (
	"reflect"

	"github.com/turinglab/turinglab/kernel/internal/stuck"
)

// With the turinglab_stuck build tag (the kernel's hang tests build the kernel
// with it), cells can import the test-only package kernel/internal/stuck,
// whose calls block in compiled code without polling the interrupt. The
// generator leaves this hand-written file alone; the shipped kernel is built
// without the tag and lacks the package.
func init() {
	Symbols["github.com/turinglab/turinglab/kernel/internal/stuck/stuck"] = map[string]reflect.Value{
		"Forever":      reflect.ValueOf(stuck.Forever),
		"UntilWritten": reflect.ValueOf(stuck.UntilWritten),
		"Picture":      reflect.ValueOf((*stuck.Picture)(nil)),
	}
}
