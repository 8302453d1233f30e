#!/usr/bin/env python3
"""Fuzzes one libFuzzer target of gust for a bounded time and fails on any
finding in gust's own code.

A reader of HDF5 files passes crafted bytes to Debian's HDF5 library, which
crashes on some of them (docs/reliability.md, "Fuzzing"): an overflow, a
wild read or an exhausted memory inside the library, which gust cannot fix.
Such a finding is counted, not failed: the run goes on with the next seed
(1, 2, ...) until the time is spent. A finding is the library's when the
innermost frame of its report that is either gust's or HDF5's lies in
libhdf5 (innermost_owner says which frames are whose); any other finding
(a frame of gust first, or no frame at all) fails the run, and its input is
kept.

    fuzz_for.py BINARY CORPUS SECONDS

CORPUS is copied, so the kept corpus is never written to.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ (?:in (?P<func>.*?))?\s*(?P<where>\S+)$")
BUILD_ID = re.compile(r"\s*\(BuildId: [0-9a-f]+\)\s*$")
FINDING = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|deadly signal")


def innermost_owner(log: str) -> str:
    """Whose code the first stack of the report after the finding points at:
    'hdf5', 'gust' or 'none' (no frame of either).

    A frame is gust's when it names a source file by an absolute path outside
    /usr: gust is built with line tables, while the sanitizer's and
    libFuzzer's runtime (linked into the binary, with interceptors such as
    strdup), the C library (whose paths are relative, "string/../sysdeps")
    and the C++ library's headers (/usr/include) are not gust's. A frame
    that names only a module is the library's when the module is libhdf5."""
    lines = log.splitlines()
    start = next((i for i, l in enumerate(lines) if FINDING.search(l)), None)
    if start is None:
        return "none"
    for line in lines[start:]:
        m = FRAME.match(BUILD_ID.sub("", line))
        if not m:
            continue
        where = m.group("where")
        if where.startswith("(") and where.endswith(")"):
            if "libhdf5" in where:
                return "hdf5"
            continue
        path = re.sub(r"(:\d+)+$", "", where)
        if path.startswith("/") and not path.startswith("/usr/"):
            return "gust"
    return "none"


def remove_inputs(pid: int) -> None:
    """Removes the file a target that ran as process pid wrote its input to
    (tests/fuzz/fuzz_input.hpp): a target that dies on a finding leaves it."""
    for path in glob.glob(f"/tmp/gust_fuzz_{pid}.*"):
        os.remove(path)


def main() -> int:
    usage = "usage: fuzz_for.py BINARY CORPUS SECONDS"
    if len(sys.argv) != 4:
        print(usage, file=sys.stderr)
        return 2
    binary, corpus = sys.argv[1], sys.argv[2]
    try:
        seconds = float(sys.argv[3])
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        print(f"fuzz_for.py: SECONDS must be a positive number, not {sys.argv[3]!r}", file=sys.stderr)
        return 2
    if not os.access(binary, os.X_OK) or not os.path.isfile(binary):
        print(f"fuzz_for.py: {binary!r} is not an executable file", file=sys.stderr)
        return 2
    if not os.path.isdir(corpus):
        print(f"fuzz_for.py: {corpus!r} is not a folder", file=sys.stderr)
        return 2
    name = os.path.basename(binary)
    work = tempfile.mkdtemp(prefix=name + ".")
    shutil.copytree(corpus, os.path.join(work, "corpus"))
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    end = time.monotonic() + seconds
    seed, runs, in_hdf5 = 1, 0, 0
    while (left := end - time.monotonic()) > 1:
        artifacts = os.path.join(work, f"seed{seed}-")
        p = subprocess.Popen([binary, f"-seed={seed}", f"-max_total_time={int(left)}", "-timeout=10",
                              "-rss_limit_mb=2048", f"-artifact_prefix={artifacts}", os.path.join(work, "corpus")],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        out, _ = p.communicate()
        remove_inputs(p.pid)
        done = re.findall(r"^#(\d+)", out, re.M)
        runs += int(done[-1]) if done else 0
        if p.returncode == 0:
            break
        owner = innermost_owner(out)
        if owner != "hdf5":
            print(out)
            print(f"{name}: a finding in gust's code (seed {seed}); its input is in {work}", file=sys.stderr)
            return 1
        in_hdf5 += 1
        for f in os.listdir(work):
            if f.startswith(f"seed{seed}-"):
                os.remove(os.path.join(work, f))
        seed += 1
    shutil.rmtree(work)
    print(f"{name}: {seconds:.0f} s, {runs} runs, no finding in gust's code; "
          f"{in_hdf5} inside Debian's HDF5 (the run went on with another seed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
