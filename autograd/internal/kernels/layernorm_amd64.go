//go:build !purego

package kernels

// Declarations of the LayerNorm row kernels in layernorm_amd64.s; n is a
// multiple of 8 in each.

//go:noescape
func sumAVX2(n int, x *float32) float32

//go:noescape
func sumSqDevAVX2(n int, x *float32, mean float32) float32

//go:noescape
func normAffineAVX2(n int, x *float32, mean, rstd float32, gamma, beta, y *float32)

//go:noescape
func lnBackSumsAVX2(n int, x, gy, gamma *float32, mean, rstd float32) (sg, sgx float32)

//go:noescape
func lnBackApplyAVX2(n int, x, gy, gamma *float32, mean, rstd, c1, c2 float32, gx, dgamma, dbeta *float32)

// sumAsm returns Σ x[:n].
func sumAsm(n int, x []float32) float32 {
	_ = x[n-1]
	return sumAVX2(n, &x[0])
}

// sumSqDevAsm returns Σ (x[i] − mean)² over x[:n].
func sumSqDevAsm(n int, x []float32, mean float32) float32 {
	_ = x[n-1]
	return sumSqDevAVX2(n, &x[0], mean)
}

// normAffineAsm sets y[i] = (x[i] − mean)·rstd·gamma[i] + beta[i] for i < n.
func normAffineAsm(n int, x []float32, mean, rstd float32, gamma, beta, y []float32) {
	_, _, _, _ = x[n-1], gamma[n-1], beta[n-1], y[n-1]
	normAffineAVX2(n, &x[0], mean, rstd, &gamma[0], &beta[0], &y[0])
}

// lnBackSumsAsm returns Σ gy·gamma and Σ gy·gamma·x̂ over the first n elements.
func lnBackSumsAsm(n int, x, gy, gamma []float32, mean, rstd float32) (sg, sgx float32) {
	_, _, _ = x[n-1], gy[n-1], gamma[n-1]
	return lnBackSumsAVX2(n, &x[0], &gy[0], &gamma[0], mean, rstd)
}

// lnBackApplyAsm writes gx and accumulates dgamma, dbeta over the first n elements.
func lnBackApplyAsm(n int, x, gy, gamma []float32, mean, rstd, c1, c2 float32, gx, dgamma, dbeta []float32) {
	_, _, _, _, _, _ = x[n-1], gy[n-1], gamma[n-1], gx[n-1], dgamma[n-1], dbeta[n-1]
	lnBackApplyAVX2(n, &x[0], &gy[0], &gamma[0], mean, rstd, c1, c2, &gx[0], &dgamma[0], &dbeta[0])
}
