"""Whether a spike report has exactly the SONATA layout (docs/formats.md
"Spike reports") with gust's extras, as h5py sees it."""
import h5py
import numpy as np


def check_layout(path):
    """Raises AssertionError naming the first thing that differs."""
    with h5py.File(path, "r") as f:
        assert f.attrs["magic"] == 0x0A7A and f.attrs["magic"].dtype == np.uint32, "magic"
        assert list(f.attrs["version"]) == [0, 1] and f.attrs["version"].dtype == np.uint32, "version"
        assert f["spikes"].attrs["dt"] == 1.0, "dt"
        for name, pop in f["spikes"].items():
            sorting = pop.attrs["sorting"]
            enum = h5py.check_enum_dtype(pop.attrs.get_id("sorting").dtype)
            assert enum == {"none": 0, "by_id": 1, "by_time": 2}, f"sorting enum {enum}"
            assert pop.attrs.get_id("sorting").dtype.itemsize == 1, "sorting base must be int8"
            assert sorting == 2, "sorted by time"
            ts, ids = pop["timestamps"], pop["node_ids"]
            assert ts.dtype == np.float64 and ids.dtype == np.uint64, "dtypes"
            assert ts.shape == ids.shape and ts.ndim == 1, "shapes"
            units = ts.attrs["units"]
            units = units.decode() if isinstance(units, bytes) else units
            assert units == "ms", "units"
            assert np.all(np.diff(ts[()]) >= 0), "timestamps sorted"
            g = f["gust"][name]
            assert g["input"].dtype == np.float32 and g["input"].ndim == 2, "input"
            assert np.all(ids[()] < g["input"].size), "node ids inside the image"
        for key in ("T", "cycles", "seed", "backend", "split", "data_file", "model_file", "version"):
            assert key in f["gust"].attrs, f"/gust attribute {key}"
