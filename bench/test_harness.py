"""Unit tests of the harness's phase split (harness.run_phases) on made-up stage timers.
Run: cd bench && python3 -m unittest test_harness (HarnessPythonTest does, in ./mvnw verify)."""
import os
import shutil
import tempfile
import unittest

import harness


def timer(stage, cpu_s, calls, first_s, last_s):
    return dict(stage=stage, wall_s="0", cpu_s=str(cpu_s), calls=str(calls), first_s=str(first_s), last_s=str(last_s))


class RunPhasesTest(unittest.TestCase):
    def test_timeline_and_cores_speed(self):
        timers = [timer("statistics.read", 0.3, 20, 3.5, 5.0), timer("statistics.whitening_matrix", 0.2, 1, 6.0, 6.25),
                  timer("main.read", 3.6, 300, 6.5, 35.0), timer("main.whiten", 28.5, 300, 6.6, 35.5)]
        p = harness.run_phases(timers, 5, 1, 36.0)
        self.assertEqual((p["start_up_s"], p["statistics_s"], p["hand_over_s"], p["main_pass_s"]),
                         (3.5, 2.75, 0.25, 29.0))
        self.assertEqual(p["main_pass_x_real_time"], round(300 / 29.0, 2))
        self.assertEqual(p["after_last_tile_s"], 0.5)
        self.assertEqual(p["whitening_cpu_ms_per_tile"], 95.0)

    def test_a_chain_without_whitening_has_no_phases(self):
        self.assertIsNone(harness.run_phases([timer("main.read", 1, 60, 1, 5)], 1, 0, 6.0))


class BuildIfNeededTest(unittest.TestCase):
    """A stand-in for ./specus that rebuilds, or not, as the real one says it does."""

    def launcher(self, stderr, code=0):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        path = os.path.join(d, "specus")
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\necho '{stderr}' >&2\necho 'specus 0.1'\nexit {code}\n")
        os.chmod(path, 0o755)
        return path

    def test_a_rebuild_is_seen_and_done_before_the_timed_run(self):
        self.assertTrue(harness.build_if_needed(self.launcher("specus: building (first use, sources changed, ...)...")))
        self.assertFalse(harness.build_if_needed(self.launcher("")))
        with self.assertRaises(SystemExit):
            harness.build_if_needed(self.launcher("no java", code=1))


if __name__ == "__main__":
    unittest.main()
