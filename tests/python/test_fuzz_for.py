"""tests/fuzz/fuzz_for.py tells findings inside Debian's HDF5 (counted, the
fuzzing goes on) from findings in gust's code (the run fails), by the
innermost frame of the report that names gust's sources or libhdf5. The
reports below are cut from real ones."""
import importlib.util
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("fuzz_for", REPO / "tests" / "fuzz" / "fuzz_for.py")
fuzz_for = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fuzz_for)

WILD_READ_IN_HDF5 = """\
==1== ERROR: AddressSanitizer: SEGV on unknown address 0x61700101c7b0 (pc 0x7ff4a18ab885 T0)
==1==The signal is caused by a READ memory access.
    #0 0x7ff4a18ab885 in __memcpy_avx512_unaligned_erms string/../sysdeps/x86_64/multiarch/memmove-vec-unaligned-erms.S:362
    #1 0x5579907ed5b7 in __interceptor_memcpy (/b/tests/fuzz/fuzz_dataset+0xa35b7) (BuildId: 7e)
    #2 0x7ff4a22c1f1d in H5VM_memcpyvv (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x2c1f1d) (BuildId: e9)
    #3 0x7f9a868b22b7  (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0xb22b7) (BuildId: e9)
    #8 0x7f9a868c7f74 in H5Dread (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0xc7f74) (BuildId: e9)
    #9 0x557b84237cca in void gust::h5::read_slabs<float>(gust::h5::file const&) /src/io/h5.cpp:257:17
"""

OUT_OF_MEMORY_IN_HDF5 = """\
==13617== ERROR: libFuzzer: out-of-memory (used: 1112Mb; limit: 1024Mb)
Live Heap Allocations: 689442480 bytes in 20763459 chunks
665071676 byte(s) (96%) in 20762238 allocation(s)
    #0 0x560064b5304e in malloc (/b/tests/fuzz/fuzz_spike_report+0x11404e) (BuildId: 0d)
    #1 0x7f89feb233e4  (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x1233e4) (BuildId: e9)
SUMMARY: libFuzzer: out-of-memory
"""

# The sanitizer's interceptor of strdup, called by HDF5, is the innermost frame.
OVERFLOW_IN_HDF5_THROUGH_AN_INTERCEPTOR = """\
==5904==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x616000000be0 at pc 0x55602ae10d06 bp 0x7ffe sp 0x7ffe
    #0 0x55602ae10d05 in strdup (/b/tests/fuzz/fuzz_model_file+0x186d05) (BuildId: 703178af3b0434d3)
    #1 0x7f9beed8431d in H5MM_strdup (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x18431d) (BuildId: e923ff05)
    #2 0x7f9beed90d21  (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x190d21) (BuildId: e923ff05)
    #5 0x7f9beec5c350 in H5Aexists (/lib/x86_64-linux-gnu/libhdf5_serial.so.103+0x5c350) (BuildId: e923ff05)
    #6 0x55602aed0a94 in gust::h5::has_attr(gust::h5::file const&, std::string const&) /src/io/h5.cpp:488:12
"""

OVERFLOW_IN_GUST = """\
==7== ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6020000000f8 at pc 0x55 bp 0x7ff sp 0x7ff
READ of size 4 at 0x6020000000f8 thread T0
    #0 0x557b84237cca in gust::read_split(std::string const&, unsigned long) /src/io/dataset_read.cpp:87:22
    #1 0x557b841f56f6 in LLVMFuzzerTestOneInput /src/tests/fuzz/fuzz_dataset.cpp:15:17
    #2 0x557b8411b733 in fuzzer::Fuzzer::ExecuteCallback(unsigned char const*, unsigned long) (/b/fuzz_dataset+0x6f733)
"""

ALLOCATION_BY_GUST = """\
==9== ERROR: libFuzzer: out-of-memory (malloc(4294967296))
    #0 0x55 in __sanitizer_print_stack_trace (/b/fuzz_model_file+0x1a)
    #1 0x55 in fuzzer::PrintStackTrace() (/b/fuzz_model_file+0x1b)
    #2 0x55 in malloc (/b/fuzz_model_file+0x1c)
    #3 0x55 in operator new(unsigned long) (/b/fuzz_model_file+0x1d)
    #4 0x55 in std::vector<float, std::allocator<float> >::vector(unsigned long) /usr/include/c++/12/bits/stl_vector.h:510:9
    #5 0x55 in gust::read_model(std::string const&) /src/io/model_file.cpp:40:5
"""

UNDEFINED_BEHAVIOUR_IN_GUST = """\
/src/io/h5.cpp:120:9: runtime error: signed integer overflow: 9223372036854775807 + 1 cannot be represented in type 'long'
    #0 0x55 in gust::h5::dims(long) /src/io/h5.cpp:120:9
    #1 0x55 in LLVMFuzzerTestOneInput /src/tests/fuzz/fuzz_model_file.cpp:12:5
"""


def test_findings_inside_hdf5_are_the_librarys():
    assert fuzz_for.innermost_owner(WILD_READ_IN_HDF5) == "hdf5"
    assert fuzz_for.innermost_owner(OUT_OF_MEMORY_IN_HDF5) == "hdf5"
    assert fuzz_for.innermost_owner(OVERFLOW_IN_HDF5_THROUGH_AN_INTERCEPTOR) == "hdf5"


def test_findings_in_gust_code_are_gusts():
    assert fuzz_for.innermost_owner(OVERFLOW_IN_GUST) == "gust"
    assert fuzz_for.innermost_owner(ALLOCATION_BY_GUST) == "gust"
    assert fuzz_for.innermost_owner(UNDEFINED_BEHAVIOUR_IN_GUST) == "gust"


def test_a_finding_without_a_stack_is_not_hdf5s():
    assert fuzz_for.innermost_owner("==3== ERROR: libFuzzer: timeout after 10 seconds\nSUMMARY: libFuzzer: timeout\n") \
        == "none"
    assert fuzz_for.innermost_owner("INFO: Seed: 1\nDone 3000 runs in 9 second(s)\n") == "none"


def test_bad_arguments_get_one_line_and_exit_2(tmp_path):
    script = str(REPO / "tests" / "fuzz" / "fuzz_for.py")
    for args, says in (([], "usage"), ([sys.executable, str(tmp_path), "ten"], "SECONDS"),
                       ([sys.executable, str(tmp_path), "0"], "SECONDS"),
                       ([str(tmp_path / "none"), str(tmp_path), "5"], "not an executable"),
                       ([sys.executable, str(tmp_path / "none"), "5"], "not a folder")):
        r = subprocess.run([sys.executable, script, *args], capture_output=True, text=True)
        assert r.returncode == 2 and r.stdout == "", (args, r)
        assert r.stderr.count("\n") == 1 and says in r.stderr, (args, r.stderr)


def test_an_input_file_left_by_a_target_that_died_is_removed(tmp_path):
    # A stand-in target: it writes its input where tests/fuzz/fuzz_input.hpp
    # does, then dies on a finding inside HDF5 the first time (seed 1) and
    # ends cleanly the next. Each process leaves its file; none may remain.
    fake = tmp_path / "fuzz_fake"
    fake.write_text(f"""#!/bin/sh
echo $$ >> {tmp_path}/pids
echo input > /tmp/gust_fuzz_$$.h5
case "$1" in
  -seed=1) printf '#40 REDUCE\\n{WILD_READ_IN_HDF5}' | sed 's/%/%%/g'; exit 1 ;;
  *) echo '#7 DONE'; exit 0 ;;
esac
""")
    fake.chmod(0o755)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    script = str(REPO / "tests" / "fuzz" / "fuzz_for.py")
    r = subprocess.run([sys.executable, script, str(fake), str(corpus), "5"], capture_output=True, text=True)
    assert r.returncode == 0, r
    assert "47 runs" in r.stdout and "1 inside Debian's HDF5" in r.stdout, r.stdout
    pids = (tmp_path / "pids").read_text().split()
    assert len(pids) == 2
    for pid in pids:
        assert not pathlib.Path(f"/tmp/gust_fuzz_{pid}.h5").exists()
