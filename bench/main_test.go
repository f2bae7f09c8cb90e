package bench

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/turinglab/turinglab/internal/gcpercent"
	"github.com/turinglab/turinglab/internal/simd"
)

// TestMain sets the garbage collector's target the notebook kernel runs with
// (gcpercent), so that time and peak memory are measured as a notebook
// would see them, and prints the level the kernels run at and that target
// before any benchmark, so that every recorded figure says what it
// measured (bench/compare.sh copies the lines).
func TestMain(m *testing.M) {
	flag.Parse()
	gc, fromEnv := gcpercent.Apply()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		fmt.Printf("kernels level: %v\n", simd.Active())
		source := "the kernel's default"
		if fromEnv {
			source = "from " + gcpercent.EnvVar
		}
		fmt.Printf("gc target: %d%% (%s)\n", gc, source)
	}
	os.Exit(m.Run())
}
