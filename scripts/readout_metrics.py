"""What the analysis scripts share: reading the per-image, per-cycle
metrics.csv that `gust analyze` writes (image,cycle,step,ami,synscore,
active_synscore; only the first four are read), and
refusing bad input the way gust does (one line on stderr, status 2)."""
import csv
import sys

import numpy as np


def refuse(script, msg):
    print(f"scripts/{script}: {msg}", file=sys.stderr)
    sys.exit(2)


def read_ami(path):
    """(images, ami): the sorted image indices and an images x cycles array of
    AMI. Raises OSError, KeyError or ValueError on a missing, malformed or
    incomplete file (every image must have every cycle)."""
    with open(path) as f:
        try:
            rows = [(int(r["image"]), int(r["cycle"]), float(r["ami"])) for r in csv.DictReader(f)]
        except TypeError:  # a short row: DictReader fills the missing fields with None
            raise ValueError("a row lacks a field") from None
    if not rows:
        raise ValueError("no rows")
    images = sorted({i for i, _, _ in rows})
    cycles = max(c for _, c, _ in rows) + 1
    row_of = {img: k for k, img in enumerate(images)}
    ami = np.full((len(images), cycles), np.nan)
    for i, c, a in rows:
        ami[row_of[i], c] = a
    if np.isnan(ami).any():
        raise ValueError(f"an image lacks one of the {cycles} cycles")
    return images, ami


def final_ami(path):
    """{image: AMI at the last cycle} of a metrics.csv."""
    images, ami = read_ami(path)
    return dict(zip(images, ami[:, -1]))
