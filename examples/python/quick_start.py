"""Quick start: load the shipped model, simulate 16 images, record the
context of the network, read grouping out of spike timing, and draw it.

    PYTHONPATH=build/python python3 examples/python/quick_start.py [OUT_DIR]
"""
import pathlib
import sys

import gust

repo = pathlib.Path(__file__).resolve().parents[2]
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "out/python")
out.mkdir(parents=True, exist_ok=True)

model = gust.load_model(repo / "examples" / "models" / "gust_3shapes.h5")
images = gust.shapes(count=16, objects=3, seed=7)            # 16 images of three overlapping shapes
run = gust.simulate(model, images, cycles=30, seed=1, record=["context"])
context = run.values("context")                               # [16 images, 300 steps, 784 pixels]
print(run, "-", len(run.spike_table()), "spikes")
print("context of image 0 at its last step: mean", float(context[0, -1].mean()))

analysis = gust.analyze(run)
last = analysis.summary.iloc[-1]
print(f"final cycle: AMI {last.ami_mean:.3f}, SynScore {last.synscore_mean:.3f}")

gust.plot.binding(run, 0, analysis).savefig(out / "binding_0.png")
gust.plot.raster(run, 0, cycles=5).savefig(out / "raster_0.png")
gust.plot.metrics(analysis).savefig(out / "metrics.png")
run.save(str(out / "spikes.h5"))                              # the SONATA report gust run writes
print("figures and spikes.h5 in", out)
