package bench

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/turinglab/turinglab/internal/simd"
)

// TestMain prints the level the kernels run at before any benchmark, so that
// every recorded figure says which kernels it measured (bench/compare.sh
// copies the line).
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		fmt.Printf("kernels level: %v\n", simd.Active())
	}
	os.Exit(m.Run())
}
