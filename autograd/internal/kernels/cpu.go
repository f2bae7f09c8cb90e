package kernels

import "github.com/turinglab/turinglab/internal/simd"

// level is the instruction-set level the kernels run at: the one package simd
// chose for this process (the CPU's best, or TURINGLAB_CPU_LEVEL's). Tests
// set it to run every path at every level the machine supports; it is not
// meant to be changed while products run.
var level = simd.Active().Level

// Level returns the instruction-set level the kernels run at, for the
// benchmarks to print.
func Level() simd.Level { return level }

// gemmKernels is one level's implementation of the packed GEMM: its register
// tile and cache blocks (see gemm_blocks.go), its two micro-kernels, the
// mr×nr one for most tiles and the narrow mrNarrow×nr one for the last rows
// of a block, whether they can read the rows of a row-major A or B in place
// (strides other than a packed panel's), and its routines that pack a full
// micro-panel (nr columns) of a row-major and of a transposed B. A level
// with edge kernels (fullEdge, narrowEdge: AVX-512's, under opmasks)
// computes the partial tiles at the bottom and right edges of C in place,
// and reads the last, partial panel of a row-major B in place too; the
// others compute such a tile into a scratch tile and merge it into C.
// readsTransposedAInPlace says whether a transposed A is read in place as
// well, rather than packed (see sgemmBlocked).
type gemmKernels struct {
	mr, mrNarrow, nr        int
	kc, mc, nc              int
	full, narrow            microKernelFunc
	fullEdge, narrowEdge    edgeKernelFunc
	readsInPlace            bool
	readsTransposedAInPlace bool
	packB, packBT           func(kb int, src []float32, ldb int, dst []float32)
	// dots is the dot-product tile of a few rows against a transposed B
	// (gemm_dot.go), at the levels that have one.
	dots *dotTile
}

// gemmGo is the portable implementation, on every platform.
var gemmGo = &gemmKernels{
	mr: mr, mrNarrow: mrNarrow, nr: nr, kc: kc, mc: mc, nc: nc,
	full: microKernelGo, narrow: microKernel4Go, readsInPlace: goKernelReadsInPlace,
	packB: packB16Go, packBT: packB16TGo,
}

// gemmAVX2 is the AVX2+FMA implementation: the same tile and blocks as the
// portable one, with assembly micro-kernels and packing.
var gemmAVX2 = &gemmKernels{
	mr: mr, mrNarrow: mrNarrow, nr: nr, kc: kc, mc: mc, nc: nc,
	full: asmKernel, narrow: asmKernel4, readsInPlace: true,
	packB: packB16Asm, packBT: packB16TAsm, dots: dotTile3x4,
}

// gemmAVX512 is the AVX-512 implementation: a 12×32 tile (8×32 narrow) on
// zmm registers, edge kernels for the partial tiles, its own blocks and
// packing of 32-column panels.
var gemmAVX512 = &gemmKernels{
	mr: mr512, mrNarrow: mrNarrow512, nr: nr512, kc: kc512, mc: mc512, nc: nc512,
	full: asmKernel512, narrow: asmKernel512Narrow,
	fullEdge: asmKernel512Edge, narrowEdge: asmKernel512NarrowEdge,
	readsInPlace: true, readsTransposedAInPlace: true,
	packB: packB32Asm, packBT: packB32TAsm, dots: dotTile4x6,
}

// gemmFor returns the GEMM implementation of the level in use, with the
// cache blocks chosen for this machine (gemm_blocks_choice.go).
func gemmFor() *gemmKernels { return tunedKernels(level) }

// gemmForLevel returns the GEMM implementation of level l with its built-in
// cache blocks.
func gemmForLevel(l simd.Level) *gemmKernels {
	switch {
	case l >= simd.AVX512:
		return gemmAVX512
	case l >= simd.AVX2:
		return gemmAVX2
	}
	return gemmGo
}

// useAsmVector says whether the vector kernels (Saxpy, Sdot, …) take their
// assembly path: AVX2 at the AVX2 level; at the AVX-512 level, the AVX-512
// body where one exists (the X_amd64.go wrappers choose), else AVX2.
func useAsmVector() bool { return level >= simd.AVX2 }
