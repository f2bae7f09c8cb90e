#!/bin/sh
# Compares turinglab's GPT-2 with PyTorch on the same machine (issue
# "Generative LLMs", Performance): a training step (forward, causal-LM loss,
# backward, AdamW) at L4/H256/A4, vocab 8192, batch 16 x 128, and greedy
# generation with the key/value cache on the same model (prompt 16, 64 new
# tokens) at batch 1 and 8. Our side is BenchmarkGPTStep and
# BenchmarkGPTGenerate (gpt_test.go) with GOMAXPROCS=threads; the reference is
# gpt2_step_torch.py and gpt2_generate_torch.py --shape L4-H256 under
# Debian's python3-torch with torch.set_num_threads(threads) and
# OPENBLAS_NUM_THREADS=threads, OpenBLAS at its best kernels
# (openblas_coretype.sh). The two sides alternate, step then generation, so
# that each pair runs in the same minutes of a shared machine. Times are
# seconds per training step or per generation run, wall and process CPU;
# ratios are ours / PyTorch's (below 1: faster than PyTorch); the CPU ratio
# is the steadier one on a loaded machine. The MiB columns are the peak
# resident memory (VmHWM) while the measurement ran, model included, as in
# compare.sh. Generation throughput follows in
# tokens per second (generated tokens over the batch, per second of wall and
# of CPU time). compare.sh runs this after the BERT rows.
# Usage: bench/compare_gpt.sh [reps] [threads]   (from anywhere inside the repository)
set -eu
reps=${1:-5}
threads=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${COMPARE_GPT_NESTED:-}" ]; then
	echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3), torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), threads: $threads, load: $(uptime | sed 's/.*load average: //')"
	. "$root/bench/openblas_coretype.sh"
fi
. "$root/bench/ratio_table.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ours BENCH_REGEXP: one line per benchmark, "kind name wall_s=... cpu_s=...
# peak_mib=... allocs=...", in the format of the torch scripts.
ours() {
	GOMAXPROCS=$threads go test ./bench -run '^$' -bench "$1" -benchtime "${reps}x" -benchmem |
		awk '/^(kernels level|gc target):/ { print "# " $0 > "/dev/stderr" }
		/^Benchmark/ {
			name = $1; sub(/-[0-9]+$/, "", name)
			sub(/^BenchmarkGPTStep\//, "gpt-step ", name); sub(/^BenchmarkGPTGenerate\//, "gpt-generate ", name)
			w = ""; c = ""; a = ""; p = -1
			for (i = 1; i <= NF; i++) {
				if ($(i+1) ~ /^s\//) w = $i
				if ($(i+1) ~ /^cpu-s\//) c = $i
				if ($(i+1) == "allocs/op") a = $i
				if ($(i+1) == "peak-MiB") p = $i
			}
			printf "%s wall_s=%s cpu_s=%s peak_mib=%s allocs=%s\n", name, w, c, p, a
		}'
}
torch_env="OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads"
ours '^BenchmarkGPTStep$' >>"$tmp/go" 2>"$tmp/level"
env $torch_env /usr/bin/python3 "$root/bench/gpt2_step_torch.py" --reps "$reps" --threads "$threads" >>"$tmp/torch"
ours '^BenchmarkGPTGenerate$' >>"$tmp/go" 2>/dev/null
env $torch_env /usr/bin/python3 "$root/bench/gpt2_generate_torch.py" --shape L4-H256 --reps "$reps" --threads "$threads" >>"$tmp/torch"
cat "$tmp/level"
ratio_table "$tmp/go" "$tmp/torch"
echo "# generation throughput, tokens/s (wall, CPU):"
awk 'FNR == NR { split($3, w, "="); split($4, c, "="); gw[$2] = w[2]; gc[$2] = c[2]; next }
	$1 == "gpt-generate" {
		n = $2; split($3, w, "="); split($4, c, "=")
		tokens = 64; if (match(n, /batch[0-9]+$/)) tokens *= substr(n, RSTART + 5)
		if (n in gw) printf "#   %-24s go %6.0f / %6.0f   torch %6.0f / %6.0f\n", n, tokens / gw[n], tokens / gc[n], tokens / w[2], tokens / c[2]
	}' "$tmp/go" "$tmp/torch"
echo "# go allocs/op:"
sed 's/^/#   /' "$tmp/go"
