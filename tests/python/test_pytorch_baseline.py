"""The PyTorch baseline of benchmarks/ computes what the published
implementation computes: fed a golden trace's recorded draws, it fires the
trace's spikes and reproduces its loss and gradients, so the times it
measures stand for the original's."""
import subprocess
import sys

from conftest import REPO

SCRIPT = REPO / "benchmarks" / "pytorch_baseline.py"
TRACES = [REPO / "tests/fixtures/golden" / n for n in
          ("reference_trace_init_B4_IT3.h5", "reference_trace_trained_B2_IT8.h5")]


def run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True)


def test_reproduces_both_golden_traces():
    r = run("--check-only", "--check", TRACES[0], "--check", TRACES[1])
    assert r.returncode == 0, r.stdout + r.stderr
    for t in TRACES:
        line = next(l for l in r.stdout.splitlines() if l.startswith(f"check {t.name}"))
        assert ": PASS - " in line and " 0 of " in line, line


def test_bad_options_are_refused_with_status_2(tmp_path):
    for args in (["--latency-cycles", "0"], ["--check", tmp_path / "none.h5", "--check-only"], ["--gust-build", tmp_path]):
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.strip().count("\n") <= 1 and r.stderr.strip(), (args, r.stderr)
