"""Writes Blosc chunks with numcodecs (the c-blosc 1.x library SpikeInterface's zarr stores use) and
the exact bytes numpy held before compression, for a bit-exact check of Specus's own decoder.

For every cname x shuffle x dtype and every variant below, DIR holds CASE.blosc (numcodecs' encoded
bytes) and CASE.raw (the array's little-endian bytes). DIR/manifest.json lists the cases with what
their chunk holds, parsed here independently of the Java decoder (c-blosc 1.x frame: 16-byte header,
block starts, per block one stream or `typesize` streams each with an int32 size, a stream stored raw
when its size equals its uncompressed size), so the Java test can check that every path was covered.

Usage: make_blosc.py DIR
"""
import json
import os
import struct
import sys

import numcodecs
import numpy as np
from numcodecs import Blosc

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

CNAMES = ["lz4", "lz4hc", "blosclz", "zstd", "zlib"]
SHUFFLES = {"noshuffle": Blosc.NOSHUFFLE, "shuffle": Blosc.SHUFFLE, "bitshuffle": Blosc.BITSHUFFLE}


def values(kind, dtype, n, rng):
    """Random (incompressible low bits) or smooth (compressible) data of n elements."""
    i = np.arange(n)
    if kind == "random":
        if dtype == "<i2":
            return rng.integers(-2000, 2000, size=n).astype(dtype)
        return (rng.standard_normal(n) * 50).astype(dtype)
    if kind == "noise":  # every bit random: blosc gives up and stores the chunk as is
        return np.frombuffer(rng.bytes(n * np.dtype(dtype).itemsize), dtype=dtype).copy()
    if kind == "steps":  # long runs: long matches that overlap their own output
        return np.repeat(rng.integers(-500, 500, size=n // 700 + 1), 700)[:n].astype(dtype)
    if kind == "periodic":  # a random period of 5003 elements: matches further back than 8 KiB
        return np.tile(rng.integers(-30000, 30000, size=5003), n // 5003 + 1)[:n].astype(dtype)
    smooth = 800 * np.sin(i / 37.0) + 300 * np.sin(i / 5.3) + rng.integers(-3, 4, size=n)
    if dtype == "<i2":
        return np.round(smooth).astype(dtype)
    return (np.round(smooth * 4) / 4).astype(dtype)


# name: (data kind, elements, clevel, forced blocksize in bytes or 0)
VARIANTS = {
    # several default-size blocks (32 or 64 KiB) and a last partial one
    "random": ("random", 50001, 5, 0),
    "smooth": ("smooth", 50001, 5, 0),
    # below blosc's 128-byte minimum: stored with the memcpyed flag
    "tiny": ("smooth", 23, 5, 0),
    # clevel 0: memcpyed whatever the size
    "clevel0": ("smooth", 3001, 0, 0),
    # incompressible: streams or the whole chunk stored raw
    "noise": ("noise", 20001, 9, 0),
    # many small blocks, last one partial and not a multiple of 8 elements
    "smallblocks": ("smooth", 5001, 5, 256),
    # blocks of 300 (int16) or 150 (float32) elements: not a multiple of 8, so not bitshuffled
    "oddblocks": ("random", 3001, 5, 600),
    # large blocks split into typesize streams
    "bigblocks": ("smooth", 40000, 3, 16384),
    # default blocks on a larger chunk, for every codec
    "large": ("smooth", 150001, 5, 0),
    "steps": ("steps", 60001, 5, 0),
    "periodic": ("periodic", 60001, 5, 0),
}
# typesize > 16 (fixed-width strings) and 8, on a few codecs: the no-split rule for wide types.
EXTRA = [("<f8", "lz4", "shuffle"), ("<f8", "zstd", "bitshuffle"), ("<U12", "lz4", "shuffle"),
         ("<U12", "blosclz", "shuffle"), ("<U12", "zstd", "bitshuffle")]


def describe(buf):
    version, versionlz, flags, typesize, nbytes, blocksize, cbytes = struct.unpack_from("<BBBBiii", buf, 0)
    d = {"version": version, "flags": flags, "typesize": typesize, "nbytes": nbytes, "blocksize": blocksize,
         "cbytes": cbytes, "codec": flags >> 5, "memcpyed": bool(flags & 2), "blocks": 0, "leftover": 0,
         "split_blocks": 0, "streams": 0, "raw_streams": 0, "bitshuffled_blocks": 0,
         "unbitshuffled_blocks": 0}
    if d["memcpyed"] or nbytes == 0:
        return d
    nblocks, leftover = divmod(nbytes, blocksize)
    d["leftover"] = leftover
    nblocks += 1 if leftover else 0
    d["blocks"] = nblocks
    starts = struct.unpack_from("<%di" % nblocks, buf, 16)
    for b, start in enumerate(starts):
        last = b == nblocks - 1 and leftover > 0
        bsize = leftover if last else blocksize
        split = not (flags & 0x10) and typesize <= 16 and bsize // typesize >= 128 and not last
        n = typesize if split else 1
        d["split_blocks"] += 1 if split else 0
        pos = start
        for _ in range(n):
            (size,) = struct.unpack_from("<i", buf, pos)
            pos += 4 + size
            d["streams"] += 1
            d["raw_streams"] += 1 if size == bsize // n else 0
        if (flags & 4) and not ((flags & 1) and typesize > 1):
            # c-blosc 1.x bitshuffles a block only when it holds a multiple of 8 elements
            d["unbitshuffled_blocks" if (bsize // typesize) % 8 else "bitshuffled_blocks"] += 1
    return d


def write(name, arr, codec):
    buf = codec.encode(arr)
    back = codec.decode(buf)
    assert bytes(back) == arr.tobytes(), name
    with open(os.path.join(out, name + ".blosc"), "wb") as f:
        f.write(buf)
    with open(os.path.join(out, name + ".raw"), "wb") as f:
        f.write(arr.tobytes())
    return dict(describe(buf), name=name, cname=codec.cname, shuffle=codec.shuffle, dtype=arr.dtype.str)


cases = []
seed = 0
for dtype in ["<i2", "<f4"]:
    for cname in CNAMES:
        for sname, shuffle in SHUFFLES.items():
            for vname, (kind, n, clevel, blocksize) in VARIANTS.items():
                seed += 1
                arr = values(kind, dtype, n, np.random.default_rng(seed))
                codec = Blosc(cname=cname, clevel=clevel, shuffle=shuffle, blocksize=blocksize)
                name = "%s-%s-%s-%s" % (cname, sname, np.dtype(dtype).name, vname)
                cases.append(write(name, arr, codec))
for dtype, cname, sname in EXTRA:
    seed += 1
    rng = np.random.default_rng(seed)
    if dtype.startswith("<U"):
        arr = np.array(["imec0.ap#AP%d" % (i % 400) for i in range(3000)], dtype=dtype)
    else:
        arr = values("smooth", dtype, 20001, rng)
    name = "%s-%s-%s-extra" % (cname, sname, np.dtype(dtype).str.lstrip("<"))
    cases.append(write(name, arr, Blosc(cname=cname, clevel=5, shuffle=SHUFFLES[sname])))
# snappy: a codec numcodecs offers that Specus does not decode
arr = values("steps", "<i2", 5001, np.random.default_rng(99))
snappy = dict(write("snappy", arr, Blosc(cname="snappy", clevel=5, shuffle=Blosc.SHUFFLE)), unsupported=True) \
    if "snappy" in numcodecs.blosc.list_compressors() else None

assert snappy is None or not snappy["memcpyed"], "the snappy chunk should hold compressed streams"
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump({"blosc_version": numcodecs.blosc.VERSION_STRING, "numcodecs": numcodecs.__version__,
               "cases": cases, "snappy": snappy}, f, indent=1)
print(len(cases), "cases")
