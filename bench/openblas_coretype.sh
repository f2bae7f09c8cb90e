# Sourced by matmul.sh and compare.sh (not run on its own): exports
# OPENBLAS_CORETYPE, the best OpenBLAS kernel set this CPU's flags allow
# (SkylakeX with avx512f and avx512bw, else Haswell with avx2), and prints
# which. OpenBLAS picks its kernels from the CPU model and misdetects many
# VMs (an AMD EPYC or a Xeon under a hypervisor gets the Haswell AVX2
# kernels, or worse), so a comparison against its own choice can flatter
# ours. A value already in the environment is replaced (and named), as is
# OPENBLAS_L2_SIZE, which would override the cache size OpenBLAS blocks for.
# These are set here, for the benchmark commands only, never in tests or CI.
cpuflags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
best=
case "$cpuflags" in *" avx2 "*) best=Haswell ;; esac
case "$cpuflags" in *" avx512f "*) case "$cpuflags" in *" avx512bw "*) best=SkylakeX ;; esac ;; esac
# With our kernels forced down to AVX2 (an AVX2-only machine played on this
# one), the reference is what such a machine's OpenBLAS runs at its best.
if [ "${TURINGLAB_CPU_LEVEL:-}" = avx2 ] && [ "$best" = SkylakeX ]; then
	best=Haswell
fi
if [ -n "${OPENBLAS_CORETYPE:-}" ] && [ "$OPENBLAS_CORETYPE" != "$best" ]; then
	echo "# OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE in the environment, replaced"
fi
if [ -n "${OPENBLAS_L2_SIZE:-}" ]; then
	echo "# OPENBLAS_L2_SIZE=$OPENBLAS_L2_SIZE in the environment, unset"
	unset OPENBLAS_L2_SIZE
fi
if [ -n "$best" ]; then
	export OPENBLAS_CORETYPE="$best"
else
	unset OPENBLAS_CORETYPE
fi
echo "# OpenBLAS core type: ${best:-chosen by OpenBLAS itself}; our kernels: ${TURINGLAB_CPU_LEVEL:-best detected} (the Go benchmarks print the level in use)"
