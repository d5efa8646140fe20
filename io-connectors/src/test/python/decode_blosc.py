"""Decodes the Blosc chunks Specus's BloscEncoder wrote, with numcodecs (c-blosc 1.x), and reports
whether each one gives back the exact input bytes; also reports the block size c-blosc picks on its
own for zstd, so the encoder's automatic choice can be compared with it.

DIR/manifest.json (written by the Java test) lists {"name", "dtype", "clevel", "shuffle", "blocksize"}
per case; DIR/NAME.blosc is the encoded chunk and DIR/NAME.raw the input bytes. Writes DIR/results.json:
  {"blosc_version", "numcodecs", "cases": {NAME: {"ok", "error", "nbytes", "cbytes", "blocksize",
   "numcodecs_cbytes", "identical_to_numcodecs"}}, "auto_blocksizes": [{"clevel", "typesize", "nbytes",
   "blocksize"}]}
numcodecs_cbytes is the size numcodecs itself writes for the same values and settings, for comparison
(its zstd library may differ from zstd-jni's, so the bytes need not be identical).

Usage: decode_blosc.py DIR
"""
import json
import os
import sys

import numcodecs
import numpy as np
from numcodecs import Blosc, blosc

blosc.use_threads = False
d = sys.argv[1]
with open(os.path.join(d, "manifest.json")) as f:
    manifest = json.load(f)

results = {}
for case in manifest["cases"]:
    name = case["name"]
    with open(os.path.join(d, name + ".blosc"), "rb") as f:
        buf = f.read()
    with open(os.path.join(d, name + ".raw"), "rb") as f:
        raw = f.read()
    r = {"ok": False, "error": None}
    try:
        nbytes, cbytes, blocksize = blosc.cbuffer_sizes(buf)
        r.update(nbytes=nbytes, cbytes=cbytes, blocksize=blocksize)
        if cbytes != len(buf):
            raise ValueError("header cbytes %d, file %d bytes" % (cbytes, len(buf)))
        out = Blosc().decode(buf)
        if bytes(out) != raw:
            n = min(len(out), len(raw))
            diff = next((i for i in range(n) if out[i] != raw[i]), n)
            raise ValueError("decodes to %d bytes, first difference at byte %d of %d" % (len(out), diff, len(raw)))
        # the way a Zarr reader uses it: the chunk's values, compared bit for bit
        values = np.frombuffer(raw, dtype=case["dtype"])
        got = np.frombuffer(blosc.decompress(buf), dtype=case["dtype"])
        if got.view(np.uint8).tobytes() != values.view(np.uint8).tobytes():
            raise ValueError("values differ")
        r["ok"] = True
        if "clevel" in case:
            theirs = Blosc(cname="zstd", clevel=case["clevel"], shuffle=case["shuffle"],
                           blocksize=case["blocksize"]).encode(values)
            r["numcodecs_cbytes"] = len(theirs)
            r["identical_to_numcodecs"] = bytes(theirs) == buf
    except Exception as e:  # reported per case, so one bad chunk does not hide the others
        r["error"] = "%s: %s" % (type(e).__name__, e)
    results[name] = r

auto = []
for clevel in range(1, 10):
    for typesize, dtype in ((2, "<i2"), (4, "<f4")):
        for nbytes in (1000, 32 * 1024 - 4, 32 * 1024, 100_000, 600_004, 3_000_000):
            a = np.zeros(nbytes // typesize, dtype=dtype)
            a[::7] = 1
            buf = Blosc(cname="zstd", clevel=clevel, shuffle=Blosc.SHUFFLE).encode(a)
            auto.append({"clevel": clevel, "typesize": typesize, "nbytes": a.nbytes,
                         "blocksize": blosc.cbuffer_sizes(buf)[2]})

with open(os.path.join(d, "results.json"), "w") as f:
    json.dump({"blosc_version": blosc.VERSION_STRING, "numcodecs": numcodecs.__version__, "cases": results,
               "auto_blocksizes": auto}, f, indent=1)
print(sum(r["ok"] for r in results.values()), "of", len(results), "decoded")
