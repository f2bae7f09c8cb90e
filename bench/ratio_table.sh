# Sourced by compare.sh and compare_gpt.sh (not run on its own): defines
# ratio_table GO TORCH, which prints one row per measurement found in both
# files, ours beside PyTorch's, with the ratios ours / PyTorch (below 1 is
# faster). Each input line reads "KIND NAME wall_s=... cpu_s=... peak_mib=...".
ratio_table() {
	printf "%-30s %10s %10s %10s %10s %8s %8s %8s %8s\n" measurement go-wall torch-wall go-cpu torch-cpu wall-x cpu-x go-MiB torch-MiB
	awk 'FNR == NR { split($3, w, "="); split($4, c, "="); split($5, p, "="); gw[$1 " " $2] = w[2]; gc[$1 " " $2] = c[2]; gp[$1 " " $2] = p[2]; next }
		{
			k = $1 " " $2; split($3, w, "="); split($4, c, "="); split($5, p, "=")
			if (!(k in gw)) next
			printf "%-30s %10.3f %10.3f %10.3f %10.3f %7.2fx %7.2fx %8.0f %8.0f\n", k, gw[k], w[2], gc[k], c[2], gw[k] / w[2], gc[k] / c[2], gp[k], p[2]
		}' "$1" "$2"
}
