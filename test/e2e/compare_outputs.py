#!/usr/bin/python3
# Compares two directories of ONNX TensorProto outputs (output_0.pb, output_1.pb, ...): ours vs a
# reference. Exit 0 only if both hold the same outputs (count, shape, dtype), no NaN/Inf, and every
# output's max|ours - ref| / max|ref| is within --threshold.
"""Usage: /usr/bin/python3 compare_outputs.py OURS_DIR REF_DIR [--threshold 1e-4] [--label NAME]

Prints one line per output:  <label> output_<k> <shape> <dtype> rel=<metric> PASS|FAIL [why]
and a closing line 'N passed, N failed'. Exit status: 0 all pass, 1 any failure, 2 usage error.
The metric divides by max|ref| (an all-zero reference falls back to the absolute error), so it is
scale-free and does not blow up on near-zero elements, as an elementwise relative error would.
"""

import argparse
import os
import re
import sys

import numpy as np
import onnx
from onnx import numpy_helper

_OUT_RE = re.compile(r"^output_(\d+)\.pb$")


def list_outputs(d):
    """{k: path} of output_<k>.pb in d; fails on gaps so a lost output is never silently skipped."""
    if not os.path.isdir(d):
        raise SystemExit("compare_outputs: %s is not a directory" % d)
    found = {}
    for f in os.listdir(d):
        m = _OUT_RE.match(f)
        if m:
            found[int(m.group(1))] = os.path.join(d, f)
    return found


def load(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t.name, numpy_helper.to_array(t)


def compare_one(ours, ref, threshold):
    """Returns (metric or None, failure reason or '')."""
    if ours.dtype != ref.dtype:
        return None, "dtype %s != ref %s" % (ours.dtype, ref.dtype)
    if ours.shape != ref.shape:
        return None, "shape %s != ref %s" % (list(ours.shape), list(ref.shape))
    if ours.dtype.kind in "fc":
        if not np.all(np.isfinite(ref)):
            return None, "reference has NaN/Inf"
        if not np.all(np.isfinite(ours)):
            return None, "NaN/Inf in ours (%d elements)" % int(np.sum(~np.isfinite(ours)))
    a = ours.astype(np.float64)
    r = ref.astype(np.float64)
    if a.size == 0:
        return 0.0, ""
    err = float(np.max(np.abs(a - r)))
    scale = float(np.max(np.abs(r)))
    metric = err / scale if scale > 0 else err
    if not metric <= threshold:
        idx = np.unravel_index(int(np.argmax(np.abs(a - r))), a.shape)
        return metric, "worst at %s: ours %.7g ref %.7g" % (list(map(int, idx)), a[idx], r[idx])
    return metric, ""


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ours")
    ap.add_argument("ref")
    ap.add_argument("--threshold", type=float, default=1e-4, help="max allowed max|d|/max|ref| (1e-4)")
    ap.add_argument("--label", default="", help="prefix for every line (e.g. the model name)")
    args = ap.parse_args(argv)
    label = (args.label + " ") if args.label else ""

    ours, ref = list_outputs(args.ours), list_outputs(args.ref)
    failed = passed = 0
    if not ref:
        print("%sno output_<k>.pb in reference dir %s FAIL" % (label, args.ref))
        return 1
    if sorted(ref) != list(range(len(ref))):
        print("%sreference outputs are not numbered 0..%d: %s FAIL" % (label, len(ref) - 1, sorted(ref)))
        failed += 1
    if sorted(ours) != sorted(ref):
        print("%soutput count mismatch: ours %s vs ref %s FAIL" % (label, sorted(ours), sorted(ref)))
        failed += 1
    for k in sorted(ref):
        if k not in ours:
            print("%soutput_%d missing in %s FAIL" % (label, k, args.ours))
            failed += 1
            continue
        (_, a), (rname, r) = load(ours[k]), load(ref[k])
        metric, why = compare_one(a, r, args.threshold)
        ok = not why
        mtxt = "rel=%.3e" % metric if metric is not None else "rel=n/a"
        print("%soutput_%d %s %s %s %s %s%s" % (label, k, rname or "-", list(r.shape), r.dtype, mtxt,
                                                "PASS" if ok else "FAIL", "" if ok else "  (" + why + ")"))
        passed += ok
        failed += not ok
    for k in sorted(set(ours) - set(ref)):
        print("%soutput_%d only in %s FAIL" % (label, k, args.ours))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
