"""Unit tests of the harness's targets verdict (targets.py) on made-up rows.
Run: cd bench && python3 -m unittest test_targets (HarnessPythonTest does, in ./mvnw verify)."""
import unittest

import targets


def row(tool, minutes, rnd, wall, rss=830, steal=0.0):
    return dict(tool=tool, minutes=minutes, round=rnd, wall_s=wall, x_real_time=round(minutes * 60 / wall, 2),
                peak_rss_mb=rss, steal_pct=steal)


def table_row(lines, minutes):
    return next(line for line in lines if line.startswith(f"| {minutes:g} |"))


class TargetsTest(unittest.TestCase):
    def test_all_met(self):
        lines = targets.check([row("specus", 5, 0, 35.0), row("baseline", 5, 0, 140.0),
                               row("baseline", 5, 1, 130.0), row("specus", 5, 1, 36.0),
                               row("specus", 10, 0, 70.0, rss=840), row("baseline", 10, 0, 250.0)])
        self.assertEqual(table_row(lines, 5), "| 5 | 8.33–8.57: met | 3.61–3.71: met | 830: met |")
        self.assertEqual(table_row(lines, 10), "| 10 | 8.57: met | 3.57: met | 840: met |")
        self.assertIn("830 to 840 MiB, +1.2 % (≤ 10 %): met", "\n".join(lines))
        self.assertNotIn("Runs that missed a target:", lines)

    def test_one_slow_run_is_named_with_its_steal(self):
        lines = targets.check([row("specus", 5, 0, 36.45), row("baseline", 5, 0, 135.85),
                               row("baseline", 5, 1, 142.05), row("specus", 5, 1, 38.23, steal=3.6)])
        self.assertEqual(table_row(lines, 5), "| 5 | 7.85–8.23: met in 1 of 2 runs | 3.55–3.73: met | 830: met |")
        self.assertEqual(lines[-1], "- 5 min, round 1: 7.85x real time (steal 3.6 %)")

    def test_ratio_is_to_the_fastest_baseline(self):
        # 3.0x the fastest baseline (90 s) but 4x the slower one: the fastest is what counts
        lines = targets.check([row("specus", 1, 0, 30.0), row("baseline", 1, 0, 120.0), row("baseline", 1, 1, 90.0)])
        self.assertIn("| 3.00: met |", table_row(lines, 1))
        lines = targets.check([row("specus", 1, 0, 30.5), row("baseline", 1, 0, 120.0), row("baseline", 1, 1, 90.0)])
        self.assertIn("| 2.95: missed |", table_row(lines, 1))

    def test_memory_over_budget_and_not_flat(self):
        lines = targets.check([row("specus", 1, 0, 5.0, rss=800), row("specus", 10, 0, 50.0, rss=1100)])
        self.assertTrue(table_row(lines, 10).endswith("| 1100: missed |"))
        self.assertIn("800 to 1100 MiB, +37.5 % (≤ 10 %): missed", "\n".join(lines))
        self.assertIn("- 10 min, round 0: 1100 MiB (steal 0.0 %)", lines)

    def test_without_baseline_and_from_csv_strings(self):
        r = {k: str(v) for k, v in row("specus", 1, 0, 13.5).items()}
        lines = targets.check([r])
        self.assertEqual(table_row(lines, 1), "| 1 | 4.44: missed | no baseline run | 830: met |")
        self.assertIn("Memory flat across lengths: needs runs of more than one length", lines)

    def test_no_specus_runs_gives_no_section(self):
        self.assertEqual(targets.check([row("baseline", 1, 0, 30.0)]), [])


if __name__ == "__main__":
    unittest.main()
