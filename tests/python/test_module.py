"""The Python module gust: every function against the CLI's behaviour, numpy
shapes, and bad input as gust.InputError with the CLI's one-line message."""
import pathlib
import subprocess

import h5py
import numpy as np
import pytest

import gust

REPO = pathlib.Path(__file__).resolve().parents[2]
NETWORKS = REPO / "examples" / "networks"


def test_network_from_file_dict_and_paper_agree():
    paper = gust.Network.read(NETWORKS / "paper.toml")
    assert paper == gust.Network.paper()
    assert gust.Network.from_dict(paper.to_dict()) == paper
    assert paper.populations == ["pixels", "enc1", "hidden", "dec1", "context"]
    assert (paper.height, paper.width, paper.cycle, paper.readout) == (28, 28, 10, "pixels")
    deep = gust.Network.read(NETWORKS / "deep_decoder.toml")
    assert deep != paper and "dec2" in deep.populations


def test_memory_is_counted_from_the_description_and_refused_beyond_the_limit():
    paper = gust.Network.paper()
    m = paper.memory()
    model = gust.init_model(paper, seed=1)
    weights = sum(w.size for w in model.weights().values())
    biases = sum(b.size for b in model.biases().values())
    assert m["weights"] == 4 * weights  # dense sets: one float per weight
    assert m["trainable_values"] == weights + biases
    assert m["training"] == m["weights"] + 20 * m["trainable_values"]
    assert m["limit_set_by"] in ("machine", "control group", "address space") and m["limit"] > m["training"]
    d = paper.to_dict()
    d["population"][2]["size"] = 2_000_000_000  # hidden
    huge = gust.Network.from_dict(d)
    assert huge.memory()["weights"] > huge.memory()["limit"]
    with pytest.raises(gust.InputError, match="GiB, more than"):
        gust.init_model(huge)


def test_network_refusals_name_the_key():
    d = gust.Network.paper().to_dict()
    d["population"][1]["size"] = 0
    with pytest.raises(gust.InputError, match="size"):
        gust.Network.from_dict(d)
    d = gust.Network.paper().to_dict()
    d["colour"] = "red"
    with pytest.raises(gust.InputError, match="colour"):
        gust.Network.from_dict(d)
    with pytest.raises(gust.InputError, match=r"network\.toml:1"):
        gust.Network.parse("cycle = -1\n", "network.toml")
    with pytest.raises(FileNotFoundError):
        gust.Network.read("/no/such/net.toml")


def test_init_model_equals_gust_init(gust_cli, tmp_path):
    subprocess.run([gust_cli, "init", "--network", str(NETWORKS / "deep_decoder.toml"), "--seed", "3",
                    "--out", str(tmp_path / "cli.h5")], check=True, capture_output=True)
    model = gust.init_model(NETWORKS / "deep_decoder.toml", seed=3)
    model.save(str(tmp_path / "py.h5"))
    cli, py = gust.load_model(tmp_path / "cli.h5"), gust.load_model(tmp_path / "py.h5")
    for name, w in cli.weights().items():
        other = py.weights()[name]
        if isinstance(w, dict):  # CSR
            assert w["shape"] == other["shape"], name
            assert all(np.array_equal(w[k], other[k]) for k in ("data", "indices", "indptr")), name
        else:
            assert np.array_equal(w, other), name
    for name, b in cli.biases().items():
        assert np.array_equal(b, py.biases()[name]), name
    assert model.network == gust.Network.read(NETWORKS / "deep_decoder.toml")


def test_init_model_file_writes_the_bytes_of_init_model_and_gust_init(gust_cli, tmp_path):
    # A local network whose sets are drawn as they are written; a dense one.
    for name, network in [("local", NETWORKS / "sparse_local_128.toml"), ("paper", None)]:
        written = gust.init_model_file(tmp_path / f"{name}_drawn.h5", network, seed=5)
        model = gust.init_model(network, seed=5)
        model.save(str(tmp_path / f"{name}_held.h5"))
        drawn = (tmp_path / f"{name}_drawn.h5").read_bytes()
        assert drawn == (tmp_path / f"{name}_held.h5").read_bytes(), name
        assert written == model.synapses(), name
    subprocess.run([gust_cli, "init", "--network", str(NETWORKS / "sparse_local_128.toml"), "--seed", "5",
                    "--out", str(tmp_path / "cli.h5")], check=True, capture_output=True)
    assert (tmp_path / "cli.h5").read_bytes() == (tmp_path / "local_drawn.h5").read_bytes()
    with pytest.raises(gust.InputError, match="network"):
        gust.init_model_file(tmp_path / "bad.h5", {"cycle": 0}, seed=1)
    assert not (tmp_path / "bad.h5").exists()


def test_sparse_weights_come_out_as_csr():
    model = gust.init_model(gust.Network.paper(sparse_fan_in=16), seed=1)
    w = model.weights()["encoder/fc1"]
    assert w["shape"] == (512, 784) and w["indptr"][-1] == len(w["data"]) == 512 * 16
    assert model.synapses() == sum(len(v["data"]) for v in model.weights().values())


def test_images_generated_read_and_from_arrays_agree(dataset):
    generated = gust.shapes(count=4, objects=3, seed=4)
    read = gust.read_images(dataset, split="test", start=0, count=4)
    assert generated.pixels.shape == (4, 28, 28) and generated.labels.shape == (4, 28, 28)
    assert np.array_equal(generated.pixels, read.pixels) and np.array_equal(generated.labels, read.labels)
    copy = gust.images_from_arrays(read.pixels.astype(np.float64), read.labels, indices=[5, 6, 7, 8])
    assert np.array_equal(copy.pixels, read.pixels) and list(copy.indices) == [5, 6, 7, 8]
    assert not generated.pixels.flags.writeable
    with pytest.raises(gust.InputError, match=r"images: expected shape \(any, any, any\), got \(4, 784\)"):
        gust.images_from_arrays(np.zeros((4, 784)))
    with pytest.raises(gust.InputError, match=r"labels: expected shape \(4, 28, 28\), got \(4, 28, 27\)"):
        gust.images_from_arrays(read.pixels, np.zeros((4, 28, 27)))
    with pytest.raises(gust.InputError, match="dtype"):
        gust.images_from_arrays(np.array([[["a"]]]))
    with pytest.raises(gust.InputError, match="finite"):
        gust.images_from_arrays(np.full((1, 2, 2), np.nan))


def test_simulate_gives_the_spikes_gust_run_writes(gust_cli, dataset, shipped_model, tmp_path):
    subprocess.run([gust_cli, "run", "--model", str(shipped_model), "--data", str(dataset), "--images", "2:6",
                    "--cycles", "6", "--seed", "9", "--out", str(tmp_path / "cli.h5")], check=True, capture_output=True)
    images = gust.read_images(dataset, split="test", start=2, count=4)
    for backend in ("event", "dense"):
        run = gust.simulate(shipped_model, images, cycles=6, seed=9, backend=backend, threads=2)
        with h5py.File(tmp_path / "cli.h5") as f:
            for k, index in enumerate(images.indices):
                steps, neurons = run.spikes(k)
                assert np.array_equal(f[f"spikes/image_{index}/timestamps"][:], steps.astype(np.float64))
                assert np.array_equal(f[f"spikes/image_{index}/node_ids"][:], neurons.astype(np.uint64))
    run.save(str(tmp_path / "py.h5"))
    with h5py.File(tmp_path / "py.h5") as a, h5py.File(tmp_path / "cli.h5") as b:
        for k in b["spikes"]:
            assert np.array_equal(a[f"spikes/{k}/node_ids"][:], b[f"spikes/{k}/node_ids"][:])
            assert np.array_equal(a[f"gust/{k}/labels"][:], b[f"gust/{k}/labels"][:])


def test_recorded_populations_are_the_network_outputs(shipped_model):
    images = gust.shapes(count=3, objects=2, seed=1)
    run = gust.simulate(shipped_model, images, cycles=3, record=["context", "pixels", "pixels.refractory"])
    context, pixels, refractory = run.values("context"), run.values("pixels"), run.values("pixels.refractory")
    assert context.shape == (3, 30, 784) and context.dtype == np.float32
    assert np.all((context >= 0) & (context <= 1)) and context.std() > 0.01
    assert refractory.max() == 8 and refractory.min() == 0  # tau - 1 right after a spike
    # The spiking population's output is its spikes, the same as run.spikes.
    for k in range(3):
        steps, neurons = run.spikes(k)
        assert np.array_equal(np.argwhere(pixels[k] == 1), np.stack([steps, neurons], axis=1))
    dense = gust.simulate(shipped_model, images, cycles=3, record="context", backend="dense")
    assert np.array_equal(dense.values("context"), context)
    with pytest.raises(gust.InputError, match="record: 'nope': no such population"):
        gust.simulate(shipped_model, images, cycles=3, record=["nope"])
    with pytest.raises(gust.InputError, match="was not recorded"):
        run.values("hidden")


def test_probes_select_units_and_steps_and_save_a_state_report(shipped_model, tmp_path):
    images = gust.shapes(count=2, objects=3, seed=6)
    whole = gust.simulate(shipped_model, images, cycles=4, record=["context", "pixels.refractory"])
    probe = gust.Probe("context", units=[3, 200, 201, 783], steps=slice(5, 31, 5))
    part = gust.simulate(shipped_model, images, cycles=4,
                         record=[probe, gust.Probe("pixels", "refractory", units=range(100, 110))])
    ctx = part.values("context")
    assert ctx.shape == (2, 6, 4)
    np.testing.assert_array_equal(ctx, whole.values("context")[:, 5:31:5][:, :, [3, 200, 201, 783]])
    np.testing.assert_array_equal(part.values("pixels.refractory"),
                                  whole.values("pixels.refractory")[:, :, 100:110])
    info = part.probe("context")
    assert list(info["units"]) == [3, 200, 201, 783] and list(info["steps"]) == [5, 10, 15, 20, 25, 30]
    part.save_states(str(tmp_path / "states.h5"))
    with h5py.File(tmp_path / "states.h5") as f:
        np.testing.assert_array_equal(f["report/context/data"][:], ctx)
        assert list(f["report/context/mapping/node_ids"][:]) == [3, 200, 201, 783]
        assert list(f["report/context/mapping/time"][:]) == [5.0, 31.0, 5.0]
        assert f["report/pixels.refractory"].attrs["variable"] == "refractory"
    for bad, word in [(gust.Probe("hidden", "refractory"), "no refractory counters"),
                      (gust.Probe("context", units=[5, 3]), "ascending"),
                      (gust.Probe("context", units=[784]), "does not exist"),
                      (gust.Probe("context", steps=slice(0, 10, 0)), "stride"),
                      (gust.Probe("context", variable="voltage"), "voltage"),
                      (gust.Probe("context", units=[0.5]), "whole numbers")]:
        with pytest.raises(gust.InputError, match=word):
            gust.simulate(shipped_model, images, cycles=1, record=[bad])
    with pytest.raises(gust.InputError, match="recorded nothing"):
        gust.simulate(shipped_model, images, cycles=1).save_states(str(tmp_path / "x.h5"))
    assert not (tmp_path / "x.h5").exists()
    # Records beyond the machine's memory (6 images of a million steps of
    # 3,776 values: 90 GB) are refused before the run.
    many = gust.shapes(count=6, objects=2, seed=1)
    with pytest.raises(gust.InputError, match="record: recording 6 images of 1000000 steps holds 84 GiB"):
        gust.simulate(shipped_model, many, cycles=100000,
                      record=["context", "pixels", "pixels.refractory", "enc1", "hidden", "dec1"])


def test_spike_table(shipped_model):
    run = gust.simulate(shipped_model, gust.shapes(count=2, seed=3), cycles=2)
    table = run.spike_table()
    assert list(table.columns) == ["image", "step", "cycle", "phase", "neuron"]
    assert len(table) == sum(len(run.spikes(k)[0]) for k in range(2))
    assert (table.cycle * 10 + table.phase == table.step).all()


def test_compare_reports_identity(shipped_model):
    r = gust.compare(shipped_model, gust.shapes(count=3, seed=2), cycles=4, threads=1)
    assert r["identical"] and r["differing_images"] == 0 and r["first_difference"] is None and r["spikes"] > 0


def test_analyze_equals_gust_analyze(gust_cli, shipped_model, tmp_path):
    images = gust.shapes(count=4, objects=3, seed=8)
    run = gust.simulate(shipped_model, images, cycles=5, seed=3)
    run.save(str(tmp_path / "s.h5"))
    subprocess.run([gust_cli, "analyze", "--spikes", str(tmp_path / "s.h5"), "--out-dir", str(tmp_path / "a")],
                   check=True, capture_output=True)
    import pandas as pd
    cli = pd.read_csv(tmp_path / "a" / "metrics.csv")
    a = gust.analyze(run)
    assert len(a.metrics) == 4 * 5 and a.clusters.shape == (4, 5, 28, 28)
    np.testing.assert_allclose(a.metrics.ami.to_numpy(), cli.ami.to_numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(a.metrics.synscore.to_numpy(), cli.synscore.to_numpy(), rtol=0, atol=1e-6, equal_nan=True)
    assert list(a.summary.cycle) == [0, 1, 2, 3, 4]
    assert a.summary.ami_mean.iloc[-1] == pytest.approx(a.metrics[a.metrics.cycle == 4].ami.mean())
    with pytest.raises(gust.InputError, match="restarts"):
        gust.analyze(run, restarts=0)


def test_plots_return_figures(shipped_model, tmp_path):
    run = gust.simulate(shipped_model, gust.shapes(count=2, seed=5), cycles=4)
    a = gust.analyze(run)
    for fig in (gust.plot.raster(run, 1), gust.plot.binding(run, 0, a), gust.plot.metrics(a)):
        fig.savefig(tmp_path / "f.png")
        assert (tmp_path / "f.png").stat().st_size > 1000
    with pytest.raises(gust.InputError, match="image: 7"):
        gust.plot.raster(run, 7)


def test_sharpen_and_average(shipped_model):
    m = gust.load_model(shipped_model)
    same = m.sharpened(gain=1.0, offset=0.0)
    assert all(np.array_equal(a, same.weights()[k]) for k, a in m.weights().items())
    sharp = m.sharpened(gain=2.0, offset=0.5)
    np.testing.assert_array_equal(sharp.weights()["decoder/fc2"], np.float32(2.0) * m.weights()["decoder/fc2"])
    avg = gust.Model.average([m, sharp], [1.0, 0.0])
    np.testing.assert_array_equal(avg.weights()["decoder/fc2"], m.weights()["decoder/fc2"])
    with pytest.raises(gust.InputError, match="gain"):
        m.sharpened(gain=-1.0, offset=0.0)


def test_train_gives_gust_train_bits_and_resumes(gust_cli, dataset, tmp_path):
    options = ["--epochs", "2", "--batch", "64", "--cycles", "3", "--seed", "5", "--train-size", "200",
               "--lr-milestones", "1", "--threads", "2"]
    subprocess.run([gust_cli, "train", "--data", str(dataset), "--out", str(tmp_path / "cli")] + options,
                   check=True, capture_output=True)
    seen = []
    outcome = gust.train(tmp_path / "py", dataset, epochs=2, batch=64, cycles=3, seed=5, train_size=200,
                         lr_milestones=[1], threads=2, progress=seen.append)
    assert outcome == "completed"
    a, b = (tmp_path / "cli" / "last.h5").read_bytes(), (tmp_path / "py" / "last.h5").read_bytes()
    assert a == b
    assert any(p["epoch_done"] for p in seen) and seen[-1]["epoch"] == 1
    # Stopped after two batches, then resumed: the same bytes.
    assert gust.train(tmp_path / "part", dataset, epochs=2, batch=64, cycles=3, seed=5, train_size=200,
                      lr_milestones=[1], threads=1, progress=False, stop_after_batches=2) == "interrupted"
    assert gust.train(tmp_path / "part", resume=True, progress=False) == "completed"
    assert (tmp_path / "part" / "last.h5").read_bytes() == a
    assert gust.train(tmp_path / "part", resume=True, progress=False) == "already_finished"
    with pytest.raises(gust.InputError, match="seed: 6 differs from the run being resumed"):
        gust.train(tmp_path / "part", resume=True, seed=6, progress=False)


def test_train_refusals(dataset, tmp_path):
    with pytest.raises(gust.InputError, match="batch: must be positive"):
        gust.train(tmp_path / "r", dataset, batch=0, progress=False)
    with pytest.raises(gust.InputError, match="colour: not a training option"):
        gust.train(tmp_path / "r", dataset, colour=1, progress=False)
    with pytest.raises(FileNotFoundError):
        gust.train(tmp_path / "r", tmp_path / "missing.h5", progress=False)
    with pytest.raises(FileNotFoundError):
        gust.train(tmp_path / "nothing", resume=True, progress=False)
    assert not (tmp_path / "r").exists()
    defaults = gust.train_defaults()
    assert defaults["batch"] == 1024 and defaults["lr_milestones"] == [60, 100, 200]


def test_bad_arguments_are_input_errors(shipped_model):
    images = gust.shapes(count=1)
    for kwargs, word in [({"cycles": 0}, "cycles"), ({"seed": -1}, "seed"), ({"threads": -2}, "threads"),
                         ({"partitions": 0}, "partitions"), ({"backend": "gpu"}, "backend")]:
        with pytest.raises(gust.InputError, match=word):
            gust.simulate(shipped_model, images, **kwargs)
    with pytest.raises(gust.InputError, match="images are 20x20|the images are 20x20"):
        gust.simulate(shipped_model, gust.shapes(count=1, height=20, width=20))
    with pytest.raises(ValueError):
        gust.load_model(REPO / "README.md")


def test_with_network_changes_constants_not_weights(shipped_model):
    m = gust.load_model(shipped_model)
    d = m.network.to_dict()
    d["projection"][1]["release_p"] = 0.9
    v = m.with_network(d)
    assert v.network.to_dict()["projection"][1]["release_p"] == pytest.approx(0.9)
    assert all(np.array_equal(a, v.weights()[k]) for k, a in m.weights().items())
    images = gust.shapes(count=2, seed=1)
    a, b = gust.simulate(m, images, cycles=10), gust.simulate(v, images, cycles=10)
    assert any(not np.array_equal(a.spikes(k)[1], b.spikes(k)[1]) for k in range(2))
    d["population"][1]["size"] = 100
    with pytest.raises(gust.InputError):
        m.with_network(d)


@pytest.mark.parametrize("script,args", [("quick_start.py", None), ("release_sweep.py", "4")])
def test_examples_run_as_written(script, args, tmp_path):
    import os
    import sys
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(gust.__file__).parents[1]), MPLBACKEND="Agg")
    cmd = [sys.executable, str(REPO / "examples" / "python" / script), str(tmp_path) if args is None else args]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    if script == "quick_start.py":
        assert (tmp_path / "binding_0.png").stat().st_size > 1000 and "AMI" in r.stdout
    else:
        assert len(r.stdout.strip().splitlines()) == 6  # header + five release probabilities


def test_pip_installs_the_module_offline_into_a_venv(tmp_path):
    import os
    import sys
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    build = pathlib.Path(gust.__file__).parents[2]  # <build>/python/gust/__init__.py
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index", "--quiet", str(REPO)],
                       env=dict(os.environ, GUST_BUILD_DIR=str(build)), capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    code = ("import gust; r = gust.simulate(gust.load_model(%r), gust.shapes(count=2, seed=4), cycles=3); "
            "print(gust.__file__); print(sum(len(r.spikes(k)[0]) for k in range(2)))"
            % str(REPO / "examples" / "models" / "gust_3shapes.h5"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[0].startswith(str(venv))
    here = gust.simulate(gust.load_model(REPO / "examples" / "models" / "gust_3shapes.h5"), gust.shapes(count=2, seed=4),
                         cycles=3)
    assert int(out[1]) == sum(len(here.spikes(k)[0]) for k in range(2))


def test_ctrl_c_stops_inside_a_batch_and_the_run_resumes_to_the_same_bits(dataset, tmp_path):
    import os
    import signal
    import sys
    import time
    options = dict(epochs=1, batch=270, cycles=30, seed=2, train_size=300, threads=1)
    # Ctrl-C raises KeyboardInterrupt, as in an interactive Python, even when
    # the suite itself runs in the background, where SIGINT comes ignored.
    script = ("import signal, sys, gust\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"
              "print('started', flush=True)\n"
              f"gust.train(sys.argv[1], {str(dataset)!r}, progress=False, **{options!r})\n")
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(gust.__file__).parents[1]))
    p = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "cut")], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    # The run writes its first checkpoint before the epoch's one batch, which
    # takes 1.4 s or more on one thread: 0.3 s after the file appears, the
    # run is inside that batch, however fast or loaded the machine.
    deadline = time.monotonic() + 60
    while not (tmp_path / "cut" / "checkpoint.h5").exists():
        assert time.monotonic() < deadline and p.poll() is None, "the run never wrote its first checkpoint"
        time.sleep(0.01)
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode != 0 and "KeyboardInterrupt" in err
    with h5py.File(tmp_path / "cut" / "checkpoint.h5") as f:
        state = {k: int(f.attrs[k]) for k in ("epoch", "batch_in_epoch")}
    assert state.get("batch_in_epoch") == 0 and state.get("epoch") == 0, state  # stopped inside the batch
    assert gust.train(tmp_path / "cut", resume=True, progress=False) == "completed"
    assert gust.train(tmp_path / "whole", dataset, progress=False, **options) == "completed"
    assert (tmp_path / "cut" / "last.h5").read_bytes() == (tmp_path / "whole" / "last.h5").read_bytes()


def test_the_engine_releases_the_gil(shipped_model):
    import threading
    model = gust.load_model(shipped_model)
    images = [gust.shapes(count=8, objects=3, seed=s) for s in (1, 2)]
    alone = [gust.simulate(model, im, cycles=20, threads=1) for im in images]
    results, ticks = [None, None], [0]

    def work(k):
        results[k] = gust.simulate(model, images[k], cycles=20, threads=1)

    workers = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for w in workers:
        w.start()
    while any(w.is_alive() for w in workers):  # Python runs while both engines work
        ticks[0] += 1
    for w in workers:
        w.join()
    for k in range(2):
        for i in range(8):
            assert all(np.array_equal(a, b) for a, b in zip(results[k].spikes(i), alone[k].spikes(i)))
    assert ticks[0] > 10000  # held, the GIL would let this loop run only between the calls


def test_read_run_write_dataset_evaluate_and_topology(gust_cli, shipped_model, tmp_path):
    import pandas as pd
    gust.write_dataset(tmp_path / "py.h5", train_size=5, test_size=6, seed=9)
    subprocess.run([gust_cli, "dataset", "--train-objects", "3", "--test-objects", "3", "--train-size", "5",
                    "--test-size", "6", "--seed", "9",
                    "--out", str(tmp_path / "cli.h5")], check=True, capture_output=True)
    with h5py.File(tmp_path / "py.h5") as a, h5py.File(tmp_path / "cli.h5") as b:
        assert sorted(a) == sorted(b)
        for split in b:
            for d in ("default", "groups"):
                np.testing.assert_array_equal(a[f"{split}/{d}"][:], b[f"{split}/{d}"][:])
    # A CLI run read back and analysed in Python, as gust analyze reads it.
    subprocess.run([gust_cli, "run", "--model", str(shipped_model), "--data", str(tmp_path / "cli.h5"), "--images", "0:4",
                    "--cycles", "4", "--seed", "5", "--out", str(tmp_path / "s.h5")], check=True, capture_output=True)
    run = gust.read_run(tmp_path / "s.h5")
    assert (run.count, run.cycles, run.cycle, run.seed) == (4, 4, 10, 5)
    again = gust.simulate(shipped_model, gust.read_images(tmp_path / "cli.h5", count=4), cycles=4, seed=5)
    for k in range(4):
        assert all(np.array_equal(a, b) for a, b in zip(run.spikes(k), again.spikes(k)))
    pd.testing.assert_frame_equal(gust.analyze(run).metrics, gust.analyze(again).metrics)
    with pytest.raises(gust.InputError, match="not a SONATA spike report"):
        gust.read_run(REPO / "examples" / "models" / "gust_3shapes.h5")
    # gust evaluate's numbers.
    subprocess.run([gust_cli, "evaluate", "--model", str(shipped_model), "--shapes", "2", "--images", "4", "--cycles", "3",
                    "--out-dir", str(tmp_path / "ev")], check=True, capture_output=True)
    cli = pd.read_csv(tmp_path / "ev" / "objects_2" / "metrics.csv")
    mine = gust.evaluate(shipped_model, objects=2, images=4, cycles=3)
    np.testing.assert_allclose(mine.metrics.ami.to_numpy(), cli.ami.to_numpy(), atol=1e-6)
    # Topology: every projection with its storage.
    topo = gust.load_model(shipped_model).topology()
    assert [t["source"] for t in topo] == ["pixels", "pixels", "enc1", "hidden", "dec1"]
    assert topo[1]["weights"] == "encoder/fc1" and topo[1]["release_p"] == pytest.approx(0.5)
    assert sum(t["synapses"] for t in topo if t["weights"] != "encoder/fc1" or t["projection"] == 0) == \
        gust.load_model(shipped_model).synapses()


def test_train_shows_a_tqdm_bar(dataset, tmp_path, capsys):
    assert gust.train(tmp_path / "bar", dataset, epochs=1, batch=100, cycles=2, train_size=200, threads=1) == "completed"
    err = capsys.readouterr().err
    assert "batch" in err and "val=" in err  # the bar's unit and its epoch-end figures


def test_select_fit_context_and_compare_models_follow_the_cli(gust_cli, shipped_model, tmp_path):
    import re
    fresh = tmp_path / "fresh.h5"
    gust.init_model(seed=1).save(str(fresh))
    images = gust.shapes(count=6, objects=3, seed=5)
    table = gust.select([shipped_model, fresh], images, cycles=4)
    for k, m in enumerate([shipped_model, fresh]):
        last = gust.evaluate(m, objects=3, images=6, data_seed=5, cycles=4).summary.iloc[-1]
        assert table.ami[k] == pytest.approx(last.ami_mean) and table.active_synscore[k] == pytest.approx(
            last.active_synscore_mean)
    assert table.attrs["best"] == int(table.active_synscore.to_numpy().argmax())
    best, grid = gust.fit_context(shipped_model, images, gains=(1.0, 1.3), offsets=(0.0, 1.5), cycles=4)
    assert len(grid) == 4 and grid.ami[0] == pytest.approx(table.ami[0])  # gain 1, offset 0: the model itself
    row = grid.iloc[int(grid.active_synscore.to_numpy().argmax())]
    m = gust.load_model(shipped_model).sharpened(row.gain, row.offset)
    assert np.array_equal(best.weights()["decoder/fc2"], m.weights()["decoder/fc2"])
    with pytest.raises(gust.InputError, match="cannot choose a gain"):
        gust.fit_context(shipped_model, images, measure="synscore")
    # gust compare-models prints the same means and paired difference.
    out = subprocess.run([gust_cli, "compare-models", "--model-a", str(shipped_model), "--model-b", str(fresh),
                          "--images", "6", "--cycles", "4"], check=True, capture_output=True, text=True).stdout
    mine = gust.compare_models(shipped_model, fresh, images=6, cycles=4)
    for name, label in (("ami", "AMI"), ("active_synscore", "active SynScore")):
        a, b, diff, se = map(float, re.search(label + r"\s+A ([-\d.]+), B ([-\d.]+); A - B ([-+\d.]+) \+- ([\d.]+)",
                                              out).groups())
        r = mine[mine.measure == name].iloc[0]
        assert (r.mean_a, r.mean_b) == (pytest.approx(a, abs=6e-4), pytest.approx(b, abs=6e-4))
        assert (r.mean_diff, r.std_error) == (pytest.approx(diff, abs=6e-5), pytest.approx(se, abs=6e-5))


def test_model_choice_and_data_set_refusals(shipped_model, tmp_path):
    images = gust.shapes(count=2, seed=1)
    with pytest.raises(gust.InputError, match="measure: 'ami_max'"):
        gust.select([shipped_model], images, measure="ami_max")
    with pytest.raises(gust.InputError, match="models: give at least one model"):
        gust.select([], images)
    with pytest.raises(gust.InputError, match="gains: give at least one"):
        gust.fit_context(shipped_model, images, gains=())
    with pytest.raises(gust.InputError, match="gain"):
        gust.fit_context(shipped_model, images, gains=(0.0,))
    with pytest.raises(FileNotFoundError):
        gust.compare_models(shipped_model, tmp_path / "missing.h5", images=2)
    with pytest.raises(gust.InputError, match="images: expected a whole number"):
        gust.evaluate(shipped_model, images=0)
    with pytest.raises(gust.InputError, match="at least 7x12"):
        gust.write_dataset(tmp_path / "d.h5", height=5, width=5)  # the 7 x 12 triangles do not fit
    with pytest.raises(gust.InputError, match="train_size: expected a whole number"):
        gust.write_dataset(tmp_path / "d.h5", train_size=-1)
    assert not (tmp_path / "d.h5").exists()
