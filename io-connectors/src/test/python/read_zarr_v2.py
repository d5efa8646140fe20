"""Opens a Zarr v2 store the way released SpikeInterface does (zarr<3, consolidated metadata) and
prints what it found as JSON; saves traces_seg0 as .npy for a value-by-value comparison.

Usage: read_zarr_v2.py STORE OUT.npy
"""
import json
import sys

import numpy as np
import zarr

store, out = sys.argv[1], sys.argv[2]
root = zarr.open_consolidated(store, mode="r")
traces = root["traces_seg0"]
np.save(out, traces[:])
props = root["properties"]
print(json.dumps({
    "zarr_version": zarr.__version__,
    "attrs": dict(root.attrs),
    "shape": list(traces.shape),
    "chunks": list(traces.chunks),
    "dtype": str(traces.dtype),
    "compressor": traces.compressor.get_config() if traces.compressor else None,
    "channel_ids": [str(c) for c in root["channel_ids"][:]],
    "properties": sorted(props.array_keys()),
    "gain_to_uV": props["gain_to_uV"][:].tolist(),
    "location": props["location"][:].tolist() if "location" in props else None,
    "whitening_shape": list(root["whitening_matrix"].shape) if "whitening_matrix" in root else None,
}))
