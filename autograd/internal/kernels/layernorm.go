package kernels

import (
	"fmt"
	"math"
)

// LayerNormRows normalises each of rows contiguous rows of cols floats, as
// torch.nn.functional.layer_norm over the last dimension:
//
//	mean = Σx/cols;  var = Σ(x − mean)²/cols (biased);  rstd = 1/√(var + eps)
//	y = (x − mean)·rstd·gamma + beta
//
// and stores each row's mean and rstd (len ≥ rows) for LayerNormBackwardRows.
// gamma and beta hold cols floats. y may be x. The variance is computed from
// the deviations (two passes), not from Σx² − mean², so it keeps its
// accuracy when the mean is large against the spread. Large inputs are split
// by rows over goroutines (parallel.go). It panics on a short slice.
func LayerNormRows(rows, cols int, x, gamma, beta []float32, eps float32, y, mean, rstd []float32) {
	checkLayerNorm("LayerNormRows", rows, cols, x, gamma, y, mean, rstd)
	if len(beta) != cols {
		panic(fmt.Sprintf("kernels.LayerNormRows: len(beta) = %d, want cols = %d", len(beta), cols))
	}
	if cols == 0 {
		return
	}
	if !ParallelPays(rows, RowGrain(cols)) {
		layerNormRange(0, rows, cols, x, gamma, beta, eps, y, mean, rstd)
		return
	}
	ParallelFor(rows, RowGrain(cols), func(r0, r1 int) {
		layerNormRange(r0, r1, cols, x, gamma, beta, eps, y, mean, rstd)
	})
}

// layerNormRange is LayerNormRows on rows r0 to r1-1.
func layerNormRange(r0, r1, cols int, x, gamma, beta []float32, eps float32, y, mean, rstd []float32) {
	asm := useAsmVector()
	n8 := cols &^ 7
	for r := r0; r < r1; r++ {
		xr, yr := x[r*cols:(r+1)*cols], y[r*cols:(r+1)*cols]
		// Sums: eight float32 lanes in assembly, float64 in Go (a single
		// float32 running sum would lose digits on rows with a large mean).
		i, sum := 0, 0.0
		if asm && n8 > 0 {
			sum, i = float64(sumAsm(n8, xr)), n8
		}
		for _, v := range xr[i:] {
			sum += float64(v)
		}
		mu := float32(sum / float64(cols))
		i, ss := 0, 0.0
		if asm && n8 > 0 {
			ss, i = float64(sumSqDevAsm(n8, xr, mu)), n8
		}
		for _, v := range xr[i:] {
			d := float64(v - mu)
			ss += d * d
		}
		rs := float32(1 / math.Sqrt(float64(float32(ss/float64(cols))+eps)))
		mean[r], rstd[r] = mu, rs
		i = 0
		if asm && n8 > 0 {
			normAffineAsm(n8, xr, mu, rs, gamma, beta, yr)
			i = n8
		}
		for ; i < cols; i++ {
			yr[i] = (xr[i]-mu)*rs*gamma[i] + beta[i]
		}
	}
}

// LayerNormBackwardRows is the backward pass of LayerNormRows: from the input
// x, gamma, the stored mean and rstd and the incoming gradient gy, it sets
//
//	gx = rstd·(g − Σg/cols − x̂·Σ(g·x̂)/cols),  g = gy·gamma, x̂ = (x − mean)·rstd
//
// and adds Σ_rows gy·x̂ into dgamma and Σ_rows gy into dbeta (accumulating,
// so the caller zeroes them first). gx may be gy. It panics on a short slice.
//
// Over more than RowGrain(cols) rows, the rows are cut into blocks of that
// many, which run in parallel; each block sums its own part of dgamma and
// dbeta, and the parts are added in block order, so the result depends on
// the shape only, not on the number of goroutines.
func LayerNormBackwardRows(rows, cols int, x, gamma, mean, rstd, gy, gx, dgamma, dbeta []float32) {
	checkLayerNorm("LayerNormBackwardRows", rows, cols, x, gamma, gx, mean, rstd)
	if len(gy) < rows*cols || len(dgamma) != cols || len(dbeta) != cols {
		panic(fmt.Sprintf("kernels.LayerNormBackwardRows: len(gy) = %d (want ≥ %d), len(dgamma) = %d, len(dbeta) = %d (want %d)",
			len(gy), rows*cols, len(dgamma), len(dbeta), cols))
	}
	if cols == 0 {
		return
	}
	block := RowGrain(cols)
	if rows <= block {
		layerNormBackRange(0, rows, cols, x, gamma, mean, rstd, gy, gx, dgamma, dbeta)
		return
	}
	// Blocks of rows fixed by the shape, each summing its own dγ, dβ from
	// zero, then added in block order: the same sums for any number of
	// goroutines.
	blocks := (rows + block - 1) / block
	part := make([]float32, 2*blocks*cols)
	ParallelFor(blocks, 1, func(b0, b1 int) {
		for b := b0; b < b1; b++ {
			pg, pb := part[2*b*cols:(2*b+1)*cols], part[(2*b+1)*cols:(2*b+2)*cols]
			layerNormBackRange(b*block, min((b+1)*block, rows), cols, x, gamma, mean, rstd, gy, gx, pg, pb)
		}
	})
	for b := range blocks {
		addTo(dgamma, part[2*b*cols:(2*b+1)*cols])
		addTo(dbeta, part[(2*b+1)*cols:(2*b+2)*cols])
	}
}

// addTo sets y[i] += x[i].
func addTo(y, x []float32) {
	Saxpy(1, x, y) // 1·x + y rounds once, to x + y
}

// layerNormBackRange is LayerNormBackwardRows on rows r0 to r1-1,
// accumulating into dgamma and dbeta.
func layerNormBackRange(r0, r1, cols int, x, gamma, mean, rstd, gy, gx, dgamma, dbeta []float32) {
	asm := useAsmVector()
	n8 := cols &^ 7
	for r := r0; r < r1; r++ {
		xr, gyr, gxr := x[r*cols:(r+1)*cols], gy[r*cols:(r+1)*cols], gx[r*cols:(r+1)*cols]
		mu, rs := mean[r], rstd[r]
		i, sg, sgx := 0, 0.0, 0.0
		if asm && n8 > 0 {
			s1, s2 := lnBackSumsAsm(n8, xr, gyr, gamma, mu, rs)
			sg, sgx, i = float64(s1), float64(s2), n8
		}
		for ; i < cols; i++ {
			g := gyr[i] * gamma[i]
			sg += float64(g)
			sgx += float64(g * ((xr[i] - mu) * rs))
		}
		c1 := -rs * float32(sg/float64(cols))
		c2 := -rs * float32(sgx/float64(cols))
		i = 0
		if asm && n8 > 0 {
			lnBackApplyAsm(n8, xr, gyr, gamma, mu, rs, c1, c2, gxr, dgamma, dbeta)
			i = n8
		}
		for ; i < cols; i++ {
			xh := (xr[i] - mu) * rs
			g := gyr[i]
			dgamma[i] += g * xh
			dbeta[i] += g
			gxr[i] = rs*(g*gamma[i]) + c1 + c2*xh // the association of c1, as in the assembly
		}
	}
}

// checkLayerNorm panics unless x and y hold rows×cols floats, gamma cols and
// mean, rstd rows.
func checkLayerNorm(fn string, rows, cols int, x, gamma, y, mean, rstd []float32) {
	switch {
	case rows < 0 || cols < 0:
		panic(fmt.Sprintf("kernels.%s: negative size %d×%d", fn, rows, cols))
	case len(x) < rows*cols || len(y) < rows*cols:
		panic(fmt.Sprintf("kernels.%s: %d×%d rows need %d elements, but the input has %d and the output %d",
			fn, rows, cols, rows*cols, len(x), len(y)))
	case len(gamma) != cols:
		panic(fmt.Sprintf("kernels.%s: len(gamma) = %d, want cols = %d", fn, len(gamma), cols))
	case len(mean) < rows || len(rstd) < rows:
		panic(fmt.Sprintf("kernels.%s: mean and rstd need %d elements, have %d and %d", fn, rows, len(mean), len(rstd)))
	}
}
