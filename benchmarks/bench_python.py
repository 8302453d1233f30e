"""The Python module's cost over the engine, and what recording costs.

    PYTHONPATH=build/python python3 benchmarks/bench_python.py [--repeats 7]

Module overhead: the wall time of gust.simulate seen from Python against
the engine's own time inside the call (run.seconds), at batch 1 (30 cycles,
one image, one thread) and batch 32. Recording: the engine's time with
probes against the same run without, on one thread (event backend, the
shipped model, 32 images, 30 cycles), each case alternated with a run that
records nothing. Every figure is the median of --repeats runs; the ratios
come from one process.
"""
import argparse
import pathlib
import statistics
import time

import gust

REPO = pathlib.Path(__file__).resolve().parents[1]


def median_times(fn, repeats):
    walls, engine = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run = fn()
        walls.append(time.perf_counter() - t0)
        engine.append(run.seconds)
    return statistics.median(walls), statistics.median(engine)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    model = gust.load_model(REPO / "examples" / "models" / "gust_3shapes.h5")
    one = gust.shapes(count=1, objects=3, seed=3)
    many = gust.shapes(count=32, objects=3, seed=3)
    gust.simulate(model, one, cycles=30, threads=1)  # warm-up

    for label, images in (("batch 1", one), ("batch 32", many)):
        wall, engine = median_times(lambda: gust.simulate(model, images, cycles=30, threads=1), args.repeats)
        print(f"module overhead, {label}, 30 cycles, 1 thread: wall {wall * 1e3:.3f} ms, engine {engine * 1e3:.3f} ms, "
              f"wall/engine {wall / engine:.3f}")

    cases = [
        ("context, 28 units, last 10 steps", [gust.Probe("context", units=range(28), steps=slice(290, 300))]),
        ("context, all 784 units, every step", ["context"]),
        ("pixels.refractory, all units, every step", ["pixels.refractory"]),
        ("hidden, all 400 units, every step", ["hidden"]),
        ("hidden, all units, every 10th step", [gust.Probe("hidden", steps=slice(0, None, 10))]),
    ]
    print("recording, 32 images x 30 cycles, event backend, 1 thread (each case alternated with a run "
          "recording nothing):")
    for label, record in cases:
        base, with_probe = [], []
        for _ in range(args.repeats):
            base.append(gust.simulate(model, many, cycles=30, threads=1).seconds)
            with_probe.append(gust.simulate(model, many, cycles=30, threads=1, record=record).seconds)
        b, t = statistics.median(base), statistics.median(with_probe)
        print(f"recording {label}: {t * 1e3:.1f} ms against {b * 1e3:.1f} ms, with/without {t / b:.3f}")

if __name__ == "__main__":
    main()
