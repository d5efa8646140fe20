"""What the disk did during a harness run, from the kernel's counters (/proc/diskstats) for the
device that holds the run's files: megabytes read and written, the share of the wall time it was
busy, and its service time per MiB moved.

Why: on a shared VM the disk's speed moves. Within a day this VM's disk read 500-1100 MB/s and
wrote 0.7-2.3 GB/s with O_DIRECT, and one 10-minute run spent 68 % of its time in iowait, moving
41 GB at ~190 MB/s where the next one moved them at ~620 MB/s. A probe before the run does not see
such a stall (one taken 5 s before a run that then waited 39 % of its time had found the disk fast),
so the figures are taken over the run itself, which adds no load. The service time per MiB (time
the device spent on requests, summed over requests in flight, divided by the MiB moved) rises when
the disk is slow, whatever the run's own pace; the busy share says whether the disk could have
been what the run waited for.
"""
import os


def device_of(path):
    """The block device name holding `path` (e.g. "vda"), or None (tmpfs, overlay, no sysfs)."""
    try:
        st = os.stat(path)
        link = os.readlink(f"/sys/dev/block/{os.major(st.st_dev)}:{os.minor(st.st_dev)}")
    except OSError:
        return None
    return os.path.basename(link)


def sample(device, stats="/proc/diskstats"):
    """The device's counters now: (sectors read, ms reading, sectors written, ms writing, ms busy),
    or None if `stats` has no such device."""
    if device is None:
        return None
    try:
        with open(stats) as f:
            for line in f:
                v = line.split()
                if len(v) >= 14 and v[2] == device:
                    return int(v[5]), int(v[6]), int(v[9]), int(v[10]), int(v[12])
    except OSError:
        pass
    return None


def over_run(before, after, wall_s):
    """Figures for a results.csv row: disk_read_gb, disk_write_gb, disk_busy_pct, disk_ms_per_mib;
    blank where there were no counters."""
    keys = ("disk_read_gb", "disk_write_gb", "disk_busy_pct", "disk_ms_per_mib")
    if before is None or after is None or wall_s <= 0:
        return dict.fromkeys(keys, "")
    sectors_r, ms_r, sectors_w, ms_w, busy = (b - a for a, b in zip(before, after))
    mib = (sectors_r + sectors_w) * 512 / (1 << 20)
    return dict(zip(keys, (round(sectors_r * 512 / 1e9, 2), round(sectors_w * 512 / 1e9, 2),
                           round(100 * busy / 1000 / wall_s, 1),
                           round((ms_r + ms_w) / mib, 2) if mib > 0 else "")))


def cell(row):
    """A results.csv row's disk figures for the report's table, e.g. "7.1 / 13.82, 92.0, 4.1" (GB read /
    written, busy %, ms/MiB); "" for runs of a harness that did not record them."""
    if row.get("disk_read_gb", "") == "":
        return ""
    per_mib = row.get("disk_ms_per_mib", "")
    return f"{row['disk_read_gb']} / {row['disk_write_gb']}, {row['disk_busy_pct']}, {per_mib if per_mib != '' else '?'}"


def describe(row):
    """A results.csv row's disk figures for a miss, e.g. "disk busy 61 %, 2.90 ms/MiB"; "" for runs
    without them."""
    busy, per_mib = row.get("disk_busy_pct", ""), row.get("disk_ms_per_mib", "")
    if busy == "":
        return ""
    return f"disk busy {float(busy):.0f} %" + (f", {float(per_mib):.2f} ms/MiB" if per_mib != "" else "")
