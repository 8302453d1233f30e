"""Draws what `scripts/bench population-ranks` measured: one image's
populations split over MPI ranks (--population-ranks) against threads of one
process, on sparse local networks. Strong scaling: speed-up on the 256 x 256
network; weak scaling: time per image against one rank's as the network grows
with the ranks; and the bytes each rank sends per step.

    python3 benchmarks/plot_population_ranks.py SPLIT.csv CORES OUT.png
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd


def main(csv, cores, out):
    d = pd.read_csv(csv, names=["scaling", "workers", "count", "side", "ms_per_image", "events_per_s",
                                "bytes_per_step", "stored_synapses", "spike_copies_per_spike", "speedup"])
    cores = int(cores)
    top = int(d["count"].max())
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    ideal = list(range(1, top + 1))
    for ax, kind, title, ylabel in ((axes[0], "strong", "strong: 256 x 256, 13.1 M synapses", "speed-up over 1 rank"),
                                    (axes[1], "weak", "weak: 3.3 M synapses per rank", "1 rank's time / this time")):
        for workers, style, label in (("ranks", "o-", "--population-ranks R, 1 thread each"),
                                      ("threads", "s--", "threads x partitions, 1 process")):
            s = d[(d.scaling == kind) & (d.workers == workers)].sort_values("count")
            if not s.empty:
                ax.plot(s["count"], s["speedup"], style, label=label)
        if kind == "strong":
            ax.plot(ideal, [min(w, cores) for w in ideal], ":", color="grey", label=f"ideal on {cores} cores")
        else:
            ax.plot(ideal, [min(1.0, cores / w) for w in ideal], ":", color="grey", label=f"ideal on {cores} cores")
        ax.set_xlabel("workers")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.set_xticks(ideal)
        if top > cores:
            ax.axvspan(cores + 0.5, top + 0.5, color="0.93")
        shown = d[d.scaling.isin(["strong", "weak"])]["speedup"]
        ax.set_ylim(0, max(2.2, float(shown.max()) * 1.1))
        ax.legend(fontsize=8, loc="lower right")
    ax = axes[2]
    for kind, style in (("strong", "o-"), ("weak", "^-")):
        s = d[(d.scaling == kind) & (d.workers == "ranks") & (d["count"] > 1)].sort_values("count")
        ax.plot(s["count"], s["bytes_per_step"] / 1000, style, label=kind)
    ax.set_xlabel("ranks")
    ax.set_ylabel("kB sent per step by rank 0")
    ax.set_title("exchange volume")
    ax.set_xticks(ideal)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=90)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
