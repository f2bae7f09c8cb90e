// Package openblas binds OpenBLAS's cblas_sgemm, with -tags openblas only
// (cgo, Debian's libopenblas-dev), so that the kernels benchmarks can measure
// it in the same process as kernels.Sgemm, as a reference point. Nothing in
// the library calls it; the default build stays pure Go. It is a package of
// its own because Go does not allow cgo beside Go assembly in one package.
package openblas
