#!/usr/bin/python3
"""Runs the opset sweep: every case of gen_opset_models.py through onnxruntime (one batch process)
and through `tigris compile` + `tigris run`, and compares them (test/e2e/compare_outputs.py's
metric: max|ours-ref|/max|ref| <= the case's threshold; threshold 0 = bit-exact). A case expected
to be rejected must fail to compile (exit 2) with the expected text in the error. Prints one line
per case, then what is not tested and why (gen_opset_models.py NOT_TESTED). Exit 0 only if every
selected case behaves as expected.

Usage: /usr/bin/python3 run_opsets.py --models DIR --work DIR --tigris BIN
           [--node NODE] [--modules NODE_MODULES] [--only REGEX] [--budget 64M]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import compare_outputs  # noqa: E402  (same metric as the e2e tests)

RUN_ORT = os.path.join(HERE, "..", "oracle", "run_ort.js")


def read_cases(models):
    cases = []
    with open(os.path.join(models, "cases.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, op, opset, thr, expect, converts, args = line.rstrip("\n").split("\t")
            inputs = []
            while os.path.exists(os.path.join(models, "%s.input_%d.pb" % (name, len(inputs)))):
                inputs.append(os.path.join(models, "%s.input_%d.pb" % (name, len(inputs))))
            cases.append(dict(name=name, op=op, opset=int(opset), thr=thr if thr.startswith("lsb") else float(thr),
                              expect=expect, converts=converts, args=args.split(),
                              model=os.path.join(models, name + ".onnx"), inputs=inputs))
    return cases


def compare_dirs(ours, ref, thr):
    """(worst metric or None, failure text or '')."""
    got, want = compare_outputs.list_outputs(ours), compare_outputs.list_outputs(ref)
    if not want:
        return None, "no reference outputs"
    if sorted(got) != sorted(want):
        return None, "outputs %s vs reference %s" % (sorted(got), sorted(want))
    worst = 0.0
    for k in sorted(want):
        (_, a), (_, r) = compare_outputs.load(got[k]), compare_outputs.load(want[k])
        if isinstance(thr, str):  # "lsbN": integer outputs within N steps (quantized values)
            steps = int(thr[3:])
            if a.dtype != r.dtype or a.shape != r.shape or a.dtype.kind not in "iu":
                return None, "output_%d: %s%s vs reference %s%s (integer outputs expected)" % (
                    k, a.dtype, list(a.shape), r.dtype, list(r.shape))
            d = int(np.abs(a.astype(np.int64) - r.astype(np.int64)).max()) if a.size else 0
            if d > steps:
                return float(d), "output_%d: %d steps from the reference (max %d)" % (k, d, steps)
            worst = max(worst, float(d))
            continue
        metric, why = compare_outputs.compare_one(a, r, thr)
        if why:
            return metric, "output_%d: %s" % (k, why)
        worst = max(worst, metric)
    return worst, ""


def run_case(c, tigris, work, budget):
    d = os.path.join(work, c["name"])
    plan = os.path.join(d, "plan.tgrs")
    comp = subprocess.run([tigris, "compile", c["model"], "-m", budget, "-o", plan] + c["args"],
                          capture_output=True, text=True)
    err = (comp.stderr.strip() or comp.stdout.strip()).splitlines()
    err = err[-1] if err else ""
    if c["expect"].startswith("reject:"):
        want = c["expect"][len("reject:"):]
        if comp.returncode == 2 and want in err:
            return True, "rejected as expected: " + err
        return False, "expected rejection containing %r, got exit %d: %s" % (want, comp.returncode, err)
    if comp.returncode != 0:
        return False, "compile failed (exit %d): %s" % (comp.returncode, err)
    ort_err = os.path.join(d, "ort", "error.txt")
    if os.path.exists(ort_err):
        return False, "onnxruntime failed: " + open(ort_err).read().strip()[:200]
    args = [tigris, "run", plan, "-o", os.path.join(d, "ours") + "/"]
    for i in c["inputs"]:
        args += ["-i", i]
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode != 0:
        return False, "run failed (exit %d): %s" % (run.returncode, run.stderr.strip()[-200:])
    metric, why = compare_dirs(os.path.join(d, "ours"), os.path.join(d, "ort"), c["thr"])
    mtxt = ("steps=%d" % metric if isinstance(c["thr"], str) else "rel=%.3e" % metric) if metric is not None else "rel=n/a"
    return not why, mtxt + ("  " + why if why else "")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--tigris", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--modules", default=os.environ.get("ORACLE_NODE_MODULES", ""))
    ap.add_argument("--only", default="", help="regex on case names (e.g. '^Resize_')")
    ap.add_argument("--budget", default="64M")
    args = ap.parse_args(argv)

    only = re.compile(args.only) if args.only else None
    cases = [c for c in read_cases(args.models) if not only or only.search(c["name"])]
    if not cases:
        print("run_opsets: no case matches %r" % args.only)
        return 1
    if not os.path.isdir(os.path.join(args.modules, "onnxruntime-node")):
        print("run_opsets: onnxruntime-node not found in %r (test/oracle/install.sh)" % args.modules)
        return 1
    os.makedirs(args.work, exist_ok=True)
    batch = os.path.join(args.work, "ort_batch.txt")
    with open(batch, "w") as f:
        for c in cases:
            d = os.path.join(args.work, c["name"])
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            # <case>.oracle.onnx: the same function in ops onnxruntime runs (gen_opset_models.py)
            oracle = c["model"][:-len(".onnx")] + ".oracle.onnx"
            f.write("\t".join([oracle if os.path.exists(oracle) else c["model"], os.path.join(d, "ort")] + c["inputs"]) +
                    "\n")
    env = dict(os.environ, NODE_PATH=args.modules)
    ort = subprocess.run([args.node, RUN_ORT, "--batch", batch], env=env, capture_output=True, text=True)
    if ort.returncode != 0:
        print("run_opsets: the oracle failed: " + ort.stderr.strip())
        return 1

    failed = []
    for c in cases:
        ok, what = run_case(c, args.tigris, args.work, args.budget)
        conv = "" if c["converts"] in ("yes", "n/a") else "  [onnx converter: %s]" % c["converts"]
        print("%-52s %s  %s%s" % (c["name"], "PASS" if ok else "FAIL", what, conv))
        if not ok:
            failed.append(c["name"])
    nb = os.path.join(args.models, "not_tested.tsv")
    if os.path.exists(nb) and not args.only:
        for line in open(nb):
            op, what, why = line.rstrip("\n").split("\t")
            print("not tested: %s %s: %s" % (op, what, why))
    print("%d passed, %d failed" % (len(cases) - len(failed), len(failed)))
    if failed:
        print("failed: " + " ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
