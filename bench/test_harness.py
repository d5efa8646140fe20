"""Unit tests of the harness's phase split (harness.run_phases) on made-up stage timers.
Run: cd bench && python3 -m unittest test_harness (HarnessPythonTest does, in ./mvnw verify)."""
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


if __name__ == "__main__":
    unittest.main()
