#!/usr/bin/python3
"""The PyTorch baseline: GUST computed the way the published implementation
computes it, timed next to gust.

The published implementation is a PyTorch program that advances a whole batch
one step at a time with dense matrix products over [batch, features]: every
step runs the decoder (400 -> 512 -> 784) on the hidden line, draws the
release mask and the membrane noise for every neuron, thresholds, updates the
refractory counters and runs the encoder (784 -> 512 -> 400) on the spikes
plus their released copies (docs/model.md, "One step"). Training unrolls IT
cycles of that under autograd, with the spec's surrogate derivatives, the
spec's loss and Adam (lr 0.01). This script is that computation, written from
the spec in the same form (torch nn.Linear on the whole batch every step,
float32, CPU), so its time stands for the original's on this machine;
`--check TRACE.h5` shows on a golden trace of the original (recorded draws,
spikes, loss, gradients) that it computes the same numbers.

It measures, with one thread and with every core:
  latency     ms per image at batch 1 for 30 cycles (simulation, clean image)
  throughput  ms per image-step at batch 1024 for 8 cycles (image-step = one
              image advanced one step)
  train step  s for one batch of 1024 corrupted images, 8 cycles, forward +
              backward + Adam
each the median of a few repeats after warm-up. Simulation runs under
torch.no_grad() (the cheapest way to run the original's forward). Training at
batch 1024 keeps every step's tensors for the backward pass: about 4.3 GiB.
The defaults take about 3 minutes on 2 cores. With --gust-build DIR it runs
gust's own benchmark programs from DIR on the same model in the same run and
prints both side by side. Nothing is written except to stdout.
"""
import argparse
import ctypes
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# torch's OpenMP workers spin for a while after every parallel region; with
# OpenBLAS running its own pthreads for sgemm on the same cores, that spinning
# takes the cores sgemm needs (all cores measured 1.5x slower than one thread
# on 2 cores). Passive waiting removes the contention; it must be set before
# torch loads libgomp. A value set by the user is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

# Paper configuration (gust-model.md, "Sizes").
N_PIXELS, N_INNER, N_HIDDEN, T_STEPS = 784, 512, 400, 10
THETA, TAU_R, P_REL = 1.0, 9.0, 0.5
KEEP_PROB, LR = 0.35, 0.01
SIDE = 28

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = REPO_ROOT / "examples" / "models" / "gust_3shapes.h5"
LAYERS = ("encoder/fc1", "encoder/fc2", "decoder/fc1", "decoder/fc2")
LAYER_SHAPES = {"encoder/fc1": (N_INNER, N_PIXELS), "encoder/fc2": (N_HIDDEN, N_INNER),
                "decoder/fc1": (N_INNER, N_HIDDEN), "decoder/fc2": (N_PIXELS, N_INNER)}


# ---------------------------------------------------------------- options

class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad option gives one line on stderr (not the usage
    block) and status 2, as gust's own programs do."""

    def error(self, message):
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(2)


def refuse(message):
    print(f"pytorch_baseline.py: {message}", file=sys.stderr)
    sys.exit(2)


def positive_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got '{text}'") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got '{text}'")
    return v


def whole_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got '{text}'") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got '{text}'")
    return v


def parse_args(argv):
    p = OneLineParser(
        prog="pytorch_baseline.py",
        description="Time the published PyTorch computation of GUST (float32, CPU) with one thread and "
                    "with all cores; optionally run gust's benchmarks on the same model and compare; "
                    "optionally check the PyTorch forward/backward against a golden trace.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--model", default=str(DEFAULT_MODEL),
                   help="model file (HDF5, /encoder/fc1/weight ... in torch Linear layout) whose weights both "
                        "PyTorch and gust time; FILE:/group reads the weights under a group (as gust's "
                        "benchmarks do), e.g. a golden trace's :/weights")
    p.add_argument("--gust-build", metavar="DIR",
                   help="also run DIR/gust_bench_simulate and DIR/gust_bench_train_step and print the comparison")
    p.add_argument("--check", metavar="TRACE.h5", action="append", default=[],
                   help="first check the forward and gradients against a golden reference trace "
                        "(tests/fixtures/golden/reference_trace_*.h5); may be repeated; exit 1 if one fails")
    p.add_argument("--check-only", action="store_true", help="with --check: only the check, no timing")
    p.add_argument("--all-threads", type=positive_int, default=len(os.sched_getaffinity(0)),
                   help="threads for the 'all cores' measurements (default: the CPUs this process may use)")
    p.add_argument("--seed", type=whole_int, default=1, help="seed of the images and of torch's draws")
    g = p.add_argument_group("sizes and repeats")
    g.add_argument("--latency-cycles", type=positive_int, default=30, help="cycles per image for the latency")
    g.add_argument("--latency-repeats", type=positive_int, default=11, help="timed repeats of the latency")
    g.add_argument("--throughput-batch", type=positive_int, default=1024, help="images per batch, throughput")
    g.add_argument("--throughput-cycles", type=positive_int, default=8, help="cycles, throughput")
    g.add_argument("--throughput-repeats", type=positive_int, default=5, help="timed repeats, throughput")
    g.add_argument("--train-batch", type=positive_int, default=1024, help="images per training batch")
    g.add_argument("--train-cycles", type=positive_int, default=8, help="cycles unrolled per training step")
    g.add_argument("--train-repeats", type=positive_int, default=3, help="timed training steps")
    g.add_argument("--warmup", type=whole_int, default=1,
                   help="untimed runs before each measurement (the latency gets one more)")
    g.add_argument("--gust-latency-repeats", type=positive_int, default=21,
                   help="repeats of gust_bench_simulate's latency (median)")
    g.add_argument("--gust-train-repeats", type=positive_int, default=3,
                   help="repeats of gust_bench_train_step (it reports the best)")
    a = p.parse_args(argv)
    if a.check_only and not a.check:
        p.error("--check-only needs --check TRACE.h5")
    return a


# ---------------------------------------------------------------- environment

def loaded_libraries(pattern):
    """Paths of the shared objects mapped into this process whose file name
    matches pattern: the BLAS torch really calls, whatever its build says."""
    found = []
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if path.startswith("/") and re.search(pattern, os.path.basename(path)) and path not in found:
                found.append(path)
    return found


def openblas_handle():
    """The loaded OpenBLAS (through its libblas.so.3 or libopenblas name), or
    None. Debian's torch is built against the generic BLAS interface, so
    torch.set_num_threads does not reach OpenBLAS's own thread pool; the
    script sets that through this handle."""
    for path in loaded_libraries(r"blas"):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_num_threads.restype = ctypes.c_int
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
        except (OSError, AttributeError):
            continue
    return None


def blas_alternative():
    """Where Debian's libblas.so.3 alternative points (the BLAS a generic
    build picks up), or a note why it is unknown."""
    tool = shutil.which("update-alternatives")
    if tool is None:
        return "update-alternatives not found"
    r = subprocess.run([tool, "--query", "libblas.so.3-x86_64-linux-gnu"], capture_output=True, text=True)
    m = re.search(r"^Value:\s*(\S+)", r.stdout, re.M)
    return m.group(1) if m else "no libblas.so.3-x86_64-linux-gnu alternative"


def set_threads(n, openblas):
    """n threads for torch's own kernels (OpenMP) and for OpenBLAS's sgemm."""
    torch.set_num_threads(n)
    if openblas is not None:
        openblas.openblas_set_num_threads(n)


def print_header(args, openblas):
    cfg = torch.__config__.show()
    blas_info = re.search(r"BLAS_INFO=(\w+)", cfg)
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print("PyTorch baseline of GUST (the published implementation's computation, float32, CPU)")
    print(f"  command: {' '.join([sys.argv[0]] + sys.argv[1:])}")
    print(f"  date {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, host {platform.node()}, {cpu}, "
          f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"  python {platform.python_version()} ({sys.executable}), torch {torch.__version__}, numpy {np.__version__}, "
          f"h5py {h5py.__version__}")
    capability = re.search(r"CPU capability usage: (\w+)", cfg)
    print(f"  torch build: BLAS_INFO={blas_info.group(1) if blas_info else '?'} (calls the system libblas.so.3), "
          f"CPU capability {capability.group(1) if capability else '?'}, "
          f"default threads {torch.get_num_threads()}")
    print(f"  BLAS loaded: {', '.join(loaded_libraries(r'blas|lapack|mkl')) or 'none found in /proc/self/maps'}")
    if openblas is not None:
        print(f"  OpenBLAS: {openblas.openblas_get_config().decode()}, core {openblas.openblas_get_corename().decode()}")
    else:
        print("  OpenBLAS: not loaded (thread count set through torch only)")
    print(f"  libblas.so.3 alternative -> {blas_alternative()}")
    env = {k: v for k, v in os.environ.items() if re.match(r"(OPENBLAS|OMP|MKL|GOTO)_", k)}
    if env:
        print(f"  environment: {' '.join(f'{k}={v}' for k, v in sorted(env.items()))}")


# ---------------------------------------------------------------- model

def dataset(f, name):
    """A float32 copy of dataset `name`; a missing one raises KeyError naming it."""
    if name not in f or not isinstance(f[name], h5py.Dataset):
        raise KeyError(f"no dataset {name}")
    return np.asarray(f[name], dtype=np.float32)


def read_weights(path, group=""):
    """{layer: (weight, bias)} as float32 numpy arrays from an HDF5 file in
    the reference's layout (torch Linear: weight [out, in])."""
    out = {}
    with h5py.File(path, "r") as f:
        for layer in LAYERS:
            w = dataset(f, f"{group}/{layer}/weight")
            b = dataset(f, f"{group}/{layer}/bias")
            if w.shape != LAYER_SHAPES[layer] or b.shape != (w.shape[0],):
                raise ValueError(f"{layer} has shape {w.shape}/{b.shape}, expected {LAYER_SHAPES[layer]}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise ValueError(f"{layer} holds values that are not finite")
            out[layer] = (w, b)
    return out


def build_network(weights):
    """The two ANNs as the published code builds them: nn.Linear layers."""
    enc = nn.Sequential(nn.Linear(N_PIXELS, N_INNER), nn.ReLU(), nn.Linear(N_INNER, N_HIDDEN), nn.Sigmoid())
    dec = nn.Sequential(nn.Linear(N_HIDDEN, N_INNER), nn.ReLU(), nn.Linear(N_INNER, N_PIXELS), nn.Sigmoid())
    linears = {"encoder/fc1": enc[0], "encoder/fc2": enc[2], "decoder/fc1": dec[0], "decoder/fc2": dec[2]}
    with torch.no_grad():
        for layer, lin in linears.items():
            w, b = weights[layer]
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
    return enc, dec, linears


class ThresholdSpike(torch.autograd.Function):
    """H(m - theta) forward; the spec's box surrogate, ds/dm = 1 where
    |m - theta| < 0.5, backward."""

    @staticmethod
    def forward(ctx, v):
        ctx.save_for_backward(v)
        return (v > 0).to(v.dtype)

    @staticmethod
    def backward(ctx, grad):
        (v,) = ctx.saved_tensors
        return grad * (v.abs() < 0.5).to(grad.dtype)


class RefractoryGate(torch.autograd.Function):
    """g = 1[r < 1] forward; treated as a function of -r with slope 1
    exactly where r == 0, so dg/dr = -1 there and 0 elsewhere."""

    @staticmethod
    def forward(ctx, r):
        ctx.save_for_backward(r)
        return (r < 1).to(r.dtype)

    @staticmethod
    def backward(ctx, grad):
        (r,) = ctx.saved_tensors
        return -grad * (r == 0).to(grad.dtype)


def torch_draws(batch):
    """The draws of one step as the original makes them: the release mask
    first, then the membrane noise, fresh for every neuron."""
    def draw(it, t):
        release = (torch.rand(batch, N_PIXELS) < P_REL).float()
        noise = torch.rand(batch, N_PIXELS)
        return release, noise
    return draw


def unroll(enc, dec, x, hidden0, cycles, draw, trace=None):
    """cycles x T steps of the spec's step for a batch; returns the last
    cycle's contexts [batch, T, N] (what the loss reads). The rings S and D
    are Python lists so that autograd keeps every step's tensors. With a
    trace list, appends (spike, refractory, context) of every step."""
    batch = x.shape[0]
    hidden = [hidden0[:, t] for t in range(T_STEPS)]
    spikes = [torch.zeros(batch, N_PIXELS) for _ in range(T_STEPS)]
    rfr = torch.zeros(batch, N_PIXELS)
    last = []
    for it in range(cycles):
        for t in range(T_STEPS):
            release, noise = draw(it, t)
            c = dec(hidden[t])
            m = x * c + noise
            s = ThresholdSpike.apply(m - THETA) * RefractoryGate.apply(rfr)
            # relu passes gradient only where its result is > 0, which is
            # the spec's rule for the max(0, .) of the refractory update.
            rfr = torch.relu(rfr - 1.0 + TAU_R * s)
            q = spikes[(t - 1) % T_STEPS] * release
            spikes[t] = s
            hidden[t] = enc(s + q)
            if it == cycles - 1:
                last.append(c)
            if trace is not None:
                trace.append((s.detach(), rfr.detach(), c.detach()))
    return torch.stack(last, dim=1)


def reconstruction_loss(last_ctx, clean):
    """The spec's loss: squared distance of the normalised time-averaged
    context of the last cycle to the normalised clean image, summed over the
    batch."""
    r = last_ctx.mean(dim=1)
    r_hat = r / (r.sum(dim=1, keepdim=True) + 1e-6)
    y_hat = clean / (clean.sum(dim=1, keepdim=True) + 1e-6)
    return ((y_hat - r_hat) ** 2).sum()


# ---------------------------------------------------------------- images

SQUARE = np.array([[1, 1, 1, 1, 1, 1, 1],
                   [1, 1, 1, 1, 1, 1, 1],
                   [1, 1, 0, 0, 0, 1, 1],
                   [1, 1, 0, 0, 0, 1, 1],
                   [1, 1, 0, 0, 0, 1, 1],
                   [1, 1, 1, 1, 1, 1, 1],
                   [1, 1, 1, 1, 1, 1, 1]], dtype=np.float32)
TRIANGLE = np.array([[int(ch) for ch in row] for row in (
    "000001100000", "000011110000", "000111111000", "001110011100",
    "011100001110", "111111111111", "111111111111")], dtype=np.float32)
SHAPES = (SQUARE, TRIANGLE, TRIANGLE[::-1])


def shapes_images(count, objects, rng):
    """count clean 28 x 28 images of `objects` shapes each (the spec's three
    shapes, uniformly chosen, at uniform positions fully inside the frame),
    flattened to [count, 784]."""
    img = np.zeros((count, SIDE, SIDE), dtype=np.float32)
    for i in range(count):
        for _ in range(objects):
            shape = SHAPES[rng.integers(len(SHAPES))]
            h, w = shape.shape
            top, left = rng.integers(SIDE - h + 1), rng.integers(SIDE - w + 1)
            np.maximum(img[i, top:top + h, left:left + w], shape, out=img[i, top:top + h, left:left + w])
    return img.reshape(count, N_PIXELS)


# ---------------------------------------------------------------- check

def read_trace(path):
    """A golden trace (fixtures/README.md) in memory; raises OSError,
    KeyError or ValueError on a file that is not one."""
    tr = {"path": path, "weights": read_weights(path, "/weights")}
    with h5py.File(path, "r") as f:
        for name in ("/input/x", "/input/x_clean", "/input/hidden0", "/rand/decay", "/rand/noise",
                     "/trace/spike", "/trace/rfr", "/trace/ctx", "/loss"):
            tr[name] = dataset(f, name)
        tr["grad"] = {layer: (dataset(f, f"/grad/{layer}/weight"), dataset(f, f"/grad/{layer}/bias"))
                      for layer in LAYERS}
    cycles, steps, batch = tr["/rand/decay"].shape[:3]
    step_shape = (cycles, T_STEPS, batch, N_PIXELS)
    if (steps != T_STEPS or tr["/input/x"].shape != (batch, N_PIXELS)
            or tr["/input/x_clean"].shape != (batch, N_PIXELS)
            or tr["/input/hidden0"].shape != (batch, T_STEPS, N_HIDDEN)
            or any(tr[n].shape != step_shape for n in ("/rand/decay", "/rand/noise", "/trace/spike",
                                                      "/trace/rfr", "/trace/ctx"))
            or tr["/loss"].shape != ()):
        raise ValueError("shapes do not match the paper configuration")
    return tr


def check_trace(tr):
    """Feeds the golden trace's inputs and recorded draws to unroll();
    returns (passed, one-line summary). Tolerances are the fixtures'
    (fixtures/README.md): spikes and refractory counters identical, contexts
    within 1e-5, loss within 1e-5 relative, each gradient within 1e-3 of its
    tensor's largest magnitude."""
    weights_np, path = tr["weights"], tr["path"]
    x, clean = torch.from_numpy(tr["/input/x"]), torch.from_numpy(tr["/input/x_clean"])
    hidden0 = torch.from_numpy(tr["/input/hidden0"])
    decay, noise = torch.from_numpy(tr["/rand/decay"]), torch.from_numpy(tr["/rand/noise"])
    want_spike, want_rfr, want_ctx = tr["/trace/spike"], tr["/trace/rfr"], tr["/trace/ctx"]
    want_loss, want_grad = float(tr["/loss"]), tr["grad"]
    cycles, batch = decay.shape[0], decay.shape[2]

    enc, dec, linears = build_network(weights_np)
    trace = []
    recorded = lambda it, t: ((decay[it, t] < P_REL).float(), noise[it, t])  # noqa: E731
    loss = reconstruction_loss(unroll(enc, dec, x, hidden0, cycles, recorded, trace), clean)
    loss.backward()

    got_spike = torch.stack([s for s, _, _ in trace]).reshape(want_spike.shape).numpy()
    got_rfr = torch.stack([r for _, r, _ in trace]).reshape(want_rfr.shape).numpy()
    got_ctx = torch.stack([c for _, _, c in trace]).reshape(want_ctx.shape).numpy()
    spike_diff = int((got_spike != want_spike).sum())
    rfr_diff = int((got_rfr != want_rfr).sum())
    ctx_err = float(np.abs(got_ctx - want_ctx).max())
    loss_err = abs(loss.item() - want_loss) / abs(want_loss)
    grad_err, worst = 0.0, ""
    for layer, lin in linears.items():
        for name, got, want in (("weight", lin.weight.grad, want_grad[layer][0]),
                                ("bias", lin.bias.grad, want_grad[layer][1])):
            err = float(np.abs(got.numpy() - want).max() / max(np.abs(want).max(), 1e-30))
            if err >= grad_err:
                grad_err, worst = err, f"{layer}/{name}"
    passed = spike_diff == 0 and rfr_diff == 0 and ctx_err <= 1e-5 and loss_err <= 1e-5 and grad_err <= 1e-3
    line = (f"check {Path(path).name}: {'PASS' if passed else 'FAIL'} - {cycles} cycles x {batch} images: "
            f"{spike_diff} of {want_spike.size} spikes and {rfr_diff} refractory counters differ, "
            f"context max |diff| {ctx_err:.1e} (tol 1e-5), loss {loss.item():.7g} vs {want_loss:.7g} "
            f"rel {loss_err:.1e} (tol 1e-5), gradients max {grad_err:.1e} of the tensor's largest (tol 1e-3, {worst})")
    return passed, line


# ---------------------------------------------------------------- timing

def median_seconds(fn, warmup, repeats):
    """(median wall seconds of the timed runs, this process's CPU time over
    their wall time). The second tells on a shared machine whether the
    threads got their cores: near the thread count if they did, near 1 if
    other jobs took the others."""
    for _ in range(warmup):
        fn()
    times = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    busy = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
    return statistics.median(times), busy


def measure_pytorch(args, weights, openblas, thread_settings):
    """{(measure, threads): value}: latency ms/image, throughput ms per
    image-step, train step s per batch."""
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)
    enc, dec, _ = build_network(weights)
    lat_images = torch.from_numpy(shapes_images(max(args.latency_repeats, 8), 3, rng))
    tp_images = torch.from_numpy(shapes_images(args.throughput_batch, 3, rng))
    train_clean = torch.from_numpy(shapes_images(args.train_batch, 3, rng))
    results = {}

    def simulate(x, cycles):
        with torch.no_grad():
            hidden0 = torch.rand(x.shape[0], T_STEPS, N_HIDDEN)
            unroll(enc, dec, x, hidden0, cycles, torch_draws(x.shape[0]))

    for threads in thread_settings:
        set_threads(threads, openblas)
        # Latency: one clean image at a time, a different one each repeat.
        counter = iter(range(10 ** 9))
        sec, busy = median_seconds(
            lambda: simulate(lat_images[next(counter) % len(lat_images)][None], args.latency_cycles),
            args.warmup + 1, args.latency_repeats)
        results[("latency", threads)] = sec * 1e3
        print(f"  threads {threads}: latency    batch 1, {args.latency_cycles} cycles: {sec * 1e3:9.2f} ms/image "
              f"(median of {args.latency_repeats}; cpu/wall {busy:.2f})", flush=True)

        sec, busy = median_seconds(lambda: simulate(tp_images, args.throughput_cycles), args.warmup,
                                   args.throughput_repeats)
        per_step = sec * 1e3 / (args.throughput_batch * args.throughput_cycles * T_STEPS)
        results[("throughput", threads)] = per_step
        print(f"  threads {threads}: throughput batch {args.throughput_batch}, {args.throughput_cycles} cycles: "
              f"{per_step:9.4f} ms per image-step ({sec:.2f} s per batch, median of {args.throughput_repeats}; "
              f"cpu/wall {busy:.2f})", flush=True)

        # A fresh optimiser per thread setting: the weights move with every
        # step, which leaves the cost of the dense products unchanged.
        enc_t, dec_t, _ = build_network(weights)
        opt = torch.optim.Adam(list(enc_t.parameters()) + list(dec_t.parameters()), lr=LR)

        def train_step():
            x = train_clean * (torch.rand_like(train_clean) < KEEP_PROB).float()
            hidden0 = torch.rand(args.train_batch, T_STEPS, N_HIDDEN)
            loss = reconstruction_loss(unroll(enc_t, dec_t, x, hidden0, args.train_cycles,
                                              torch_draws(args.train_batch)), train_clean)
            opt.zero_grad()
            loss.backward()
            opt.step()

        sec, busy = median_seconds(train_step, args.warmup, args.train_repeats)
        results[("train", threads)] = sec
        print(f"  threads {threads}: train step batch {args.train_batch}, {args.train_cycles} cycles, "
              f"forward+backward+Adam: {sec:7.2f} s (median of {args.train_repeats}; "
              f"{sec * 18000 / args.train_batch:.0f} s per 18,000-image epoch without validation; cpu/wall {busy:.2f})",
              flush=True)
    return results


# ---------------------------------------------------------------- gust

def run_program(cmd):
    print(f"  $ {' '.join(cmd)}", flush=True)
    r = subprocess.run(cmd, capture_output=True, text=True)
    for line in r.stdout.splitlines():
        print(f"    {line}")
    if r.returncode != 0:
        raise RuntimeError(f"{cmd[0]} exited with {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def number(pattern, text, what):
    m = re.search(pattern, text)
    if m is None:
        raise RuntimeError(f"could not find {what} in the output")
    return float(m.group(1))


def measure_gust(args, build):
    """gust's figures from its own benchmark programs (the event backend, the
    default): {(measure, 1 | 'all'): value} in the units of measure_pytorch."""
    sim, train = str(build / "gust_bench_simulate"), str(build / "gust_bench_train_step")
    g = {}
    # Latency: one image on one thread (gust runs an image on one thread;
    # the images of a batch run in parallel), median of its repeats.
    out = run_program([sim, "--images", "32", "--cycles", str(args.latency_cycles),
                       "--repeats", str(args.gust_latency_repeats), "--model", args.model])
    g[("latency", 1)] = number(r"event latency\s+batch 1, 1 thread\s*:\s*([\d.]+) ms", out, "event latency")
    # Throughput on PyTorch's batch size and cycles, 1 thread and every core.
    out = run_program([sim, "--images", str(args.throughput_batch), "--cycles", str(args.throughput_cycles),
                       "--repeats", "1", "--model", args.model])
    g[("throughput", 1)] = number(r"event throughput \d+ images, 1 thread\s*:\s*([\d.]+) ms", out, "throughput")
    g[("throughput", "all")] = number(r"event throughput \d+ images, all cores\s*:\s*([\d.]+) ms", out,
                                      "throughput")
    # Training: forward + backward of the batch, 1 and 2 threads, best of
    # its repeats; ms per image times the batch gives seconds per batch.
    out = run_program([train, "--images", str(args.train_batch), "--cycles", str(args.train_cycles),
                       "--repeats", str(args.gust_train_repeats), "--model", args.model])
    for threads, key in ((1, 1), (2, "all")):
        g[("train", key)] = number(rf"threads {threads}: ([\d.]+) ms/image", out, "train step") \
            * args.train_batch / 1e3
    return g


def print_table(args, torch_res, gust_res, all_threads):
    rows = (("latency", f"latency, ms/image (batch 1, {args.latency_cycles} cycles)", "{:.2f}"),
            ("throughput", f"throughput, ms/image-step (batch {args.throughput_batch}, "
                           f"{args.throughput_cycles} cycles)", "{:.4f}"),
            ("train", f"train step, s/batch ({args.train_batch} images, {args.train_cycles} cycles)", "{:.2f}"))
    width = max(len(r[1]) for r in rows) + 2
    print()
    gust_head = f"{'gust':>10}{'PyTorch/gust':>14}" if gust_res is not None else ""
    print(f"{'measure':<{width}}{'threads':<16}{'PyTorch':>10}{gust_head}")
    for key, label, fmt in rows:
        settings = ((1, 1, "1"), (all_threads, "all", f"all ({all_threads})"))
        for threads, gkey, tlabel in settings[:1] if all_threads == 1 else settings:
            p = torch_res[(key, threads)]
            gust_cols = ""
            if gust_res is not None:
                gval, note = gust_res.get((key, gkey)), ""
                if gval is None and key == "latency":
                    gval, note = gust_res[(key, 1)], " *"
                if key == "train" and gkey == "all" and all_threads != 2:
                    note = " **"
                gust_cols = f"{fmt.format(gval) + note:>10}{p / gval:>13.1f}x"
            print(f"{label:<{width}}{tlabel:<16}{fmt.format(p):>10}{gust_cols}")
    if gust_res is not None:
        print("  gust: event backend (its default); its train step is forward + backward (its Adam step, ~1 ms, "
              "is outside the benchmark) and the best of its repeats; PyTorch's figures are medians.")
        if all_threads > 1:
            print("  * gust runs one image on one thread, so its batch-1 latency is the 1-thread figure.")
        if all_threads > 2:
            print("  ** gust_bench_train_step measures 1 and 2 threads; its 2-thread figure is shown.")


# ---------------------------------------------------------------- main

def main(argv):
    args = parse_args(argv)
    if args.gust_build is not None:
        build = Path(args.gust_build)
        for prog in ("gust_bench_simulate", "gust_bench_train_step"):
            if not os.access(build / prog, os.X_OK):
                refuse(f"--gust-build {args.gust_build}: no executable {prog} there")
    weights = None
    if not args.check_only:
        try:
            path, _, group = args.model.partition(":/")
            weights = read_weights(path, "/" + group if group else "")
        except (OSError, KeyError, ValueError) as e:
            refuse(f"--model {args.model}: {e.args[0] if isinstance(e, KeyError) else e}")
    traces = []
    for path in args.check:
        try:
            traces.append(read_trace(path))
        except (OSError, KeyError, ValueError) as e:
            refuse(f"--check {path}: {e.args[0] if isinstance(e, KeyError) else e}")

    openblas = openblas_handle()
    print_header(args, openblas)

    failed = False
    for tr in traces:
        passed, line = check_trace(tr)
        print(line, flush=True)
        failed = failed or not passed
    if failed:
        return 1
    if args.check_only:
        return 0

    all_threads = args.all_threads
    settings = [1] if all_threads == 1 else [1, all_threads]
    print(f"  model: {args.model} (weights loaded into torch.nn.Linear; PyTorch's cost does not depend on their "
          f"values, gust's does)")
    print(f"  images: 3-shape 28x28 images generated here with numpy (seed {args.seed}); clean for simulation, "
          f"corrupted (keep prob {KEEP_PROB}) for training; gust's programs generate their own 3-shape images")
    print(f"  warm-up {args.warmup} run(s) per measurement ({args.warmup + 1} for the latency); "
          f"threads: torch.set_num_threads and openblas_set_num_threads")
    print("PyTorch:", flush=True)
    torch_res = measure_pytorch(args, weights, openblas, settings)
    gust_res = None
    if args.gust_build is not None:
        print(f"gust ({args.gust_build}):", flush=True)
        try:
            gust_res = measure_gust(args, Path(args.gust_build))
        except RuntimeError as e:
            print(f"pytorch_baseline.py: gust: {e}", file=sys.stderr)
            return 1
    print_table(args, torch_res, gust_res, all_threads)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"peak memory of the PyTorch process {peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
