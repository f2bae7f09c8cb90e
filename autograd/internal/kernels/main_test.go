package kernels

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/turinglab/turinglab/internal/simd"
)

// TestMain prints the level the kernels run at, and their GEMM's cache
// blocks, before any benchmark, so that every recorded figure says which
// kernels it measured (bench/matmul.sh copies the lines).
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		fmt.Printf("kernels level: %v\n", simd.Active())
		fmt.Printf("gemm blocks: %v\n", GemmBlocks())
	}
	os.Exit(m.Run())
}
