"""Inputs for the end-to-end reader tests (InputSelectionCommandLineTest), written by real writers.

Usage:
  make_inputs.py nwb OUT_DIR
  make_inputs.py nwb_probes OUT_DIR
  make_inputs.py zarr2 SPIKEGLX.bin STORED_CHANNELS RATE GAIN_UV OUT.zarr [blosc]

nwb: OUT_DIR/two_series.nwb (h5py, NWB 2.x layout) with two ElectricalSeries under /acquisition:
  - ElectricalSeriesAP: int16 [9000, 32] at 30 kHz (starting_time.rate), chunks of 1000 samples,
    gzip; conversion 2.34375e-6 V, channel_conversion 1 (even) / 0.5 (odd), no offset; electrodes
    rows 0..31 of the table.
  - ElectricalSeriesLF: int16 [750, 16] at 2500 Hz, chunks of 200, gzip; conversion 4.6875e-6 V,
    offset 1e-5 V; electrodes rows 0, 2, ..., 30.
  The electrodes table has ids 200..231 and NP1.0-like rel_x/rel_y.
  Beside it, the values a reader must hand on (stored + offset / (conversion x channel_conversion),
  as float32), as headerless little-endian files: ap.i16 (int16: no offset, so the counts) and lf.f32.

nwb_probes: OUT_DIR/two_probes.nwb, the same layout with three ElectricalSeries: ElectricalSeriesProbeA
  and ElectricalSeriesProbeB (int16 [6000, 8] at 30 kHz, electrodes rows 0..7 and 8..15) and, between
  them, ElectricalSeriesLF (int16 [500, 8] at 2500 Hz): two probes in one file, for the batch.

zarr2: the first STORED_CHANNELS - 1 channels of a SpikeGLX .bin (the last one is the sync word),
  as SpikeInterface's Zarr v2 layout (zarr-python 2): traces_seg0 int16 in chunks of 400 samples
  (zstd, or Blosc zstd + bitshuffle, SpikeInterface's default, with "blosc"), channel_ids,
  properties/gain_to_uV and properties/location, root attributes sampling_frequency, num_segments.
"""
import sys
from pathlib import Path

import numpy as np


def text_attr(obj, name, value):
    import h5py
    obj.attrs.create(name, value, dtype=h5py.string_dtype())


def positions(n):
    return np.array([[(43.0, 11.0, 59.0, 27.0)[k % 4], 20.0 * (k // 2)] for k in range(n)])


def write_nwb(path, series):
    """An NWB 2.x layout with an electrodes table of 32 rows and, under /acquisition, one ElectricalSeries
    per (name, int16 data, chunk rows, conversion, offset or None, rate, electrode rows, channel_conversion
    or None)."""
    import h5py
    with h5py.File(path, "w") as f:
        text_attr(f, "nwb_version", "2.5.0")
        text_attr(f, "neurodata_type", "NWBFile")
        table = f.create_group("general/extracellular_ephys/electrodes")
        text_attr(table, "neurodata_type", "DynamicTable")
        table.create_dataset("id", data=np.arange(200, 232, dtype=np.int64))
        xy = positions(32)
        table.create_dataset("rel_x", data=xy[:, 0])
        table.create_dataset("rel_y", data=xy[:, 1])
        acq = f.create_group("acquisition")
        for name, data, chunk, conversion, offset, rate, rows, cc in series:
            es = acq.create_group(name)
            text_attr(es, "neurodata_type", "ElectricalSeries")
            d = es.create_dataset("data", data=data, chunks=(chunk, data.shape[1]), compression="gzip",
                                  compression_opts=4)
            d.attrs["conversion"] = conversion
            if offset is not None:
                d.attrs["offset"] = offset
            d.attrs["resolution"] = -1.0
            text_attr(d, "unit", "volts")
            st = es.create_dataset("starting_time", data=0.0)
            st.attrs["rate"] = rate
            text_attr(st, "unit", "seconds")
            es.create_dataset("electrodes", data=rows.astype(np.int64))
            if cc is not None:
                es.create_dataset("channel_conversion", data=cc)


def nwb(out):
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    ap = (rng.standard_normal((9000, 32)) * 40).astype(np.int16)
    ap[4000:4030, 5:9] -= 400  # a spike-like dip on a few neighbouring channels
    lf = (rng.standard_normal((750, 16)) * 200 + 50 * np.sin(np.arange(750) / 25.0)[:, None]).astype(np.int16)
    ap_cc = np.where(np.arange(32) % 2 == 0, 1.0, 0.5).astype(np.float32)
    lf_conversion, lf_offset = 4.6875e-6, 1e-5
    write_nwb(out / "two_series.nwb", (
        ("ElectricalSeriesAP", ap, 1000, 2.34375e-6, None, 30000.0, np.arange(32), ap_cc),
        ("ElectricalSeriesLF", lf, 200, lf_conversion, lf_offset, 2500.0, np.arange(0, 32, 2), None)))
    ap.astype("<i2").tofile(out / "ap.i16")
    lf_values = (lf.astype(np.float64) + lf_offset / (lf_conversion * 1.0)).astype("<f4")
    lf_values.tofile(out / "lf.f32")


def nwb_probes(out):
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(8)
    a, b = ((rng.standard_normal((6000, 8)) * 40).astype(np.int16) for _ in range(2))
    lf = (rng.standard_normal((500, 8)) * 200).astype(np.int16)
    write_nwb(out / "two_probes.nwb", (
        ("ElectricalSeriesProbeA", a, 1000, 2.34375e-6, None, 30000.0, np.arange(8), None),
        ("ElectricalSeriesLF", lf, 250, 4.6875e-6, None, 2500.0, np.arange(8), None),
        ("ElectricalSeriesProbeB", b, 1000, 2.34375e-6, None, 30000.0, np.arange(8, 16), None)))


def zarr2(bin_path, stored, rate, gain, out, blosc):
    import numcodecs
    import zarr
    data = np.fromfile(bin_path, dtype="<i2").reshape(-1, stored)[:, :stored - 1]
    channels = data.shape[1]
    compressor = (numcodecs.Blosc(cname="zstd", clevel=5, shuffle=numcodecs.Blosc.BITSHUFFLE) if blosc
                  else numcodecs.Zstd(level=3))
    root = zarr.open_group(str(out), mode="w")
    root.attrs["sampling_frequency"] = rate
    root.attrs["num_segments"] = 1
    root.create_dataset("traces_seg0", data=np.ascontiguousarray(data), chunks=(400, channels), compressor=compressor)
    root.create_dataset("channel_ids", data=np.array(["AP%d" % c for c in range(channels)], dtype="<U5"),
                        compressor=None)
    props = root.create_group("properties")
    props.create_dataset("gain_to_uV", data=np.full(channels, gain), compressor=None)
    props.create_dataset("location", data=positions(channels), compressor=None)
    zarr.consolidate_metadata(str(out))


if __name__ == "__main__":
    if sys.argv[1] == "nwb":
        nwb(Path(sys.argv[2]))
    elif sys.argv[1] == "nwb_probes":
        nwb_probes(Path(sys.argv[2]))
    elif sys.argv[1] == "zarr2":
        zarr2(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), Path(sys.argv[6]),
              len(sys.argv) > 7 and sys.argv[7] == "blosc")
    else:
        raise SystemExit("unknown fixture " + sys.argv[1])
