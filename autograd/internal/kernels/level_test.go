package kernels

import (
	"testing"

	"github.com/turinglab/turinglab/internal/simd"
)

// defaultLevel is the level the kernels chose for this process, which tests
// restore after running a path at another level.
var defaultLevel = level

// eachLevel runs f as a subtest, named after the level, at every level this
// machine supports (so the AVX2 kernels stay tested on AVX-512 machines).
func eachLevel(t *testing.T, f func(t *testing.T)) {
	for _, l := range simd.Supported() {
		t.Run(l.String(), func(t *testing.T) {
			defer setLevel(l)()
			f(t)
		})
	}
}

// setLevel makes the kernels run at l and returns the function that restores
// the previous level.
func setLevel(l simd.Level) (restore func()) {
	old := level
	level = l
	return func() { level = old }
}
