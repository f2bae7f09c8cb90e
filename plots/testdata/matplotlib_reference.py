#!/usr/bin/env python3
"""The reference for plots' benchmarks: the same two figures drawn by
matplotlib (Agg backend) to PNG at the same pixel size and DPI.

usage: /usr/bin/python3 plots/testdata/matplotlib_reference.py [runs]

Prints, per figure, wall and CPU milliseconds per render (median of runs) and
the PNG size, in the units of `go test ./plots -bench .` (ns/op is wall time,
cpu-ms/op is process CPU time).
"""
import io
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def heat_map():
    """128×128 random heat map, colour bar, 128 token labels (every 4th shown), 640×540 px."""
    rng = np.random.default_rng(1)
    m = rng.random((128, 128))
    fig, ax = plt.subplots(figsize=(6.4, 5.4), dpi=100)
    im = ax.imshow(m, cmap="viridis", interpolation="nearest", aspect="auto")
    ticks = np.arange(0, 128, 4)
    ax.set_xticks(ticks, ["token"] * len(ticks), rotation=90, fontsize=6.5)
    ax.set_yticks(ticks, ["token"] * len(ticks), fontsize=6.5)
    ax.set_title("attention 128×128")
    fig.colorbar(im, ax=ax)
    return fig


def line_plot():
    """5 series × 10,000 points with a legend, 640×400 px."""
    rng = np.random.default_rng(1)
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    x = np.arange(10000)
    for s in range(5):
        ax.plot(x, (s + 1) * np.exp(-x / 3000) + 0.1 * rng.random(10000), label="abcde"[s])
    ax.legend()
    ax.set_title("5 × 10,000 points")
    return fig


def bench(make, runs):
    walls, cpus, size = [], [], 0
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        fig = make()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        plt.close(fig)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        size = buf.tell()
    return statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3, size


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(f"matplotlib {matplotlib.__version__}, numpy {np.__version__}, {runs} runs, median")
    for name, make in [("heat map 128×128", heat_map), ("line 5 × 10,000", line_plot)]:
        wall, cpu, size = bench(make, runs)
        print(f"{name:18s} wall {wall:7.1f} ms   cpu {cpu:7.1f} ms   png {size} bytes")


if __name__ == "__main__":
    main()
