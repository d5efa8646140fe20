/**
 * A decoder and a zstd encoder for numcodecs' {@code Blosc} codec, i.e. chunks in the c-blosc 1.x
 * frame format, the default compressor of SpikeInterface's {@code save(format="zarr")} (zstd,
 * clevel 5, bitshuffle) and of zarr-python 2 (lz4, shuffle), and Zarr v3's {@code blosc} codec.
 *
 * <p>A chunk is a 16-byte {@link org.specus.io.zarr.blosc.BloscHeader header}, then either the
 * decoded bytes as they are (the "memcpyed" flag: tiny chunks, clevel 0, incompressible data) or a
 * table of int32 block starts followed by the blocks. Every block but the last decodes to
 * {@code blocksize} bytes, the last to the rest. A block is one stream, or {@code typesize} streams
 * of equal decoded size (see {@link org.specus.io.zarr.blosc.BloscHeader#streams}); each stream is
 * an int32 compressed size followed by that many bytes, stored as they are when the size equals the
 * stream's decoded size. Decoded blocks are then unshuffled ({@link
 * org.specus.io.zarr.blosc.Unshuffle}).
 *
 * <p>Codecs: blosclz ({@link org.specus.io.zarr.blosc.BloscLz}), lz4 and lz4hc (one format, {@link
 * org.specus.io.zarr.blosc.Lz4Block}), zlib ({@link java.util.zip.Inflater}) and zstd (zstd-jni).
 * snappy is refused. Everything here was checked byte for byte against chunks written by numcodecs
 * 0.11 on Debian's c-blosc 1.21.3 ({@code io-connectors/src/test/python/make_blosc.py}); in
 * particular c-blosc 1.x leaves a whole block un-bitshuffled when it holds a number of elements that
 * is not a multiple of 8 (c-blosc2's newer format bitshuffles the multiple of 8 and leaves only the
 * tail, which is not what numcodecs' c-blosc 1.x writes).
 *
 * <p>{@link org.specus.io.zarr.blosc.BloscEncoder} writes zstd chunks with one stream per block
 * (the "don't split" flag, as c-blosc 1.21 does for zstd), byte shuffle or bitshuffle ({@link
 * org.specus.io.zarr.blosc.Shuffle}), and falls back to a memcpyed chunk when compression does not
 * help. numcodecs decodes every chunk it writes to the exact input bytes; at clevel 1 with c-blosc's
 * automatic block size it even writes the bytes numcodecs writes (numcodecs 0.11, c-blosc 1.21.3,
 * libzstd 1.5.4 against zstd-jni's 1.5.7; other levels differ where the two zstd versions do).
 * zarrita (numcodecs.js) reads its chunks through a Zarr v3 {@code blosc} codec
 * ({@code BloscEncoderInteropTest}).
 */
package org.specus.io.zarr.blosc;
