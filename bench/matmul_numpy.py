"""OpenBLAS single-threaded SGEMM on the shapes of BenchmarkMatMul.

Run as:  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/matmul_numpy.py
(Debian's numpy links the system BLAS, OpenBLAS when libopenblas0 is the
selected alternative.) Prints one line per shape M×K×N with the best GFLOP/s
over several repetitions, 2·M·N·K flops per product, float32 row-major C = A·B:
per second of wall time, and per second of this process's CPU time (the
figure that is less disturbed when other jobs share the machine), like the
GFLOP/s and cpu-GFLOP/s metrics of the Go benchmarks.
"""
import os
import sys
import time

import numpy as np

SHAPES = [(512, 512, 512), (128, 768, 768), (4096, 128, 128), (32, 128, 30522)]


def best_gflops(m, k, n, seconds=0.2, repeats=10):
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)  # warm up
    best_wall = best_cpu = 0.0
    for _ in range(repeats):
        count, start, cpu_start = 0, time.perf_counter(), time.process_time()
        while True:
            np.matmul(a, b, out=c)
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        cpu = time.process_time() - cpu_start
        flops = 2.0 * m * n * k * count
        best_wall = max(best_wall, flops / elapsed / 1e9)
        if cpu > 0:
            best_cpu = max(best_cpu, flops / cpu / 1e9)
    return best_wall, best_cpu


def max_relative_error(m=512, k=512, n=512):
    """Checks the float32 product against a float64 one on random data: the
    largest |c32 - c64| relative to the largest |c64|, about 1e-6 when the
    kernels OpenBLAS runs (OPENBLAS_CORETYPE) compute correctly."""
    rng = np.random.default_rng(2)
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c64 = a.astype(np.float64) @ b.astype(np.float64)
    return float(np.abs(a @ b - c64).max() / np.abs(c64).max())


def main():
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        print("warning: OPENBLAS_NUM_THREADS is not 1; the figures are not single-threaded", file=sys.stderr)
    coretype = os.environ.get("OPENBLAS_CORETYPE", "(OpenBLAS's own choice)")
    print(f"numpy {np.__version__}, OPENBLAS_CORETYPE={coretype}, "
          f"float32 vs float64 at 512^3: max relative error {max_relative_error():.1e}")
    for m, k, n in SHAPES:
        wall, cpu = best_gflops(m, k, n)
        print(f"OpenBLAS/{m}x{k}x{n}\t{wall:.1f} GFLOP/s\t{cpu:.1f} cpu-GFLOP/s")


if __name__ == "__main__":
    main()
