"""A report of gust run as h5py and numpy read it: exactly SONATA's layout,
and the spikes as the docs show reading them."""
import h5py
import numpy as np

from sonata_layout import check_layout


def test_layout_is_sonata(report):
    check_layout(report)


def test_spikes_read_as_the_docs_show(report):
    with h5py.File(report, "r") as f:
        assert sorted(f["spikes"]) == ["image_0", "image_1", "image_2"]
        T, cycles = int(f["gust"].attrs["T"]), int(f["gust"].attrs["cycles"])
        assert (T, cycles) == (10, 4)
        for name, pop in f["spikes"].items():
            t, ids = pop["timestamps"][()], pop["node_ids"][()]
            image = f["gust"][name]["input"][()]
            # Only pixels of the shapes fire, at whole steps inside the run.
            assert t.size > 0
            assert np.all(image.reshape(-1)[ids] == 1.0)
            assert np.all(t == np.floor(t)) and t.max() < T * cycles
            # Step k of pixel p is spike (cycle k // T, phase k % T); a neuron
            # is refractory for 8 steps after a spike.
            for p in np.unique(ids):
                steps = np.sort(t[ids == p])
                assert np.all(np.diff(steps) >= 9)
