"""What the Python tests share: the gust binary of the build (GUST_BINARY, or
build/gust beside the sources), the Python module of the same build
(build/python, imported ahead of any installed copy), and a small report
simulated with the binary."""
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(os.environ.get("GUST_PYTHONPATH", REPO / "build" / "python"))))


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


@pytest.fixture(scope="session")
def shipped_model():
    return REPO / "examples" / "models" / "gust_3shapes.h5"


@pytest.fixture(scope="session")
def dataset(gust, tmp_path_factory):
    """A small shapes data set file: 300 training, 8 test images."""
    d = tmp_path_factory.mktemp("data")
    subprocess.run([gust, "dataset", "--train-objects", "3", "--test-objects", "3", "--train-size", "300",
                    "--test-size", "8", "--seed", "4", "--out", str(d / "d.h5")], check=True, capture_output=True)
    return d / "d.h5"


@pytest.fixture(scope="session")
def gust_cli(gust):
    """The binary's path, for tests that also import the module gust."""
    return gust
