#!/usr/bin/env python3
"""Converts a SpikeGLX AP recording (.bin + .meta) into another input format, streaming one block of
samples at a time so memory stays small whatever the length (for bench/readers.sh).

Usage: convert_recording.py FORMAT SRC.imec0.ap.bin OUT
  raw        OUT: a headerless int16 file behind a 4096-byte header (read with --raw-offset 4096)
  openephys  OUT: a recording folder (structure.oebin + continuous/Neuropix-PXI-100.0/continuous.dat),
             GUI 0.5 layout, bit_volts = the SpikeGLX gain in µV
  nwb        OUT: an NWB 2.x file written by h5py: /acquisition/ElectricalSeries int16, chunks of
             10000 samples x all channels, gzip level 4 (h5py's default), conversion in volts, and
             the electrodes table with the probe's positions
  zarr2      OUT: SpikeInterface's Zarr v2 layout (zarr-python 2): traces_seg0 int16, one chunk per
             second x all channels, numcodecs.Zstd level 3 (Blosc, SpikeInterface's default, is
             not read by Specus yet)
The sync channel is left out: every output holds the 384 (or snsApLfSy's count of) neural channels.
Needs Debian's /usr/bin/python3 with numpy, h5py (nwb) and zarr 2 (zarr2).
"""
import json
import os
import re
import sys

import numpy as np

BLOCK = 30000  # samples per block: 23 MB of int16 at 385 channels


def read_meta(bin_path):
    meta = {}
    with open(bin_path[:-4] + ".meta") as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                meta[k.lstrip("~")] = v
    return meta


def layout(bin_path):
    meta = read_meta(bin_path)
    stored = int(meta["nSavedChans"])
    neural = sum(int(x) for x in meta["snsApLfSy"].split(",")[:2])
    rate = float(meta["imSampRate"])
    # µV per count: imAiRangeMax / imMaxInt / gain (NP1.0: 0.6 / 512 / 500).
    gain = float(meta.get("imChan0apGain", 500))
    uv = float(meta.get("imAiRangeMax", 0.6)) / float(meta.get("imMaxInt", 512)) / gain * 1e6
    xy = [(float(x), float(z)) for _, x, z, _ in re.findall(r"\((\d+):([\d.]+):([\d.]+):(\d)\)", meta.get("snsGeomMap", ""))]
    return Source(bin_path, stored), neural, rate, uv, xy[:neural]


class Source:
    """The .bin read block by block with plain reads (a memmap would count the whole file as resident)."""

    def __init__(self, path, stored):
        self.path, self.stored = path, stored
        self.shape = (os.path.getsize(path) // (2 * stored), stored)

    def read(self, start, count):
        with open(self.path, "rb") as f:
            f.seek(start * 2 * self.stored)
            return np.fromfile(f, dtype="<i2", count=count * self.stored).reshape(-1, self.stored)


def blocks(data, neural, block=BLOCK):
    for s in range(0, data.shape[0], block):
        yield s, np.ascontiguousarray(data.read(s, block)[:, :neural])


def raw(src, out):
    data, neural, _, _, _ = layout(src)
    with open(out, "wb") as f:
        f.write(b"SPECUS-BENCH".ljust(4096, b"\0"))
        for _, b in blocks(data, neural):
            f.write(b.tobytes())


def openephys(src, out):
    data, neural, rate, uv, _ = layout(src)
    stream = "Neuropix-PXI-100.0"
    os.makedirs(os.path.join(out, "continuous", stream), exist_ok=True)
    oebin = {"GUI version": "0.5.3", "continuous": [{
        "folder_name": stream + "/", "sample_rate": rate, "source_processor_name": "Neuropix-PXI",
        "source_processor_id": 100, "source_processor_sub_idx": 0, "recorded_processor": "Record Node",
        "recorded_processor_id": 101, "num_channels": neural,
        "channels": [{"channel_name": "AP%d" % (c + 1), "description": "Headstage data channel",
                      "identifier": "genericdata.continuous", "history": "Neuropix-PXI -> Record Node",
                      "bit_volts": uv, "units": "uV", "source_processor_index": c,
                      "recorded_processor_index": c} for c in range(neural)]}],
        "events": [], "spikes": []}
    with open(os.path.join(out, "structure.oebin"), "w") as f:
        json.dump(oebin, f, indent=1)
    with open(os.path.join(out, "continuous", stream, "continuous.dat"), "wb") as f:
        for _, b in blocks(data, neural):
            f.write(b.tobytes())


def nwb(src, out):
    import h5py
    data, neural, rate, uv, xy = layout(src)
    with h5py.File(out, "w") as f:
        f.attrs.create("nwb_version", "2.5.0", dtype=h5py.string_dtype())
        f.attrs.create("neurodata_type", "NWBFile", dtype=h5py.string_dtype())
        table = f.create_group("general/extracellular_ephys/electrodes")
        table.attrs.create("neurodata_type", "DynamicTable", dtype=h5py.string_dtype())
        table.create_dataset("id", data=np.arange(neural, dtype=np.int64))
        if len(xy) == neural:
            table.create_dataset("rel_x", data=np.array([p[0] for p in xy]))
            table.create_dataset("rel_y", data=np.array([p[1] for p in xy]))
        es = f.create_group("acquisition/ElectricalSeries")
        es.attrs.create("neurodata_type", "ElectricalSeries", dtype=h5py.string_dtype())
        d = es.create_dataset("data", shape=(data.shape[0], neural), dtype="<i2", chunks=(10000, neural),
                              compression="gzip", compression_opts=4)
        d.attrs["conversion"] = uv * 1e-6
        d.attrs["resolution"] = -1.0
        d.attrs.create("unit", "volts", dtype=h5py.string_dtype())
        st = es.create_dataset("starting_time", data=0.0)
        st.attrs["rate"] = rate
        es.create_dataset("electrodes", data=np.arange(neural, dtype=np.int64))
        for s, b in blocks(data, neural):
            d[s:s + b.shape[0]] = b


def zarr2(src, out):
    import numcodecs
    import zarr
    data, neural, rate, uv, xy = layout(src)
    root = zarr.open_group(out, mode="w")
    root.attrs["sampling_frequency"] = rate
    root.attrs["num_segments"] = 1
    chunk = int(round(rate))
    traces = root.create_dataset("traces_seg0", shape=(data.shape[0], neural), dtype="<i2",
                                 chunks=(chunk, neural), compressor=numcodecs.Zstd(level=3))
    for s, b in blocks(data, neural, chunk):  # whole chunks at a time: each chunk is written once
        traces[s:s + b.shape[0]] = b
    root.create_dataset("channel_ids", data=np.array(["AP%d" % c for c in range(neural)]), compressor=None)
    props = root.create_group("properties")
    props.create_dataset("gain_to_uV", data=np.full(neural, uv), compressor=None)
    if len(xy) == neural:
        props.create_dataset("location", data=np.array(xy), compressor=None)
    zarr.consolidate_metadata(out)


if __name__ == "__main__":
    {"raw": raw, "openephys": openephys, "nwb": nwb, "zarr2": zarr2}[sys.argv[1]](sys.argv[2], sys.argv[3])
