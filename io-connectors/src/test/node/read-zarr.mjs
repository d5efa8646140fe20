// Independent check of Specus's Zarr v3 writer: opens a store with zarrita (a separate, spec-based
// JavaScript implementation) and prints what it reads as one JSON document on stdout.
//
// Usage: node read-zarr.mjs <store-dir> <array-path>[:<rowStart>:<rowEnd>] ...
//   For each array: shape, dtype, chunk shape, attributes and all values (Array.from of the typed
//   array; strings as strings). With :<rowStart>:<rowEnd> the rows [rowStart, rowEnd) are also read
//   as a separate selection, which exercises partial (inner-chunk) reads across shard boundaries.
// ZarritaInteropTest copies this file next to its node_modules in target/zarrita and runs it there.
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";

const [storeDir, ...specs] = process.argv.slice(2);
if (!storeDir) {
  console.error("usage: node read-zarr.mjs <store-dir> <array-path>[:<rowStart>:<rowEnd>] ...");
  process.exit(2);
}

const root = zarr.root(new FileSystemStore(storeDir));
const group = await zarr.open(root, { kind: "group" });
const out = { group: { attrs: group.attrs }, arrays: {} };

for (const spec of specs) {
  const [path, start, end] = spec.split(":");
  const arr = await zarr.open(root.resolve(path), { kind: "array" });
  const whole = await zarr.get(arr);
  const entry = {
    shape: arr.shape,
    dtype: arr.dtype,
    chunks: arr.chunks,
    attrs: arr.attrs,
    valuesShape: whole.shape,
    values: Array.from(whole.data),
  };
  if (start !== undefined) {
    const selection = [zarr.slice(Number(start), Number(end)), ...arr.shape.slice(1).map(() => null)];
    const part = await zarr.get(arr, selection);
    entry.rows = { start: Number(start), end: Number(end), shape: part.shape, values: Array.from(part.data) };
  }
  out.arrays[path] = entry;
}
process.stdout.write(JSON.stringify(out) + "\n");
