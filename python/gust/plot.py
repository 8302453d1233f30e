"""The pictures people look at, as matplotlib figures to save or show.

raster(run, image)              spikes of one image, neurons sorted by ground-truth group
binding(run, image, analysis)   input | spike phase in the last cycle | clusters of the read-out
metrics(analysis)               AMI and SynScore over cycles (mean and spread over images)
"""

from __future__ import annotations

import numpy as np


def _pyplot():
    import matplotlib
    import matplotlib.pyplot as plt
    return matplotlib, plt


def _position(run, image: int) -> int:
    indices = list(run.images.indices)
    if image not in indices:
        from . import InputError
        raise InputError(f"image: {image} is not in the run (images {indices[0]} to {indices[-1]})")
    return indices.index(image)


def raster(run, image: int = 0, cycles: int | None = None):
    """Spike raster of one image (``image`` is its index), neurons sorted by ground-truth group.

    Only the last ``cycles`` cycles are drawn if given. Each group's spikes
    have their own colour; background and overlaps are grey.
    """
    _, plt = _pyplot()
    k = _position(run, image)
    steps, neurons = run.spikes(k)
    labels = run.images.labels
    group = (labels[k].ravel().astype(int) if labels is not None
             else np.zeros(run.images.height * run.images.width, dtype=int))
    order = np.argsort(group, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    first = 0 if cycles is None else max(0, (run.cycles - cycles) * run.cycle)
    keep = steps >= first
    fig, ax = plt.subplots(figsize=(8, 4))
    cmap = plt.get_cmap("tab10")
    for g in np.unique(group):
        sel = keep & (group[neurons] == g)
        ax.scatter(steps[sel], rank[neurons[sel]], s=2, marker="|",
                   color="0.6" if g == 0 else cmap((g - 1) % 10), label="background" if g == 0 else f"group {g}")
    for c in range(first // run.cycle, run.cycles + 1):
        ax.axvline(c * run.cycle - 0.5, color="0.85", lw=0.5, zorder=0)
    ax.set_xlabel("step")
    ax.set_ylabel("neuron (sorted by group)")
    ax.set_title(f"image {image}: {int(keep.sum())} spikes")
    ax.legend(loc="upper right", fontsize="small", markerscale=4)
    fig.tight_layout()
    return fig


def binding(run, image: int = 0, analysis=None, cycle: int | None = None):
    """The binding picture of one image: input | phase of each pixel's first spike in a cycle | clusters.

    ``cycle`` defaults to the last one; the clusters panel needs
    ``analysis`` (gust.analyze(run)).
    """
    _, plt = _pyplot()
    k = _position(run, image)
    c = run.cycles - 1 if cycle is None else cycle
    h, w, T = run.images.height, run.images.width, run.cycle
    steps, neurons = run.spikes(k)
    phase = np.full(h * w, np.nan)
    sel = (steps >= c * T) & (steps < (c + 1) * T)
    for s, n in zip(steps[sel][::-1], neurons[sel][::-1]):  # the first spike wins
        phase[n] = s - c * T
    panels = 3 if analysis is not None else 2
    fig, axes = plt.subplots(1, panels, figsize=(3.2 * panels, 3.4))
    axes[0].imshow(run.images.pixels[k], cmap="gray")
    axes[0].set_title("input")
    im = axes[1].imshow(phase.reshape(h, w), cmap="hsv", vmin=0, vmax=T)
    axes[1].set_title(f"spike phase, cycle {c}")
    fig.colorbar(im, ax=axes[1], fraction=0.046)
    if analysis is not None:
        axes[2].imshow(analysis.clusters[k, c], cmap="tab10", interpolation="nearest")
        row = analysis.metrics[(analysis.metrics.image == image) & (analysis.metrics.cycle == c)]
        axes[2].set_title(f"clusters (AMI {float(row.ami.iloc[0]):.2f})")
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def metrics(analysis):
    """AMI, SynScore and active SynScore over cycles: mean over images, shaded +- one standard deviation."""
    _, plt = _pyplot()
    s = analysis.summary
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name in ("ami", "synscore", "active_synscore"):
        mean, std = s[f"{name}_mean"].to_numpy(), s[f"{name}_std"].to_numpy()
        ax.plot(s.cycle, mean, label=name)
        ax.fill_between(s.cycle, mean - std, mean + std, alpha=0.2)
    ax.set_xlabel("cycle")
    ax.set_ylim(-0.05, 1.05)
    ax.legend()
    fig.tight_layout()
    return fig
