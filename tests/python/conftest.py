"""What the Python tests share: the gust binary of the build (GUST_BINARY, or
build/gust beside the sources) and a small report simulated with it."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def gust():
    path = pathlib.Path(os.environ.get("GUST_BINARY", REPO / "build" / "gust"))
    assert path.is_file(), f"{path}: no gust binary (run scripts/bootstrap first)"
    return str(path)


@pytest.fixture(scope="session")
def report(gust, tmp_path_factory):
    """A SONATA report of 3 test images, 4 cycles, from the shipped model."""
    d = tmp_path_factory.mktemp("report")
    subprocess.run([gust, "dataset", "--train-objects", "3", "--test-objects", "3", "--train-size", "1",
                    "--test-size", "3", "--seed", "5", "--out", str(d / "d.h5")], check=True, capture_output=True)
    subprocess.run([gust, "run", "--model", str(REPO / "examples/models/gust_3shapes.h5"), "--data", str(d / "d.h5"),
                    "--images", "0:3", "--cycles", "4", "--seed", "2", "--out", str(d / "s.h5")],
                   check=True, capture_output=True)
    return d / "s.h5"
