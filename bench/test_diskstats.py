"""Unit tests of the disk figures the harness records over each run (diskstats.py), on made-up
kernel counters. Run: cd bench && python3 -m unittest test_diskstats (HarnessPythonTest does, in
./mvnw verify)."""
import os
import tempfile
import unittest

import diskstats
import targets

# Two /proc/diskstats lines (kernel 5.x+, with discard and flush fields).
STATS = (" 253       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
         " 254       0 vda 317379 23429 463136546 2946505 404936 88590 985758136 3034065 0 885740 6064352"
         " 86065 29 916660408 81583 47299 2198\n")


class DiskStatsTest(unittest.TestCase):
    def test_the_devices_counters_are_read_by_name(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(STATS)
        self.addCleanup(os.remove, f.name)
        self.assertEqual(diskstats.sample("vda", f.name), (463136546, 2946505, 985758136, 3034065, 885740))
        self.assertIsNone(diskstats.sample("sdb", f.name))
        self.assertIsNone(diskstats.sample(None, f.name))

    def test_figures_over_a_run(self):
        # 2,000,000 sectors read in 1.5 s of requests, 4,000,000 written in 3 s; busy 6 s of a 10 s run.
        before = (100, 10, 200, 20, 30)
        after = (100 + 2_000_000, 10 + 1500, 200 + 4_000_000, 20 + 3000, 30 + 6000)
        mib = 6_000_000 * 512 / (1 << 20)
        self.assertEqual(diskstats.over_run(before, after, 10.0),
                         dict(disk_read_gb=1.02, disk_write_gb=2.05, disk_busy_pct=60.0,
                              disk_ms_per_mib=round(4500 / mib, 2)))
        self.assertEqual(diskstats.over_run(None, after, 10.0),
                         dict(disk_read_gb="", disk_write_gb="", disk_busy_pct="", disk_ms_per_mib=""))
        idle = diskstats.over_run(before, before, 10.0)  # nothing moved: no time per MiB
        self.assertEqual((idle["disk_busy_pct"], idle["disk_ms_per_mib"]), (0.0, ""))

    def test_reports_show_the_disk_where_it_was_recorded(self):
        old = dict(tool="specus", minutes=5, round=0, wall_s=36.3, x_real_time=8.26, peak_rss_mb=836, steal_pct=0.2)
        new = dict(old, disk_read_gb=7.1, disk_write_gb=13.82, disk_busy_pct=92.0, disk_ms_per_mib=4.1)
        self.assertEqual(diskstats.cell(old), "")
        self.assertEqual(diskstats.cell(new), "7.1 / 13.82, 92.0, 4.1")
        self.assertEqual(diskstats.describe(old), "")
        self.assertEqual(diskstats.describe(new), "disk busy 92 %, 4.10 ms/MiB")

    def test_a_miss_names_what_the_disk_did(self):
        rows = [dict(tool="baseline", minutes=10, round=0, wall_s=232.2, x_real_time=2.58, peak_rss_mb=13959,
                     steal_pct=1.0),
                dict(tool="specus", minutes=10, round=0, wall_s=219.0, x_real_time=2.74, peak_rss_mb=846,
                     steal_pct=0.1, disk_read_gb=13.9, disk_write_gb=27.65, disk_busy_pct=97.5,
                     disk_ms_per_mib=9.87)]
        self.assertEqual(targets.check(rows)[-1], "- 10 min, round 0: 2.74x real time, 1.06x the baseline "
                         "(steal 0.1 %; disk busy 98 %, 9.87 ms/MiB)")


if __name__ == "__main__":
    unittest.main()
