"""Writes NWB-layout HDF5 files with h5py in every storage layout and element type the NWB reader
reads, for NwbLayoutsTest (the direct chunk reads against jhdf's slice reads).

Usage: make_nwb_layouts.py OUT_DIR

- layouts.nwb: one ElectricalSeries per case under /acquisition, SAMPLES x CHANNELS (1-D where the
  name says so), starting_time.rate 30000. Cases (name: dtype, layout, filters, attributes):
    gzip             int16, chunks 700 x all channels, gzip 4 (the last chunk partly outside)
    shuffle_gzip     int16, chunks 700 x all, shuffle + gzip
    plain            int16, chunks 700 x all, no filter
    contiguous       int16, contiguous
    narrow           int16, chunks 300 x 5 (three chunks across the 12 channels, the last 2 wide), gzip
    wide             int16, chunks 256 x 16 (wider than the 12 channels; maxshape allows it), gzip
    missing          int16, chunks 700 x all, gzip, chunks 2 and 4 never written; offset 1e-4, conversion 2.5e-6
    missing_plain    the same without a filter
    big_endian       >i2, chunks 700 x all, gzip
    fletcher         int16, chunks 700 x all, shuffle + gzip + fletcher32 (decoded by jhdf)
    lzf              int16, chunks 700 x all, lzf (decoded by jhdf)
    compact          int16, 100 x 4, compact layout (read through jhdf's slices)
    i8 u8 u16 i32 u32 i64 f32 f64
                     that type, chunks 700 x all, gzip; i64 holds values past 2^53; f32 and f64 hold -0.0,
                     NaN, infinities and subnormals
    i32_contiguous f64_contiguous  contiguous
    f64_shuffle      float64, chunks 700 x all, shuffle + gzip (8-byte shuffle)
    f32_offset       float32, chunks 700 x all, gzip, offset 1e-4, channel_conversion (1, 2, 1, 2, ...)
    i16_offset       int16, contiguous, offset -3e-5, conversion 1e-6
    oned             int16, 1-D, chunks 700, gzip
    oned_f32         float32, 1-D, contiguous, with -0.0
- latest.nwb: gzip, shuffle_gzip, wide, missing, missing_plain and contiguous as above, and single_chunk (one chunk
  holds the whole series), in the HDF5 1.10 file format (libver="latest": other chunk indexes).
- corrupt.nwb: the gzip case alone, with chunk 3's deflate stream overwritten in the middle.
Values are seeded by the case's name (numpy default_rng(crc32(name))): a case holds the same values in
every file.
"""
import sys
import zlib
from pathlib import Path

import h5py
import numpy as np

SAMPLES = 5003
CHANNELS = 12
out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)


def text_attr(obj, name, value):
    obj.attrs.create(name, value, dtype=h5py.string_dtype())


def values(dtype, shape, name):
    rng = np.random.default_rng(zlib.crc32(name.encode()))  # the same values for a case in every file
    dt = np.dtype(dtype)
    if dt.kind == "f":
        v = (rng.standard_normal(shape) * 1e-3).astype(dt)
        flat = v.reshape(-1)
        specials = [-0.0, 0.0, np.nan, np.inf, -np.inf, np.finfo(dt).tiny / 4, -np.finfo(dt).tiny / 8, 1e-30]
        for k, s in enumerate(specials):
            flat[(k * 997 + 13) % flat.size] = s
        return v
    info = np.iinfo(dt)
    if dt.itemsize == 8:
        v = rng.integers(-(1 << 62), 1 << 62, size=shape, dtype=np.int64)
        v.reshape(-1)[::7] = (1 << 53) + 1  # rounds once to double and again to float
        return v.astype(dt)
    return rng.integers(info.min, int(info.max) + 1, size=shape, dtype=np.int64).astype(dt)


def series(acq, name, data=None, dtype="<i2", shape=(SAMPLES, CHANNELS), conversion=None, offset=None,
           channel_conversion=None, write=True, **kw):
    es = acq.create_group(name)
    text_attr(es, "neurodata_type", "ElectricalSeries")
    if data is None:
        data = values(dtype, shape, name)
    if write:
        d = es.create_dataset("data", data=data, dtype=dtype, **kw)
    else:
        d = es.create_dataset("data", shape=data.shape, dtype=dtype, **kw)
    if conversion is not None:
        d.attrs["conversion"] = conversion
    if offset is not None:
        d.attrs["offset"] = offset
    text_attr(d, "unit", "volts")
    st = es.create_dataset("starting_time", data=0.0)
    st.attrs["rate"] = 30000.0
    if channel_conversion is not None:
        es.create_dataset("channel_conversion", data=np.asarray(channel_conversion, dtype=np.float32))
    return d, data


def missing(acq, name, **kw):
    """Chunks 2 and 4 never written."""
    d, data = series(acq, name, chunks=CH, conversion=2.5e-6, offset=1e-4, write=False, **kw)
    for c in range(0, (SAMPLES + 699) // 700):
        if c not in (2, 4):
            d[c * 700:(c + 1) * 700] = data[c * 700:(c + 1) * 700]


def nwb_file(path):
    f = h5py.File(path, "w")
    text_attr(f, "nwb_version", "2.5.0")
    text_attr(f, "neurodata_type", "NWBFile")
    return f, f.create_group("acquisition")


CH = (700, CHANNELS)
with h5py.File(out / "layouts.nwb", "w") as f:
    text_attr(f, "nwb_version", "2.5.0")
    text_attr(f, "neurodata_type", "NWBFile")
    acq = f.create_group("acquisition")
    series(acq, "gzip", chunks=CH, compression="gzip", compression_opts=4)
    series(acq, "shuffle_gzip", chunks=CH, compression="gzip", shuffle=True)
    series(acq, "plain", chunks=CH)
    series(acq, "contiguous")
    series(acq, "narrow", chunks=(300, 5), compression="gzip")
    series(acq, "wide", chunks=(256, 16), maxshape=(None, 16), compression="gzip")
    missing(acq, "missing", compression="gzip")
    missing(acq, "missing_plain")
    series(acq, "big_endian", dtype=">i2", chunks=CH, compression="gzip")
    series(acq, "fletcher", chunks=CH, compression="gzip", shuffle=True, fletcher32=True)
    series(acq, "lzf", chunks=CH, compression="lzf")
    # Compact layout through the low-level API (h5py's high level has no switch for it).
    es = acq.create_group("compact")
    text_attr(es, "neurodata_type", "ElectricalSeries")
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    small = values("<i2", (100, 4), "compact")
    dsid = h5py.h5d.create(es.id, b"data", h5py.h5t.STD_I16LE, h5py.h5s.create_simple(small.shape), dcpl=dcpl)
    h5py.Dataset(dsid)[...] = small
    text_attr(es["data"], "unit", "volts")
    es.create_dataset("starting_time", data=0.0).attrs["rate"] = 30000.0
    for name, dtype in [("i8", "<i1"), ("u8", "<u1"), ("u16", "<u2"), ("i32", "<i4"), ("u32", "<u4"),
                        ("i64", "<i8"), ("f32", "<f4"), ("f64", "<f8")]:
        series(acq, name, dtype=dtype, chunks=CH, compression="gzip")
    series(acq, "i32_contiguous", dtype="<i4")
    series(acq, "f64_contiguous", dtype="<f8")
    series(acq, "f64_shuffle", dtype="<f8", chunks=CH, compression="gzip", shuffle=True)
    series(acq, "f32_offset", dtype="<f4", chunks=CH, compression="gzip", offset=1e-4,
           channel_conversion=[1.0 if c % 2 == 0 else 2.0 for c in range(CHANNELS)])
    series(acq, "i16_offset", offset=-3e-5, conversion=1e-6)
    series(acq, "oned", shape=(SAMPLES,), chunks=(700,), compression="gzip")
    series(acq, "oned_f32", dtype="<f4", shape=(SAMPLES,))

# The HDF5 1.10 file format (libver="latest"): jhdf reads its chunk indexes (fixed array, extensible
# array, single chunk) with other code than the 1.8 format's B-tree above.
with h5py.File(out / "latest.nwb", "w", libver="latest") as f:
    text_attr(f, "nwb_version", "2.5.0")
    text_attr(f, "neurodata_type", "NWBFile")
    acq = f.create_group("acquisition")
    series(acq, "gzip", chunks=CH, compression="gzip", compression_opts=4)
    series(acq, "shuffle_gzip", chunks=CH, compression="gzip", shuffle=True)
    series(acq, "wide", chunks=(256, 16), maxshape=(None, 16), compression="gzip")
    series(acq, "single_chunk", chunks=(SAMPLES, CHANNELS), compression="gzip")
    missing(acq, "missing", compression="gzip")
    missing(acq, "missing_plain")
    series(acq, "contiguous")

with h5py.File(out / "corrupt.nwb", "w") as f:
    text_attr(f, "nwb_version", "2.5.0")
    text_attr(f, "neurodata_type", "NWBFile")
    d, _ = series(f.create_group("acquisition"), "gzip", chunks=CH, compression="gzip", compression_opts=4)
    info = d.id.get_chunk_info_by_coord((3 * 700, 0))
    where, size = info.byte_offset, info.size
with open(out / "corrupt.nwb", "r+b") as f:
    f.seek(where + size // 3)
    f.write(bytes(range(256)) * 4)
