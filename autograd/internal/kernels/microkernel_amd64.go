//go:build !purego

package kernels

// kernel6x16AVX2 is the micro-kernel in AVX2+FMA assembly
// (microkernel_amd64.s), with the contract of microKernelFunc. k must be at
// least 1. It does no bounds checks: call asmKernel.
//
//go:noescape
func kernel6x16AVX2(k int, a *float32, rs, ps int, b, c *float32, ldc int, alpha, beta float32)

// asmKernel checks the slice bounds once, then runs the assembly kernel.
func asmKernel(k int, a []float32, rs, ps int, b, c []float32, ldc int, alpha, beta float32) {
	_ = a[(mr-1)*rs+(k-1)*ps]
	_ = b[k*nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernel6x16AVX2(k, &a[0], rs, ps, &b[0], &c[0], ldc, alpha, beta)
}

// packB16AVX copies kb rows of 16 floats, ldb apart in src, contiguously to
// dst, prefetching each row `ahead` bytes further on (pack_amd64.s).
//
//go:noescape
func packB16AVX(kb int, src *float32, ldb int, dst *float32, ahead int)

// packB16Asm checks the slice bounds, then packs with packB16AVX, prefetching
// four panels ahead (one to eight measured alike on the MLM-logits shape).
func packB16Asm(kb int, src []float32, ldb int, dst []float32) {
	_ = src[(kb-1)*ldb+nr-1]
	_ = dst[kb*nr-1]
	packB16AVX(kb, &src[0], ldb, &dst[0], 4*nr*4)
}

// packB16TAVX packs one micro-panel of a transposed B (pack_amd64.s):
// dst[p·16 + c] = src[c·ldb + p] for p < kb, c < 16; kb a multiple of 8.
//
//go:noescape
func packB16TAVX(kb int, src *float32, ldb int, dst *float32)

// packB16TAsm checks the slice bounds, packs the first kb rounded down to a
// multiple of 8 rows with packB16TAVX and the rest in Go.
func packB16TAsm(kb int, src []float32, ldb int, dst []float32) {
	_ = src[(nr-1)*ldb+kb-1]
	_ = dst[kb*nr-1]
	k8 := kb &^ 7
	if k8 > 0 {
		packB16TAVX(k8, &src[0], ldb, &dst[0])
	}
	if k8 < kb {
		packB16TGo(kb-k8, src[k8:], ldb, dst[k8*nr:])
	}
}

// saxpyAVX2 does y[i] += alpha·x[i] for i < n, n a multiple of 32 (vector_amd64.s).
//
//go:noescape
func saxpyAVX2(n int, alpha float32, x, y *float32)

// sdotAVX2 returns Σ x[i]·y[i] for i < n, n a multiple of 32 (vector_amd64.s).
//
//go:noescape
func sdotAVX2(n int, x, y *float32) float32

// saxpyAsm checks bounds and runs saxpyAVX2 on the first n elements.
func saxpyAsm(n int, alpha float32, x, y []float32) {
	_, _ = x[n-1], y[n-1]
	saxpyAVX2(n, alpha, &x[0], &y[0])
}

// sdotAsm checks bounds and runs sdotAVX2 on the first n elements.
func sdotAsm(n int, x, y []float32) float32 {
	_, _ = x[n-1], y[n-1]
	return sdotAVX2(n, &x[0], &y[0])
}

// maxAVX2 returns max x[i] for i < n, n a positive multiple of 8 (softmax_amd64.s).
//
//go:noescape
func maxAVX2(n int, x *float32) float32

// expShiftSumAVX2 sets y[i] = exp(x[i] - shift) for i < n, n a multiple of 8,
// and returns their sum (softmax_amd64.s).
//
//go:noescape
func expShiftSumAVX2(n int, x *float32, shift float32, y *float32) float32

// sscalAVX2 sets x[i] *= alpha for i < n, n a multiple of 8 (softmax_amd64.s).
//
//go:noescape
func sscalAVX2(n int, alpha float32, x *float32)

// maxAsm checks bounds and runs maxAVX2 on x[:n].
func maxAsm(n int, x []float32) float32 {
	_ = x[n-1]
	return maxAVX2(n, &x[0])
}

// expShiftSumAsm checks bounds and runs expShiftSumAVX2 on x[:n], y[:n].
func expShiftSumAsm(n int, x []float32, shift float32, y []float32) float32 {
	_, _ = x[n-1], y[n-1]
	return expShiftSumAVX2(n, &x[0], shift, &y[0])
}

// sscalAsm checks bounds and runs sscalAVX2 on x[:n].
func sscalAsm(n int, alpha float32, x []float32) {
	_ = x[n-1]
	sscalAVX2(n, alpha, &x[0])
}

// geluAVX2 sets y[i] = x[i]·Φ(x[i]) and, if cdf is not nil, cdf[i] = Φ(x[i])
// for i < n, n a multiple of 8 (gelu_amd64.s).
//
//go:noescape
func geluAVX2(n int, x, y, cdf *float32)

// geluAsm checks bounds and runs geluAVX2 on the first n elements.
func geluAsm(n int, x, y, cdf []float32) {
	_, _ = x[n-1], y[n-1]
	var c *float32
	if cdf != nil {
		_ = cdf[n-1]
		c = &cdf[0]
	}
	geluAVX2(n, &x[0], &y[0], c)
}

// geluBackwardAVX2 sets gx[i] = gy[i]·(cdf[i] + x[i]·φ(x[i])) for i < n, n a
// multiple of 8 (gelu_amd64.s).
//
//go:noescape
func geluBackwardAVX2(n int, x, cdf, gy, gx *float32)

// geluBackwardAsm checks bounds and runs geluBackwardAVX2 on the first n elements.
func geluBackwardAsm(n int, x, cdf, gy, gx []float32) {
	_, _, _, _ = x[n-1], cdf[n-1], gy[n-1], gx[n-1]
	geluBackwardAVX2(n, &x[0], &cdf[0], &gy[0], &gx[0])
}

// adamAVX2 is one AdamUpdate step on the first n elements, n a multiple of 8
// (adam_amd64.s).
//
//go:noescape
func adamAVX2(n int, s *AdamStep, w, grad, m, v *float32)

// adamAsm checks bounds and runs adamAVX2 on the first n elements.
func adamAsm(n int, s *AdamStep, w, g, m, v []float32) {
	_, _, _, _ = w[n-1], g[n-1], m[n-1], v[n-1]
	adamAVX2(n, s, &w[0], &g[0], &m[0], &v[0])
}
