// Package simd decides, once per process, which instruction-set level the
// numeric kernels (autograd/internal/kernels) run at: AVX-512, AVX2+FMA or
// portable Go. The level is the best one this CPU and OS support, unless the
// environment variable TURINGLAB_CPU_LEVEL asks for a lower one (for tests and
// for comparing the kernels of two levels on one machine); a request above
// what the CPU has is lowered to the detected level, and Active says so.
//
// It lives outside the kernels package so that the command (`turinglab
// version`) and the benchmarks can print the level the kernels use.
package simd

import (
	"fmt"
	"os"
	"strings"
	"sync"
)

// Level is an instruction-set level of the kernels. Levels are ordered: a
// CPU that supports a level supports every lower one.
type Level int

// The levels, lowest first.
const (
	// Go is the portable Go code, on any platform.
	Go Level = iota
	// AVX2 is the amd64 assembly using AVX2 and FMA on 256-bit registers.
	AVX2
	// AVX512 is the amd64 assembly using AVX-512 F, BW, DQ and VL on 512-bit
	// registers (and the AVX2 code where no AVX-512 version exists).
	AVX512
)

// EnvVar is the environment variable that forces a level: "avx512", "avx2"
// or "go" (case-insensitive). Empty means the best the CPU supports.
const EnvVar = "TURINGLAB_CPU_LEVEL"

// String returns the level's name as EnvVar spells it.
func (l Level) String() string {
	switch l {
	case Go:
		return "go"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return fmt.Sprintf("simd.Level(%d)", int(l))
}

// Parse reads a level name as EnvVar takes it.
func Parse(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "go":
		return Go, nil
	case "avx2":
		return AVX2, nil
	case "avx512":
		return AVX512, nil
	}
	return Go, fmt.Errorf("%s=%q: want one of avx512, avx2, go", EnvVar, s)
}

// Supported returns every level this CPU supports, lowest first: the levels
// the kernels' tests run at.
func Supported() []Level {
	var ls []Level
	for l := Go; l <= Detect(); l++ {
		ls = append(ls, l)
	}
	return ls
}

// Choice is the level in use and how it was chosen.
type Choice struct {
	// Level is the level the kernels run at.
	Level Level
	// Detected is the best level this CPU and OS support.
	Detected Level
	// Requested is EnvVar's value, empty when unset.
	Requested string
	// Note explains a request that was not followed (unknown name, or a level
	// above the detected one); empty otherwise.
	Note string
}

// String describes the choice in one line, as `turinglab version` prints it.
func (c Choice) String() string {
	s := fmt.Sprintf("%s (detected %s", c.Level, c.Detected)
	if c.Requested != "" {
		s += fmt.Sprintf(", %s=%s", EnvVar, c.Requested)
	}
	s += ")"
	if c.Note != "" {
		s += ": " + c.Note
	}
	return s
}

// Active returns the level the kernels use in this process, decided on the
// first call from the CPU and EnvVar.
func Active() Choice { return active() }

var active = sync.OnceValue(func() Choice { return choose(Detect(), os.Getenv(EnvVar)) })

// choose applies a request (EnvVar's value) to the detected level: no
// request gives the detected level, a known level at most the detected one
// is taken as is, anything else falls back to the detected level with a note.
func choose(detected Level, requested string) Choice {
	c := Choice{Level: detected, Detected: detected, Requested: requested}
	if requested == "" {
		return c
	}
	l, err := Parse(requested)
	switch {
	case err != nil:
		c.Note = err.Error() + "; using " + detected.String()
	case l > detected:
		c.Note = fmt.Sprintf("this CPU does not support %s; using %s", l, detected)
	default:
		c.Level = l
	}
	return c
}
