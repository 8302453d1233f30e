"""gust: simulate, record, analyse and train GUST networks from Python.

GUST networks (Grouping Unsupervisely by Spike Timing, NeurIPS 2023) are a
spiking layer in a loop with a small ANN; shown superimposed shapes, their
neurons fire in synchrony per object. This module drives gust's C++ engine
(the same libraries as the ``gust`` command line) with numpy arrays::

    import gust
    model = gust.load_model("examples/models/gust_3shapes.h5")
    images = gust.shapes(count=16, objects=3, seed=7)
    run = gust.simulate(model, images, cycles=30, record=["context"])
    table = gust.analyze(run).summary          # pandas DataFrame, one row per cycle

Every refusal is a ``gust.InputError`` (a ``ValueError``; a missing file is
also a ``FileNotFoundError``) with the one-line message the CLI prints.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass

import numpy as np

from . import _core
from ._core import InputError, MissingFileError

__version__ = _core.version
__all__ = [
    "InputError", "MissingFileError", "Network", "Model", "Images", "Run", "Analysis", "Probe",
    "load_model", "init_model", "init_model_file", "shapes", "read_images", "images_from_arrays",
    "simulate", "compare", "analyze", "evaluate", "select", "fit_context", "compare_models", "read_run", "write_dataset", "train", "train_defaults", "plot",
]

Model = _core.Model
Images = _core.Images
Run = _core.Run


class Network:
    """A network description (docs/network.md): populations, projections, the cycle.

    Make one with ``Network.read(path)`` (a TOML file), ``Network.parse(text)``,
    ``Network.from_dict(d)`` (a dict with the TOML file's keys: ``population``
    and ``projection`` are lists of dicts) or ``Network.paper(...)`` (the
    published network, or its sparse family, at given sizes).
    """

    def __init__(self, description: _core.Description):
        self._d = description

    @classmethod
    def read(cls, path: str | os.PathLike) -> "Network":
        """Reads and validates a TOML description file."""
        return cls(_core.Description.read(os.fspath(path)))

    @classmethod
    def parse(cls, text: str, origin: str = "<text>") -> "Network":
        """Parses TOML text; ``origin`` names it in error messages."""
        return cls(_core.Description.parse(text, origin))

    @classmethod
    def from_dict(cls, network: dict) -> "Network":
        """A description from a dict with the keys of the TOML file, every key and default as there."""
        if not isinstance(network, dict):
            raise InputError(f"network: expected a dict, got {type(network).__name__}")
        return cls(_core.Description.from_dict(network))

    @classmethod
    def paper(cls, height: int = 28, width: int = 28, hidden: int = 400, inner: int = 512, cycle: int = 10,
              sparse_fan_in: int = 0, receptive_field: int = 0, theta: float = 1.0, refractory: int = 9,
              release_p: float = 0.5) -> "Network":
        """The published GUST network at these sizes (``gust init``'s size options).

        ``sparse_fan_in=K`` gives every unit K random inputs; with
        ``receptive_field=R`` they are drawn within R grid cells of it.
        """
        return cls(_core.Description.paper(height, width, hidden, inner, cycle, sparse_fan_in, receptive_field,
                                           theta, refractory, release_p))

    def to_toml(self) -> str:
        """The canonical TOML text (every key written; what a model file stores)."""
        return self._d.to_toml()

    def to_dict(self) -> dict:
        """The description as a dict with the TOML file's keys (``from_dict`` gives it back)."""
        return tomllib.loads(self.to_toml())

    @property
    def height(self) -> int:
        return self._d.height

    @property
    def width(self) -> int:
        return self._d.width

    @property
    def cycle(self) -> int:
        """T: steps per cycle."""
        return self._d.cycle

    @property
    def readout(self) -> str:
        """The population whose spikes are reported."""
        return self._d.readout

    @property
    def populations(self) -> list[str]:
        return self._d.population_names()

    def memory(self) -> dict:
        """What a fresh model and its training hold, in bytes, counted without drawing anything.

        ``weights``: the weight sets of ``init_model`` (values, sources,
        offsets); ``trainable_values``: every stored weight and bias;
        ``training``: the weights and 20 bytes per trainable value (Adam's
        moments, the gradient twice, the update); ``limit``: the memory gust
        may hold, and ``limit_set_by`` "machine", "control group" (a batch
        system's or container's limit below the machine's) or "address
        space" (``ulimit -v``, less what the process has mapped). ``init_model``
        and ``train`` refuse a network whose count exceeds the limit.
        """
        return self._d.memory()

    def __eq__(self, other) -> bool:
        return isinstance(other, Network) and self.to_toml() == other.to_toml()

    def __repr__(self) -> str:
        return (f"gust.Network({self.height}x{self.width} image, T={self.cycle}, "
                f"populations {', '.join(self.populations)})")


def _network_of(network) -> Network:
    if isinstance(network, Network):
        return network
    if isinstance(network, dict):
        return Network.from_dict(network)
    if isinstance(network, (str, os.PathLike)):
        return Network.read(network)
    raise InputError(f"network: expected a gust.Network, a dict or a TOML file path, got {type(network).__name__}")


def load_model(path: str | os.PathLike) -> Model:
    """Reads a model file (any network gust writes, or the published code's layout)."""
    return _core.Model.load(os.fspath(path))


def init_model(network=None, seed: int = 1) -> Model:
    """A fresh model of ``network`` (a Network, a dict or a TOML path; default: the paper network).

    The same seed gives the same weights as ``gust init --network NET --seed SEED``.
    """
    net = Network.paper() if network is None else _network_of(network)
    return _core.Model.init(net._d, _seed(seed))


def init_model_file(path: str | os.PathLike, network=None, seed: int = 1) -> int:
    """Writes the model ``init_model(network, seed)`` would return to ``path``, as ``gust init`` does.

    The weights are drawn a block of rows at a time as they are written, so
    a network of any size takes little memory (its dense sets, biases and
    row offsets, and one block); the file holds the bytes of
    ``init_model(network, seed).save(path)``. Returns the synapses written.
    """
    net = Network.paper() if network is None else _network_of(network)
    return _core.Model.write_fresh(net._d, _seed(seed), os.fspath(path))


def _model_network(model: Model) -> Network:
    return Network(model.description)


def _model_with_network(self, network) -> Model:
    """The same weights and biases in another description of the same shapes.

    E.g. another release probability, threshold or delay: every weight set
    and bias must keep its shape, else gust.InputError.
    """
    return self.with_description(_network_of(network)._d)


Model.network = property(_model_network, doc="The model's network description (a gust.Network).")
Model.with_network = _model_with_network
Model.__repr__ = lambda self: f"gust.Model({_model_network(self)!r}, {self.synapses()} synapses)"


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0 or seed >= 2**64:
        raise InputError(f"seed: expected a whole number from 0 to 2^64-1, got {seed!r}")
    return int(seed)


def _count(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise InputError(f"{name}: expected a whole number from {low} to {high}, got {value!r}")
    return int(value)


def shapes(count: int = 16, objects: int = 3, seed: int = 0, height: int = 28, width: int = 28) -> Images:
    """Images of ``objects`` overlapping shapes with their labels, generated in memory.

    The same images as the test split of ``gust dataset --test-objects OBJECTS
    --test-size COUNT --seed SEED``.
    """
    return _core.Images.shapes(_count("objects", objects, 1, 1000), _count("count", count, 1, 10**7), _seed(seed),
                               _count("height", height, 1, 65536), _count("width", width, 1, 65536))


def read_images(path: str | os.PathLike, split: str = "test", start: int = 0, count: int | None = None) -> Images:
    """Images ``start .. start+count-1`` of a split of a shapes data set file (all to the end by default)."""
    return _core.Images.read(os.fspath(path), split, _count("start", start, 0, 2**62),
                             None if count is None else _count("count", count, 1, 2**62))


def images_from_arrays(images, labels=None, indices=None) -> Images:
    """Images from numpy arrays: ``images`` [n, height, width], ``labels`` the same shape (0 = background).

    ``indices`` (one whole number per image, default 0..n-1) keys each
    image's random draws: an image gives the same spikes alone or in any batch.
    """
    return _core.Images.from_arrays(images, labels, indices)


def _images_of(images) -> Images:
    if isinstance(images, Images):
        return images
    if isinstance(images, np.ndarray):
        return images_from_arrays(images)
    raise InputError(f"images: expected gust.Images or a numpy array [n, height, width], got {type(images).__name__}")


def _model_of(model) -> Model:
    if isinstance(model, Model):
        return model
    if isinstance(model, (str, os.PathLike)):
        return load_model(model)
    raise InputError(f"model: expected a gust.Model or a model file path, got {type(model).__name__}")


@dataclass(frozen=True)
class Probe:
    """What to record besides spikes: one variable of some units of a population at some steps.

    ``variable``: ``"output"`` (a graded layer's value; the spiking
    population's spikes as 0/1; the context population's output is the
    context each pixel sees) or ``"refractory"`` (the spiking population's
    counters after the step). ``units``: unit numbers, ascending (a list, a
    range or an array; None: all). ``steps``: a ``slice`` or ``range`` of
    steps (None: every step). A plain string ``"context"`` or
    ``"pixels.refractory"`` in ``record=`` is the whole population.
    """
    population: str
    variable: str = "output"
    units: object = None
    steps: object = None

    def _args(self):
        first, end, stride = 0, -1, 1
        if self.steps is not None:
            if not isinstance(self.steps, (slice, range)):
                raise InputError(f"record: {self.population}: steps must be a slice or a range")
            first = 0 if self.steps.start is None else self.steps.start
            end = -1 if self.steps.stop is None else self.steps.stop
            stride = 1 if self.steps.step is None else self.steps.step
            for name, v in (("start", first), ("stop", end), ("step", stride)):
                if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                    raise InputError(f"record: {self.population}: steps {name} must be a whole number")
            if first < 0 or (self.steps.stop is not None and end < 0):
                raise InputError(f"record: {self.population}: steps must not be negative")
        units = None
        if self.units is not None:
            arr = np.asarray(list(self.units) if isinstance(self.units, range) else self.units)
            if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
                raise InputError(f"record: {self.population}: units must be a list of whole numbers")
            units = [int(u) for u in arr]
        return (self.population, self.variable, units, int(first), int(end), int(stride))

    @property
    def name(self) -> str:
        return self.population + (".refractory" if self.variable == "refractory" else "")


def _probe_of(item) -> Probe:
    if isinstance(item, Probe):
        return item
    if isinstance(item, str):
        if item.endswith(".refractory"):
            return Probe(item[: -len(".refractory")], "refractory")
        return Probe(item)
    raise InputError(f"record: expected population names or gust.Probe, got {type(item).__name__}")


def simulate(model, images, cycles: int = 30, seed: int = 1, backend: str = "event", threads: int = 0,
             partitions: int = 1, record=()) -> Run:
    """Simulates every image for ``cycles`` cycles; returns a ``gust.Run``.

    ``backend`` is ``"event"`` or ``"dense"`` (the same spikes, bit for bit);
    ``threads=0`` uses every core; ``partitions`` splits each image's neurons
    into ranges run in parallel (event backend). ``record`` lists what to
    record besides spikes: population names (their output at every step),
    ``"pixels.refractory"``, or ``gust.Probe`` objects for some units and
    steps. ``run.values(name)`` returns [images, steps, units] (name: the
    population, ``population.refractory``, with _2, _3 for repeats);
    ``run.probe(name)`` which units and steps; ``run.save_states(path)`` the
    HDF5 state report. The same options give the spikes ``gust run`` writes.
    """
    if isinstance(record, (str, Probe)):
        record = [record]
    return _core.simulate(_model_of(model), _images_of(images), _count("cycles", cycles, 1, 10**6), _seed(seed),
                          backend, _count("threads", threads, 0, 4096), _count("partitions", partitions, 1, 65536),
                          [_probe_of(r)._args() for r in record])


def _run_spike_table(self):
    """Every spike as a pandas DataFrame: image (its index), step, cycle, phase, neuron."""
    import pandas as pd
    frames = []
    indices = self.images.indices
    for i in range(self.count):
        steps, neurons = self.spikes(i)
        frames.append(pd.DataFrame({"image": np.full(len(steps), indices[i], dtype=np.int64), "step": steps,
                                    "cycle": steps // self.cycle, "phase": steps % self.cycle, "neuron": neurons}))
    return pd.concat(frames, ignore_index=True)


Run.spike_table = _run_spike_table
Run.__repr__ = lambda self: (f"gust.Run({self.count} images x {self.cycles} cycles of {self.cycle} steps, "
                             f"{self.backend} backend, seed {self.seed})")


def read_run(path: str | os.PathLike) -> Run:
    """A spike report written by ``gust run`` (or ``run.save``) as a Run: spikes, images, labels, metadata.

    ``gust.analyze(gust.read_run("spikes.h5"))`` reads grouping out of a CLI run.
    """
    return _core.read_run(os.fspath(path))


def write_dataset(path: str | os.PathLike, train_objects: int = 3, test_objects: int = 3, train_size: int = 20000,
                  test_size: int = 10000, height: int = 28, width: int = 28, seed: int = 0) -> None:
    """Writes a shapes data set file, as ``gust dataset`` with the same options (the same bytes of data)."""
    _core.write_dataset(os.fspath(path), _count("train_objects", train_objects, 1, 1000),
                        _count("test_objects", test_objects, 1, 1000), _count("train_size", train_size, 1, 10**7),
                        _count("test_size", test_size, 1, 10**7), _count("height", height, 1, 4096),
                        _count("width", width, 1, 4096), _seed(seed))


def evaluate(model, objects: int = 3, images: int = 200, data_seed: int = 7, cycles: int = 30, seed: int = 11,
             threads: int = 0, **readout) -> "Analysis":
    """How well a model groups fresh test images of ``objects`` shapes: ``gust evaluate``'s protocol.

    The images of ``gust.shapes(images, objects, data_seed)`` simulated with
    ``seed`` and read out (``readout``: q, syn_q, seed of k-medoids as
    ``kmedoids_seed``, restarts); returns a gust.Analysis.
    """
    m = _model_of(model)
    net = Network(m.description)
    images = _count("images", images, 1, 10**7)
    run = simulate(m, shapes(count=images, objects=objects, seed=data_seed, height=net.height, width=net.width),
                   cycles=cycles, seed=seed, threads=threads)
    if "kmedoids_seed" in readout:
        readout["seed"] = readout.pop("kmedoids_seed")
    return analyze(run, threads=threads, **readout)


_MEASURES = ("ami", "synscore", "active_synscore")


def _measure(measure: str) -> str:
    if measure not in _MEASURES:
        raise InputError(f"measure: {measure!r}: expected one of {', '.join(_MEASURES)}")
    return measure


def _grouping(model, images, cycles, seed, threads, readout) -> Analysis:
    readout = dict(readout)
    if "kmedoids_seed" in readout:
        readout["seed"] = readout.pop("kmedoids_seed")
    return analyze(simulate(model, images, cycles=cycles, seed=seed, threads=threads), threads=threads, **readout)


def select(models, images, measure: str = "active_synscore", cycles: int = 30, seed: int = 11, threads: int = 0,
           **readout):
    """How each of several models groups the same labelled images (``gust select``, ``gust learning-curve``).

    ``models``: Models or model file paths (e.g. a run's snapshots, in
    training order). Returns a DataFrame with one row per model: the final
    cycle's ami, synscore and active_synscore means; ``table.attrs["best"]``
    is the row with the highest ``measure``.
    """
    import pandas as pd
    _measure(measure)
    rows = []
    for k, model in enumerate(models):
        last = _grouping(_model_of(model), _images_of(images), cycles, seed, threads, readout).summary.iloc[-1]
        rows.append({"model": model if isinstance(model, (str, os.PathLike)) else k, "ami": last.ami_mean,
                     "synscore": last.synscore_mean, "active_synscore": last.active_synscore_mean})
    if not rows:
        raise InputError("models: give at least one model")
    table = pd.DataFrame(rows)
    table.attrs["best"] = int(table[measure].to_numpy().argmax())
    return table


def fit_context(model, images, gains=(1.0, 1.1, 1.2, 1.3, 1.4, 1.5), offsets=(0.0, 0.3, 0.6, 0.9, 1.2, 1.5),
                measure: str = "active_synscore", cycles: int = 30, seed: int = 11, threads: int = 0, **readout):
    """Chooses the context gain and offset by grouping, as ``gust fit-context`` (label-free with active_synscore).

    Every (gain, offset) sharpens the model (``model.sharpened``) and is read
    out on ``images``. Returns (the best sharpened model, a DataFrame of the
    grid with its ami, synscore and active_synscore).
    """
    import pandas as pd
    m = _model_of(model)
    if _measure(measure) == "synscore":
        raise InputError("measure: SynScore rises as shapes fall silent, so it cannot choose a gain; "
                         "use active_synscore")
    rows = []
    for g in gains:
        for o in offsets:
            last = _grouping(m.sharpened(float(g), float(o)), _images_of(images), cycles, seed, threads,
                             readout).summary.iloc[-1]
            rows.append({"gain": float(g), "offset": float(o), "ami": last.ami_mean, "synscore": last.synscore_mean,
                         "active_synscore": last.active_synscore_mean})
    if not rows:
        raise InputError("gains: give at least one gain and one offset")
    table = pd.DataFrame(rows)
    best = table.iloc[int(table[measure].to_numpy().argmax())]
    return m.sharpened(float(best.gain), float(best.offset)), table


def compare_models(model_a, model_b, objects: int = 3, images: int = 1000, data_seeds=(7,), cycles: int = 30,
                   seed: int = 11, threads: int = 0, **readout):
    """Whether model A groups better than model B on the same fresh images (``gust compare-models``).

    Per data seed: both models' mean final-cycle AMI and active SynScore and
    the mean paired difference A - B with its standard error (the images'
    scores are paired, so this, not either spread, says whether A is better).
    Returns a DataFrame, one row per data seed and measure.
    """
    import pandas as pd
    a, b = _model_of(model_a), _model_of(model_b)
    net = Network(a.description)
    images = _count("images", images, 1, 10**7)
    rows = []
    for data_seed in data_seeds:
        im = shapes(count=images, objects=objects, seed=data_seed, height=net.height, width=net.width)
        ga, gb = (_grouping(m, im, cycles, seed, threads, readout) for m in (a, b))
        for name in ("ami", "active_synscore"):
            last_a = ga.metrics[ga.metrics.cycle == cycles - 1][name].to_list()
            last_b = gb.metrics[gb.metrics.cycle == cycles - 1][name].to_list()
            rows.append({"data_seed": data_seed, "measure": name, **_core.compare_paired(last_a, last_b)})
    return pd.DataFrame(rows)


def compare(model, images, cycles: int = 30, seed: int = 1, threads: int = 0, partitions: int = 1) -> dict:
    """Runs the dense and the event backend on the same images; says whether every spike agrees.

    Returns a dict: ``identical``, ``images``, ``differing_images``,
    ``first_difference`` (image, step, neuron, only_in) or None, ``spikes``,
    ``dense_seconds``, ``event_seconds``.
    """
    return _core.compare(_model_of(model), _images_of(images), _count("cycles", cycles, 1, 10**6), _seed(seed),
                         _count("threads", threads, 0, 4096), _count("partitions", partitions, 1, 65536))


@dataclass
class Analysis:
    """The grouping read out of a run's spikes (docs/model.md, "Read-out and metrics").

    ``metrics``: one row per image and cycle (image, cycle, ami, synscore,
    active_synscore); ``summary``: per cycle the mean and standard deviation
    over the images; ``clusters``: [images, cycles, height, width], every
    pixel's cluster; ``k``: clusters per image (objects + 1).
    """
    metrics: "pandas.DataFrame"
    summary: "pandas.DataFrame"
    clusters: np.ndarray
    k: np.ndarray


def analyze(run: Run, q: float = 3.0, syn_q: float = 1.0 / 3.0, seed: int = 1, restarts: int = 1,
            threads: int = 0) -> Analysis:
    """Reads grouping out of spike timing, as ``gust analyze`` does on the run's report.

    Each cycle's pixel trains are clustered into objects + 1 groups
    (k-medoids under Victor-Purpura distance at cost ``q``); AMI against the
    ground truth and SynScore (at ``syn_q``) measure the grouping.
    """
    import pandas as pd
    if not isinstance(run, Run):
        raise InputError(f"run: expected a gust.Run, got {type(run).__name__}")
    r = _core.analyze(run, float(q), float(syn_q), _seed(seed), _count("restarts", restarts, 1, 1000),
                      _count("threads", threads, 0, 4096))
    n, cycles = r["ami"].shape
    metrics = pd.DataFrame({
        "image": np.repeat(run.images.indices, cycles),
        "cycle": np.tile(np.arange(cycles), n),
        "ami": r["ami"].ravel(), "synscore": r["synscore"].ravel(),
        "active_synscore": r["active_synscore"].ravel(),
    })
    # Population standard deviation (ddof = 0), as gust analyze's summary.csv.
    summary = metrics.groupby("cycle").agg(
        ami_mean=("ami", "mean"), ami_std=("ami", lambda v: v.std(ddof=0)),
        synscore_mean=("synscore", "mean"), synscore_std=("synscore", lambda v: v.std(ddof=0)),
        active_synscore_mean=("active_synscore", "mean"),
        active_synscore_std=("active_synscore", lambda v: v.std(ddof=0)),
    ).reset_index()
    return Analysis(metrics=metrics, summary=summary, clusters=r["clusters"], k=r["k"])


def train_defaults() -> dict:
    """The default of every training option (the values ``gust train`` uses)."""
    d = _core.train_defaults()
    return {_keyword.get(k, k): v for k, v in d.items()}


# Python keywords for the library's configuration fields.
_keyword = {"data_path": "data", "network_path": "network", "init_path": "init"}
_field = {v: k for k, v in _keyword.items()}


def train(out: str | os.PathLike, data: str | os.PathLike | None = None, *, resume: bool = False, threads: int = 0,
          checkpoint_every: int = 0, keep_every: int = 0, progress=True, stop_after_batches: int = 0,
          **options) -> str:
    """Trains a model in the run folder ``out``, as ``gust train`` does (the same bits for the same options).

    ``data`` is a shapes data set file. Other options (see
    ``gust.train_defaults()``): split, epochs, batch, lr, cycles,
    min_cycles, seed, keep_prob, val_fraction, patience, train_size, hidden,
    inner, lr_milestones (a list), network (a TOML description file) and init
    (a model file to start from). ``resume=True`` continues the run in
    ``out`` from its checkpoint (epochs, patience and data may change).

    ``progress``: True shows a tqdm progress bar, False nothing, or a
    callable receiving a dict per batch and per epoch. Ctrl-C stops at the
    next batch with the checkpoint whole and raises KeyboardInterrupt; the run
    resumes to the same bits. Returns how the run ended: "completed",
    "stopped_early", "already_finished" or "interrupted" (stop_after_batches).
    The folder holds checkpoint.h5, log.csv, best.h5 and last.h5.
    """
    fields = {}
    for key, value in options.items():
        if key in _field.values():
            raise InputError(f"{key}: not a keyword here; use {_keyword[key]}=")
        fields[_field.get(key, key)] = os.fspath(value) if key in _field and value is not None else value
    if data is not None:
        fields["data_path"] = os.fspath(data)
    for key in ("network_path", "init_path"):
        if fields.get(key) is None:
            fields.pop(key, None)
    if "lr_milestones" in fields:
        fields["lr_milestones"] = [int(m) for m in fields["lr_milestones"]]
    callback, bar = _progress(progress)
    try:
        return _core.train(os.fspath(out), fields, bool(resume), _count("threads", threads, 0, 4096),
                           _count("checkpoint_every", checkpoint_every, 0, 10**6),
                           _count("keep_every", keep_every, 0, 10**6),
                           _count("stop_after_batches", stop_after_batches, 0, 10**6), callback)
    finally:
        if bar is not None:
            bar.close()


def _progress(progress):
    if callable(progress):
        return progress, None
    if not progress:
        return None, None
    from tqdm.auto import tqdm
    bar = tqdm(unit="batch", dynamic_ncols=True)

    def show(p):
        if bar.total != p["batches"] * p["epochs"]:
            bar.total = p["batches"] * p["epochs"]
        done = p["epoch"] * p["batches"] + p["batch"]
        bar.update(done - bar.n)
        if p["epoch_done"]:
            bar.set_postfix(epoch=p["epoch"] + 1, train=f"{p['train_loss']:.6f}", val=f"{p['val_loss']:.6f}")
        else:
            bar.set_postfix(epoch=p["epoch"] + 1, train=f"{p['train_loss']:.6f}")
    return show, bar


from . import plot  # noqa: E402  (plots use the names above)
