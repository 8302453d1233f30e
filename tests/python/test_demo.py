"""The README's first command: scripts/demo runs end to end, the trained
model groups the fresh images and the untrained one does not."""
import re
import subprocess

from conftest import REPO


def test_demo_runs_and_the_trained_model_groups(tmp_path):
    out = tmp_path / "demo"
    r = subprocess.run([str(REPO / "scripts" / "demo"), str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ami = {m.group(1): float(m.group(2)) for m in re.finditer(r"(trained|untrained) model.*?AMI (-?[0-9.]+)", r.stdout)}
    assert ami["trained"] > 0.6 and abs(ami["untrained"]) < 0.1, r.stdout
    for f in ("spikes_trained.h5", "analysis_trained/metrics.csv", "analysis_trained/figures/metrics_vs_step.png"):
        assert (out / f).is_file(), f
    # Run again into the same folder: the earlier outputs are replaced whole.
    assert subprocess.run([str(REPO / "scripts" / "demo"), str(out)], capture_output=True).returncode == 0
