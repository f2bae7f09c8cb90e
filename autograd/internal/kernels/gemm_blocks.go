package kernels

// The blocking parameters of the packed GEMM. The register tile is mr×nr: the
// micro-kernel keeps an mr×nr block of C in registers (6×16 floats = 12 AVX2
// registers of 8 lanes) while it streams a k-long micro-panel of A (mr wide)
// and of B (nr wide). The cache blocks are sized for AMD Zen 1 (L1d 32 KiB,
// L2 512 KiB per core), the smallest caches this project targets:
//
//   - kc: one micro-panel of A and one of B, (mr+nr)·kc·4 bytes = 22 KiB,
//     stay in L1 while the micro-kernel runs;
//   - mc: the packed mc×kc block of A, 168 KiB, stays in L2 while every
//     micro-panel of B passes by it;
//   - nc: the packed kc×nc block of B, 4 MiB, is meant for L3.
//
// A second, narrow micro-kernel computes mrNarrow×nr tiles (4×16, eight
// registers of C) for the last rows of a block when they are not a multiple
// of mr; see rowTileHeight.
const (
	mr       = 6
	mrNarrow = 4
	nr       = 16
	kc       = 256
	mc       = 168  // a multiple of mr
	nc       = 4080 // a multiple of nr
)
