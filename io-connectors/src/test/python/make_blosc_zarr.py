"""Writes a recording in released SpikeInterface's Zarr v2 layout with zarr-python 2, compressed
the way SpikeInterface's save(format="zarr") does by default: traces_seg0 in chunks of 1 s
[samples, channels], numcodecs Blosc(cname="zstd", clevel=5, shuffle=BITSHUFFLE); channel_ids and
properties uncompressed (compressor=None); root attributes sampling_frequency, num_segments,
annotations and provenance; consolidated metadata. Also saves the traces' int16 bytes (C order) for
a value-by-value comparison.

Usage: make_blosc_zarr.py STORE TRACES.bin SAMPLES CHANNELS
"""
import sys

import numpy as np
import zarr
from numcodecs import Blosc

store, raw, samples, channels = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rate = 30000.0
rng = np.random.default_rng(7)
t = np.arange(samples)[:, None]
# Noise of a few tens of counts, a slow drift per channel and sparse large deflections: what the
# low bits of a Neuropixels AP band look like to a compressor.
traces = rng.normal(0, 25, size=(samples, channels)) + 40 * np.sin(t / 900.0 + np.arange(channels)[None, :])
spikes = rng.random((samples, channels)) < 2e-4
traces[spikes] -= 400
traces = np.clip(np.round(traces), -32768, 32767).astype("<i2")
traces.tofile(raw)

root = zarr.open_group(store, mode="w")
root.attrs["sampling_frequency"] = rate
root.attrs["num_segments"] = 1
root.attrs["provenance"] = None
root.attrs["annotations"] = {"is_filtered": False}
root.create_dataset("channel_ids", data=np.array(["imec0.ap#AP%d" % c for c in range(channels)]), compressor=None)
compressor = Blosc(cname="zstd", clevel=5, shuffle=Blosc.BITSHUFFLE)
chunk = int(rate)  # SpikeInterface's default chunk_duration="1s"
ds = root.create_dataset("traces_seg0", shape=traces.shape, chunks=(chunk, None), dtype="int16",
                         compressor=compressor)
for start in range(0, samples, chunk):
    ds[start:start + chunk] = traces[start:start + chunk]
props = root.create_group("properties")
props.create_dataset("gain_to_uV", data=np.full(channels, 2.34375), compressor=None)
props.create_dataset("offset_to_uV", data=np.zeros(channels), compressor=None)
loc = np.stack([np.tile([16.0, 48.0, 0.0, 32.0], channels // 4 + 1)[:channels],
                20.0 * (np.arange(channels) // 2)], axis=1)
props.create_dataset("location", data=loc, compressor=None)
zarr.consolidate_metadata(store)
print(ds.compressor.get_config())
