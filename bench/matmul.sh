#!/bin/sh
# Measures the float32 GEMM side by side, in one run on this machine:
# turinglab's Sgemm (BenchmarkMatMul), gonum's pure-Go Sgemm
# (BenchmarkGonumSgemm, one goroutine), OpenBLAS single-threaded through cgo
# in the same run when libopenblas-dev is installed (BenchmarkOpenBLASSgemm),
# and OpenBLAS single-threaded through Debian's numpy (matmul_numpy.py). Each figure is the best of -count runs:
# on a shared machine the best run is the one least disturbed by other jobs.
# Everything runs on one thread (-cpu 1: GOMAXPROCS=1 for our Sgemm, which
# otherwise splits large products over all cores).
# OpenBLAS runs with OPENBLAS_CORETYPE set to the best kernels the CPU's
# flags allow (openblas_coretype.sh); TURINGLAB_CPU_LEVEL=avx2|go measures
# our lower levels.
# Usage: bench/matmul.sh [count]   (from anywhere inside the repository)
set -eu
count=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3), load: $(uptime | sed 's/.*load average: //')"
. "$root/bench/openblas_coretype.sh"
# With Debian's libopenblas-dev, OpenBLAS also runs in the same process
# (-tags openblas, cgo; BenchmarkOpenBLASSgemm); without it, only numpy's below.
tags=""
if go vet -tags openblas ./autograd/internal/kernels/openblas >/dev/null 2>&1; then tags="-tags=openblas"; fi
go test $tags ./autograd/internal/kernels -run '^$' -bench '^(BenchmarkMatMul|BenchmarkGonumSgemm|BenchmarkOpenBLASSgemm)$' -count "$count" -cpu 1 |
	awk '/^(kernels level|gemm blocks):/ && !seen[$1]++ { print "# " $0 }
	/GFLOP/ {
		for (i = 1; i <= NF; i++) { if ($(i+1) == "GFLOP/s") w = $i; if ($(i+1) == "cpu-GFLOP/s") c = $i }
		name = $1; sub(/-[0-9]+$/, "", name)
		if (!(name in bw)) order[n++] = name
		if (w > bw[name]) bw[name] = w
		if (c > bc[name]) bc[name] = c
	}
	END { for (i = 0; i < n; i++) printf "%-40s %7.1f GFLOP/s %7.1f cpu-GFLOP/s\n", order[i], bw[order[i]], bc[order[i]] }'
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$root/bench/matmul_numpy.py"
else
	echo "numpy not installed: apt-get install -y python3-numpy libopenblas0-pthread" >&2
fi
