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

// The blocking parameters of the AVX-512 implementation. AVX-512 has 32
// registers of 16 floats. The tile is 12×32: 24 registers of C, two for a
// row of B (32 floats) and six for broadcast elements of A. Each step of k
// does 24 independent 16-wide FMAs for 2 loads of B and 12 broadcasts of A:
// a CPU with two 512-bit FMA pipes of latency 4 (Zen 5, Skylake-X) needs 8
// FMAs in flight to stay busy, so 24 leave ample slack for the loads, whose
// 14 per step fit the two to three loads per cycle those CPUs issue beside
// two FMAs. Twelve rows and an 8-row narrow kernel (16 registers of C) cut
// the row counts of BERT's products exactly: 32 = 12+12+8, 128 = 10·12+8,
// 512 = 42·12+8.
//
//   - kc: one 32-wide micro-panel of B, 32·kc·4 bytes = 32 KiB, stays in
//     L1 (48 KiB on Zen 5 and Ice Lake) while the row tiles of A pass by it;
//   - mc: the packed mc×kc block of A, 192 KiB, stays in L2;
//   - nc: the packed kc×nc block of B, 512 KiB, stays in L2 (1 MiB on Zen
//     5, 1.25–2 MiB on Intel's AVX-512 server cores) beside the block of A.
//     With 4096 (4 MiB, in L3), BERT-base's 1024×768×3072 feed-forward
//     product ran ~9 % slower on Zen 5 and no product of BERT's ran faster.
//
// mc and nc are the defaults of a per-machine calibration
// (gemm_blocks_choice.go); kc is fixed.
const (
	mr512       = 12
	mrNarrow512 = 8
	nr512       = 32
	kc512       = 256
	mc512       = 192 // a multiple of mr512
	nc512       = 512 // a multiple of nr512
)
