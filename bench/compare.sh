#!/bin/sh
# Compares turinglab with PyTorch on the same machine (issue 8): a BERT
# pre-training step (forward, backward, AdamW; MLM logits at the masked
# positions only) at L2/H128/A2/I512, vocab 30522, batch 32 x 128, at a small
# notebook size (L2/H64, batch 32 x 48) and at the course recipe's size
# (L2/H128/A4/I256, vocab 800, batch 32 x 48), and a bert-base forward
# (12 layers, batch 8 x 128). Our side is go test -bench in this package with
# GOMAXPROCS=threads and the notebook kernel's garbage-collector target
# (GOGC 50 unless GOGC is set: internal/gcpercent); the reference is
# bert_step_torch.py under Debian's python3-torch (1.13),
# torch.set_num_threads(threads) and
# OPENBLAS_NUM_THREADS=threads (Debian's torch calls the system OpenBLAS,
# whose own thread pool torch.set_num_threads does not limit: with 2 threads
# on a busy machine its spinning doubled torch's CPU time). Both report wall
# and process CPU seconds per step and the peak resident memory (MiB, VmHWM
# while the measurement ran, model included); on a machine shared with other
# jobs the CPU ratio is the steadier one for one thread, while with more
# threads the wall time is the point (and spinning thread pools, Go's and
# OpenBLAS's, inflate CPU time).
# Ratios are ours / PyTorch's: below 1 means faster than PyTorch. OpenBLAS
# (under torch) runs with OPENBLAS_CORETYPE set to the best kernels the CPU's
# flags allow (openblas_coretype.sh); TURINGLAB_CPU_LEVEL=avx2|go measures
# our lower levels. Then compare_gpt.sh prints the GPT-2 rows (a training
# step and KV-cache generation) in the same minutes and environment.
# Usage: bench/compare.sh [reps] [threads]   (from anywhere inside the repository)
set -eu
reps=${1:-5}
threads=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3), torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), threads: $threads, load: $(uptime | sed 's/.*load average: //')"
. "$root/bench/openblas_coretype.sh"
. "$root/bench/ratio_table.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOMAXPROCS=$threads go test ./bench -run '^$' -bench '^(BenchmarkBERTStep|BenchmarkBERTBaseForward)$' -benchtime "${reps}x" -benchmem |
	awk -v level="$tmp/level" '/^(kernels level|gc target):/ { print "# " $0 > level }
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name); sub(/^BenchmarkBERTStep\//, "step ", name); sub(/^BenchmarkBERTBaseForward$/, "forward Base-8x128", name)
		for (i = 1; i <= NF; i++) {
			if ($(i+1) ~ /^s\//) w = $i
			if ($(i+1) ~ /^cpu-s\//) c = $i
			if ($(i+1) == "allocs/op") a = $i
			if ($(i+1) == "peak-MiB") p = $i
		}
		printf "%s wall_s=%s cpu_s=%s peak_mib=%s allocs=%s\n", name, w, c, p, a
	}' >"$tmp/go"
OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads /usr/bin/python3 "$root/bench/bert_step_torch.py" --reps "$reps" --threads "$threads" >"$tmp/torch"
cat "$tmp/level"
ratio_table "$tmp/go" "$tmp/torch"
echo "# go allocs/op:"
sed 's/^/#   /' "$tmp/go"
# The GPT-2 rows: training step and KV-cache generation (compare_gpt.sh).
COMPARE_GPT_NESTED=1 "$root/bench/compare_gpt.sh" "$reps" "$threads"
