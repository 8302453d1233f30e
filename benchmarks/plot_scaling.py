"""Draws what `scripts/bench ranks` measured: strong scaling (speed-up over one
worker, 64 images) and weak scaling (images per second against one worker's,
32 images per worker) of `gust run`, over MPI ranks of one thread and over
threads of one process, and strong scaling of `gust train` over ranks.

    python3 benchmarks/plot_scaling.py SCALING.csv CORES OUT.png
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd


def main(csv, cores, out):
    d = pd.read_csv(csv, names=["scaling", "workers", "count", "images", "ms_per_image", "speedup"])
    cores = int(cores)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for ax, kind, title in ((axes[0], "strong", "gust run, strong: 64 images"),
                            (axes[1], "weak", "gust run, weak: 32 images per worker"),
                            (axes[2], "training", "gust train, strong: 512 images")):
        top = d["count"].max()
        for workers, style in (("ranks", "o-"), ("threads", "s--")):
            s = d[(d.scaling == kind) & (d.workers == workers)].sort_values("count")
            if s.empty:
                continue
            # Both columns are throughput against one worker's (ms per image).
            ax.plot(s["count"], s["speedup"], style, label="MPI ranks x 1 thread" if workers == "ranks" else "threads, 1 process")
        ideal = list(range(1, top + 1))
        ax.plot(ideal, [min(w, cores) for w in ideal], ":", color="grey", label=f"ideal on {cores} cores")
        ax.set_xlabel("workers")
        ax.set_ylabel("images per second over 1 worker's")
        ax.set_title(title)
        ax.set_xticks(ideal)
        if top > cores:
            ax.axvspan(cores + 0.5, top + 0.5, color="0.93")
            ax.text(cores + 0.6, 2.08, "oversubscribed", fontsize=8, color="0.4")
        ax.set_ylim(0, 2.2)
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=90)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
