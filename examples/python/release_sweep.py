"""A parameter sweep as a Python loop: grouping of the shipped model against
the release probability of its stochastic copy (the paper's 0.5 is the
trained value), on the same 32 images and draws.

    PYTHONPATH=build/python python3 examples/python/release_sweep.py [IMAGES]
"""
import pathlib
import sys

import pandas as pd

import gust

repo = pathlib.Path(__file__).resolve().parents[2]
count = int(sys.argv[1]) if len(sys.argv) > 1 else 32
model = gust.load_model(repo / "examples" / "models" / "gust_3shapes.h5")
network = model.network.to_dict()
images = gust.shapes(count=count, objects=3, seed=11)

rows = []
for p in (0.1, 0.3, 0.5, 0.7, 0.9):
    # The same weights in a network whose copy releases with probability p.
    network["projection"][1]["release_p"] = p
    variant = model.with_network(network)
    run = gust.simulate(variant, images, cycles=20, seed=3)
    last = gust.analyze(run).summary.iloc[-1]
    rows.append({"release_p": p, "ami": last.ami_mean, "synscore": last.synscore_mean})
print(pd.DataFrame(rows).to_string(index=False))
