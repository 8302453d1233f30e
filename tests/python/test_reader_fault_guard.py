"""io/reader_fault_guard.hpp in the Python module: a damaged file on which
HDF5 faults or loops for ever ends the Python process with one line naming
it and exit status 2, as it ends the gust program; a fault anywhere else
still reaches the handler that was there before (Python's faulthandler).

HDF5 1.10 reads a spike report's variable-length strings from a global heap;
a heap whose declared size is cut into its objects faults, and one declared
larger than it is loops (tests/test_reader_faults.cpp does the same to the
gust program)."""
import os
import pathlib
import struct
import subprocess
import sys
import time

import gust
import pytest


def python(code, *flags):
    """Runs `code` in a Python process of its own that imports this gust."""
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(gust.__file__).parents[1]))
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, *flags, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    return r, time.monotonic() - t0


def with_heap_size(report, to, size):
    """`report`'s bytes with its global heap collection's size (after "GCOL",
    its version and 3 reserved bytes, 8 bytes little-endian) set to `size`."""
    data = bytearray(report.read_bytes())
    at = data.find(b"GCOL")
    assert at >= 0
    data[at + 8:at + 16] = struct.pack("<Q", size)
    to.write_bytes(bytes(data))


def test_a_damaged_global_heap_ends_the_process_in_one_line(report, tmp_path):
    outcomes = set()
    for size in (0, 8, 48, 56, 64, 8192):
        bad = tmp_path / f"bad_{size}.h5"
        with_heap_size(report, bad, size)
        r, secs = python(f"import gust\ngust.read_run({str(bad)!r})\nprint('read')")
        assert secs < 40, (size, secs)  # a stalled read ends 20 s after it began
        if r.returncode == 0:
            assert r.stdout == "read\n"
            outcomes.add("read")
        elif r.returncode == 1:  # refused as bad input, as a Python exception
            assert f"gust.InputError: {bad}: " in r.stderr, (size, r.stderr)
            outcomes.add("refused")
        else:
            assert r.returncode == 2, (size, r.returncode, r.stderr)
            assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"gust: {bad}: reading it "), (size, r.stderr)
            assert r.stdout == ""
            if "faulted (SIGSEGV) inside the HDF5 library" in r.stderr:
                outcomes.add("faulted")
            if "made no progress for 20 s inside the HDF5 library" in r.stderr:
                outcomes.add("stalled")
    # What HDF5 1.10.8 (Debian 12) does with some of these heaps (others
    # it reads as they are).
    assert {"refused", "faulted", "stalled"} <= outcomes


@pytest.mark.parametrize("flags", [(), ("-X", "faulthandler")])
def test_a_fault_outside_a_read_reaches_the_handler_from_before(flags):
    r, _ = python("import gust, ctypes\nctypes.string_at(0)", *flags)
    assert r.returncode == -11  # SIGSEGV, as without gust
    assert "reading it" not in r.stderr
    assert ("Fatal Python error: Segmentation fault" in r.stderr) == bool(flags)
