"""Writes NWB-layout HDF5 test files with h5py (a real HDF5 writer), for NwbRecordingTest.

Usage: make_nwb.py OUT_DIR [SAMPLES]

- series.nwb: /acquisition/ElectricalSeries (int16, chunked 1000 x all channels, gzip 4, conversion
  2.5e-6 V, offset 1e-4 V, starting_time.rate 30000) and /acquisition/Other (float32 volts,
  timestamps at 20 kHz, chunked, gzip), an electrodes table with rel_x/rel_y and ids 100.., and a
  channel_conversion on ElectricalSeries. int16 values are v[i, c] = ((i * 7 + c * 13) % 2001) - 1000.
- other.npy: the float32 values of /acquisition/Other, for comparison.
- no_series.nwb: an NWB file with an empty /acquisition.
"""
import sys
from pathlib import Path

import h5py
import numpy as np

out = Path(sys.argv[1])
samples = int(sys.argv[2]) if len(sys.argv) > 2 else 12345
out.mkdir(parents=True, exist_ok=True)
channels = 16

i = np.arange(samples, dtype=np.int64)[:, None]
c = np.arange(channels, dtype=np.int64)[None, :]
ints = (((i * 7 + c * 13) % 2001) - 1000).astype(np.int16)
rng = np.random.default_rng(0)
other = (rng.standard_normal((samples // 2, 4)) * 1e-5).astype(np.float32)
np.save(out / "other.npy", other)


def text_attr(obj, name, value):
    obj.attrs.create(name, value, dtype=h5py.string_dtype())


with h5py.File(out / "series.nwb", "w") as f:
    text_attr(f, "nwb_version", "2.5.0")
    text_attr(f, "neurodata_type", "NWBFile")
    table = f.create_group("general/extracellular_ephys/electrodes")
    text_attr(table, "neurodata_type", "DynamicTable")
    table.create_dataset("id", data=np.arange(100, 100 + channels + 4, dtype=np.int64))
    table.create_dataset("rel_x", data=np.array([(k % 2) * 32.0 for k in range(channels + 4)]))
    table.create_dataset("rel_y", data=np.array([(k // 2) * 20.0 for k in range(channels + 4)]))
    acq = f.create_group("acquisition")

    es = acq.create_group("ElectricalSeries")
    text_attr(es, "neurodata_type", "ElectricalSeries")
    d = es.create_dataset("data", data=ints, chunks=(1000, channels), compression="gzip", compression_opts=4)
    d.attrs["conversion"] = 2.5e-6
    d.attrs["offset"] = 1e-4
    d.attrs["resolution"] = -1.0
    text_attr(d, "unit", "volts")
    st = es.create_dataset("starting_time", data=0.0)
    st.attrs["rate"] = 30000.0
    text_attr(st, "unit", "seconds")
    # Rows 2.. of the table: the region does not start at 0.
    es.create_dataset("electrodes", data=np.arange(2, 2 + channels, dtype=np.int64))
    es.create_dataset("channel_conversion", data=np.where(np.arange(channels) % 2 == 0, 1.0, 2.0).astype(np.float32))

    o = acq.create_group("Other")
    text_attr(o, "neurodata_type", "ElectricalSeries")
    od = o.create_dataset("data", data=other, chunks=(500, 4), compression="gzip")
    text_attr(od, "unit", "volts")
    o.create_dataset("timestamps", data=10.0 + np.arange(other.shape[0]) / 20000.0, chunks=True, compression="gzip")

with h5py.File(out / "no_series.nwb", "w") as f:
    text_attr(f, "nwb_version", "2.5.0")
    f.create_group("acquisition")
    f.create_group("general/extracellular_ephys")
