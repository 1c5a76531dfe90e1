#!/usr/bin/python3
# Tests of compare_outputs.py: equal outputs pass; a perturbation over the threshold, NaN, and any
# shape, dtype or output-count mismatch fail with a nonzero exit. Run: /usr/bin/python3 <this file>
import contextlib
import io
import os
import sys
import tempfile
import unittest

import numpy as np
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_outputs  # noqa: E402


def write(d, k, a, name="y"):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "output_%d.pb" % k), "wb") as f:
        f.write(numpy_helper.from_array(np.asarray(a), name).SerializeToString())


class CompareOutputsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.ref = os.path.join(self.tmp.name, "ref")
        self.ours = os.path.join(self.tmp.name, "ours")
        rng = np.random.default_rng(7)
        self.a = rng.normal(size=(1, 4, 5, 5)).astype(np.float32)
        self.b = rng.uniform(size=(1, 10)).astype(np.float32)
        write(self.ref, 0, self.a)
        write(self.ref, 1, self.b)

    def tearDown(self):
        self.tmp.cleanup()

    def run_tool(self, *extra):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            rc = compare_outputs.main([self.ours, self.ref] + list(extra))
        return rc, buf.getvalue()

    def test_identical_pass(self):
        write(self.ours, 0, self.a)
        write(self.ours, 1, self.b)
        rc, out = self.run_tool()
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.count("PASS"), 2)
        self.assertIn("2 passed, 0 failed", out)

    def test_metric_is_relative_to_max_abs_ref(self):
        p = self.a.copy()
        scale = float(np.max(np.abs(self.a)))
        p[0, 1, 2, 3] += np.float32(5e-5 * scale)  # under 1e-4
        write(self.ours, 0, p)
        write(self.ours, 1, self.b)
        self.assertEqual(self.run_tool()[0], 0)
        p[0, 1, 2, 3] += np.float32(1e-4 * scale)  # now ~1.5e-4
        write(self.ours, 0, p)
        rc, out = self.run_tool()
        self.assertEqual(rc, 1)
        self.assertIn("FAIL", out.splitlines()[0])
        self.assertEqual(self.run_tool("--threshold", "1e-3")[0], 0)

    def test_nan_fails_even_with_huge_threshold(self):
        p = self.a.copy()
        p[0, 0, 0, 0] = np.nan
        write(self.ours, 0, p)
        write(self.ours, 1, self.b)
        rc, out = self.run_tool("--threshold", "1e30")
        self.assertEqual(rc, 1)
        self.assertIn("NaN", out)

    def test_shape_mismatch_fails(self):
        write(self.ours, 0, self.a.reshape(1, 4, 25))
        write(self.ours, 1, self.b)
        rc, out = self.run_tool()
        self.assertEqual(rc, 1)
        self.assertIn("shape", out)

    def test_dtype_mismatch_fails(self):
        write(self.ours, 0, self.a.astype(np.float64))
        write(self.ours, 1, self.b)
        rc, out = self.run_tool()
        self.assertEqual(rc, 1)
        self.assertIn("dtype", out)

    def test_missing_and_extra_outputs_fail(self):
        write(self.ours, 0, self.a)
        self.assertEqual(self.run_tool()[0], 1)
        write(self.ours, 1, self.b)
        write(self.ours, 2, self.b)
        rc, out = self.run_tool()
        self.assertEqual(rc, 1)
        self.assertIn("count mismatch", out)

    def test_empty_reference_fails(self):
        empty = os.path.join(self.tmp.name, "empty")
        os.makedirs(empty)
        write(self.ours, 0, self.a)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            self.assertEqual(compare_outputs.main([self.ours, empty]), 1)


if __name__ == "__main__":
    unittest.main()
