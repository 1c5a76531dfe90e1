#!/usr/bin/python3
"""Layer-by-layer int8 comparison of a candidate runtime with onnxruntime (issue 8's contract).

A single 1-LSB rounding difference early in a deep int8 network spreads, so whole-model outputs
cannot hold a runtime to "within 1 LSB". This harness instead runs onnxruntime once on the whole
model with every quantized activation (QuantizeLinear outputs in a QDQ graph, QLinear* outputs
in a QOperator graph, see qgraph.py) exposed as an extra graph output, cuts the model into one
sub-model per op group (DequantizeLinear inputs -> op -> QuantizeLinear output) whose inputs are
the int8 tensors, feeds each sub-model onnxruntime's own int8 inputs, and compares the
candidate's int8 output with onnxruntime's:

  per layer   max |candidate - onnxruntime| in LSB (integer steps of the output); fails if any
              exceeds --tolerance (1)
  end to end  the candidate on the whole model: max LSB difference of each output (a float
              output written by a DequantizeLinear is measured in that DequantizeLinear's steps),
              reported; the top-1 (argmax) of every output must be the same (--e2e-top1 report
              only prints it: in a deep random-weight network 1-LSB differences spread until the
              top-1 of a 1000-class output moves, whatever the integer arithmetic; see
              docs/testing.md). --e2e-reference tflite compares with the numpy TFLite chain instead

Usage:
  layerwise.py MODEL.onnx IN.pb [IN.pb ...] --work DIR [--candidate C] [--tolerance 1]
               [--expect-max-lsb N] [--modules NODE_MODULES] [--node node] [--only REGEX]
               [--e2e-reference ort|tflite] [--e2e-top1 require|report] [--float-threshold T]
               [--no-e2e]

Candidates (--candidate, or the environment variable TIGRIS_INT8_CANDIDATE; default ort):
  ort            onnxruntime itself, through test/oracle/run_ort.js (a self-check: extraction and
                 feeding must reproduce the whole-model values, 0 LSB)
  tflite         the numpy model of TFLite's integer arithmetic (tflite_int8.py), in process;
                 groups it has no integer model of (Softmax, a float input's QuantizeLinear) are
                 float-emulated and marked "float"
  tigris:BIN[:BUDGET[+BUDGET]]
                 `BIN compile SUB.onnx -m BUDGET ... -o P.tgrs && BIN run P.tgrs -i IN.pb ... -o OUT`
                 (BUDGET default 64M; 8K+8M gives -m 8K -m 8M)
  cmd:TEMPLATE   any command (run by bash) with {model}, {inputs} ("-i a.pb -i b.pb"),
                 {input_files} ("a.pb b.pb"), {out} (write output_0.pb there) and {work} (scratch)

Everything stays in DIR: DIR/ort/ (the whole-model run), DIR/layers/NNN/ per group (sub.onnx,
input_<k>.pb, ref/output_0.pb from onnxruntime, cand/output_0.pb from the candidate), DIR/e2e/.
With the tflite candidate the cand/ files are golden data of TFLite's integer semantics.
Environment as run_e2e.sh: ORACLE_NODE_MODULES, TIGRIS_NODE. Exit status 0 only if every layer
is within the tolerance (and --expect-max-lsb holds) and end to end the top-1 agrees.
"""

import argparse
import collections
import os
import re
import shlex
import shutil
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import qgraph  # noqa: E402
import tflite_int8  # noqa: E402

RUN_ORT = os.path.join(SRC, "test", "oracle", "run_ort.js")


def read_tensor(path):
    t = TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t.name, numpy_helper.to_array(t)


def write_tensor(path, array, name):
    t = numpy_helper.from_array(np.ascontiguousarray(array), name)
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def save(model, path):
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


class Oracle:
    def __init__(self, node, modules):
        if not modules or not os.path.isdir(os.path.join(modules, "onnxruntime-node")):
            raise SystemExit("layerwise: onnxruntime-node not found (ORACLE_NODE_MODULES or --modules; "
                             "test/oracle/install.sh installs it)")
        self.node, self.env = node, dict(os.environ, NODE_PATH=modules)

    def batch(self, jobs, work):
        """jobs: [(model, outdir, [inputs])]; onnxruntime runs them in one process."""
        lst = os.path.join(work, "ort_batch.txt")
        with open(lst, "w") as f:
            for model, out, ins in jobs:
                f.write("\t".join([model, out] + list(ins)) + "\n")
        r = subprocess.run([self.node, RUN_ORT, "--batch", lst], env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True)
        if r.returncode != 0:
            raise SystemExit("layerwise: onnxruntime failed:\n" + r.stdout)
        for _, out, _ in jobs:
            err = os.path.join(out, "error.txt")
            if os.path.exists(err):
                raise SystemExit("layerwise: onnxruntime rejected a model (%s): %s" % (out, open(err).read()))


def outputs_of(d):
    """{name: array} of d/output_<k>.pb."""
    res = {}
    k = 0
    while os.path.exists(os.path.join(d, "output_%d.pb" % k)):
        name, v = read_tensor(os.path.join(d, "output_%d.pb" % k))
        res[k] = (name, v)
        k += 1
    return res


class Candidate:
    """Runs a list of cases [(model path, [input paths], out dir, work dir)]; writes output_<k>.pb."""

    def __init__(self, spec, oracle):
        self.spec, self.oracle = spec, oracle
        if spec == "ort":
            self.kind = "ort"
        elif spec == "tflite":
            self.kind = "tflite"
        elif spec.startswith("tigris:"):
            parts = spec.split(":")
            binary, budget = parts[1], parts[2] if len(parts) > 2 else "64M"
            pools = " ".join("-m %s" % p for p in budget.split("+"))
            self.kind, self.template = "cmd", (shlex.quote(binary) + " compile {model} " + pools +
                                               " -o {work}/plan.tgrs && " + shlex.quote(binary) +
                                               " run {work}/plan.tgrs {inputs} -o {out}")
        elif spec.startswith("cmd:"):
            self.kind, self.template = "cmd", spec[4:]
        else:
            raise SystemExit("layerwise: unknown candidate %r (ort, tflite, tigris:BIN[:BUDGET], cmd:TEMPLATE)" % spec)
        self.how = {}

    def run(self, cases, work):
        if self.kind == "ort":
            for _, _, out, _ in cases:
                shutil.rmtree(out, ignore_errors=True)
            self.oracle.batch([(m, out, ins) for m, ins, out, _ in cases], work)
            return {out: None for _, _, out, _ in cases}
        errors = {}
        for model_path, ins, out, scratch in cases:
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out, exist_ok=True)
            os.makedirs(scratch, exist_ok=True)
            if self.kind == "tflite":
                model = onnx.load(model_path)
                feeds = dict(read_tensor(p) for p in ins)
                try:
                    res, how = tflite_int8.run_model(model, feeds)
                except Exception as e:  # noqa: BLE001  (reported per case)
                    errors[out] = "%s: %s" % (type(e).__name__, e)
                    continue
                self.how[out] = how
                for k, o in enumerate(model.graph.output):
                    write_tensor(os.path.join(out, "output_%d.pb" % k), res[o.name], o.name)
                continue
            cmd = self.template.format(model=shlex.quote(model_path),
                                       inputs=" ".join("-i " + shlex.quote(p) for p in ins),
                                       input_files=" ".join(shlex.quote(p) for p in ins),
                                       out=shlex.quote(out), work=shlex.quote(scratch))
            r = subprocess.run(["bash", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
            with open(os.path.join(scratch, "log.txt"), "w") as f:
                f.write("$ %s\n%s" % (cmd, r.stdout))
            if r.returncode != 0:
                errors[out] = "exit %d: %s" % (r.returncode, r.stdout.strip().splitlines()[-1] if r.stdout.strip()
                                               else "")
        return errors


def lsb_diff(c, r):
    """(max |c - r| in integer steps, elements differing) for same-shape integer arrays."""
    d = np.abs(c.astype(np.int64) - r.astype(np.int64))
    return int(d.max()) if d.size else 0, int((d != 0).sum())


def dq_scale_of_output(qg, name):
    """The per-tensor scale of the DequantizeLinear writing graph output `name`, else None."""
    n = qg.producer.get(name)
    if n is None or n.op_type != "DequantizeLinear":
        return None
    s = qg.inits.get(n.input[1])
    return None if s is None or np.size(s) != 1 else float(s)


def compare_e2e(label, qg, got, target, who, top1_mode, float_threshold=None, max_lsb=None):
    """Prints the end-to-end comparison of every graph output; returns the failures."""
    failed = []
    for k, o in enumerate(qg.outputs):
        r = target[o]
        if k not in got:
            print("end to end %s output %s: FAIL no output_%d.pb" % (label, o, k))
            failed.append("e2e")
            continue
        c = got[k]
        if c.shape != r.shape or c.dtype != r.dtype:
            print("end to end %s output %s: FAIL %s %s, %s %s %s" %
                  (label, o, c.dtype, list(c.shape), who, r.dtype, list(r.shape)))
            failed.append("e2e")
            continue
        steps = None
        if r.dtype.kind in "iu":
            mx, nd = lsb_diff(c, r)
            steps = mx
            diff = "max %d LSB (%d of %d differ)" % (mx, nd, r.size)
        else:
            s = dq_scale_of_output(qg, o)
            ad = float(np.abs(c.astype(np.float64) - r.astype(np.float64)).max())
            if s is not None:
                steps = int(round(ad / s))
                diff = "max %d LSB (%g at scale %g)" % (steps, ad, s)
            else:
                rel = ad / max(float(np.abs(r).max()), 1e-30)
                diff = "max |diff| %.3g (rel %.3g; float output)" % (ad, rel)
                if float_threshold is not None:
                    ok = rel <= float_threshold
                    diff += ", threshold %g %s" % (float_threshold, "ok" if ok else "FAIL")
                    if not ok:
                        failed.append("e2e-float")
        if max_lsb is not None and steps is not None and steps > max_lsb:
            diff += ", more than %d LSB: FAIL" % max_lsb
            failed.append("e2e-lsb")
        top_c, top_r = int(np.argmax(c.reshape(-1))), int(np.argmax(r.reshape(-1)))
        same = top_c == top_r
        note = "" if same or top1_mode == "require" else " (reported, not required)"
        print("end to end %s output %s vs %s: %s, top-1 %s (%d vs %d)%s" %
              (label, o, who, diff, "same" if same else "DIFFERENT", top_c, top_r, note))
        if not same and top1_mode == "require":
            failed.append("e2e-top1")
    return failed


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--work", required=True)
    ap.add_argument("--candidate", default=os.environ.get("TIGRIS_INT8_CANDIDATE", "ort"))
    ap.add_argument("--tolerance", type=int, default=1, help="max LSB difference allowed per layer (1)")
    ap.add_argument("--expect-max-lsb", type=int, default=None,
                    help="also fail unless the largest per-layer difference is at most this (0 for a self-check)")
    ap.add_argument("--modules", default=os.environ.get("ORACLE_NODE_MODULES", ""))
    ap.add_argument("--node", default=os.environ.get("TIGRIS_NODE", "node"))
    ap.add_argument("--only", default=None, help="regex: compare only the groups whose output name matches")
    ap.add_argument("--no-e2e", action="store_true", help="skip the end-to-end comparison")
    ap.add_argument("--e2e-reference", choices=("ort", "tflite"), default="ort",
                    help="compare the whole-model run with onnxruntime (default) or with the numpy "
                         "TFLite chain (the bit-exact target of a TFLite-semantics runtime)")
    ap.add_argument("--float-threshold", type=float, default=None,
                    help="fail when a float output not written by a DequantizeLinear has "
                         "max|diff|/max|ref| above this (e.g. 1e-4 for a weight-only model)")
    ap.add_argument("--e2e-top1", choices=("require", "report"), default="require",
                    help="whether a different end-to-end top-1 fails (require) or is only printed")
    ap.add_argument("--e2e-max-lsb", type=int, default=None,
                    help="also fail when an end-to-end quantized output is more than this many LSB from the "
                         "reference (0 with --e2e-reference tflite: the TFLite rounding target)")
    ap.add_argument("--e2e-only", action="store_true", help="skip the layer-by-layer part")
    args = ap.parse_args(argv)

    model = onnx.load(args.model)
    qg = qgraph.QGraph(model)
    label = os.path.splitext(os.path.basename(args.model))[0]
    oracle = Oracle(args.node, args.modules)
    cand = Candidate(args.candidate, oracle)
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    inputs = [os.path.abspath(p) for p in args.inputs]

    # 1. onnxruntime on the whole model, every quantized activation exposed
    exposed = os.path.join(work, "exposed.onnx")
    save(qg.exposed(qg.quantized), exposed)
    oracle.batch([(exposed, os.path.join(work, "ort"), inputs)], work)
    ref = {name: v for name, v in outputs_of(os.path.join(work, "ort")).values()}
    for p in inputs:
        name, v = read_tensor(p)
        ref.setdefault(name, v)
    if len(inputs) == len(qg.inputs):  # positional binding, as run_ort.js does when names differ
        for name, p in zip(qg.inputs, inputs):
            ref.setdefault(name, read_tensor(p)[1])

    # 2. one sub-model per group, fed onnxruntime's values
    groups = [g for g in qg.groups if (not args.only or re.search(args.only, g.output)) and not args.e2e_only]
    cases = []
    for i, g in enumerate(groups):
        d = os.path.join(work, "layers", "%03d" % i)
        os.makedirs(d)
        sub = qg.submodel(g, {t: ref[t].shape for t in g.inputs + [g.output]})
        save(sub, os.path.join(d, "sub.onnx"))
        ins = []
        for k, t in enumerate(g.inputs):
            ins.append(os.path.join(d, "input_%d.pb" % k))
            write_tensor(ins[-1], ref[t], t)
        os.makedirs(os.path.join(d, "ref"))
        write_tensor(os.path.join(d, "ref", "output_0.pb"), ref[g.output], g.output)
        with open(os.path.join(d, "group.txt"), "w") as f:
            f.write("output %s\ninputs %s\nops %s\n" % (g.output, " ".join(g.inputs), " ".join(g.ops())))
        cases.append((os.path.join(d, "sub.onnx"), ins, os.path.join(d, "cand"), os.path.join(d, "scratch")))
    errors = cand.run(cases, work) if cases else {}

    print("layerwise %s, candidate %s: %d layer groups" % (label, args.candidate, len(groups)))
    failed = []
    hist = collections.Counter()
    worst = 0
    for i, (g, (_, _, out, _)) in enumerate(zip(groups, cases)):
        shape = "x".join(str(s) for s in ref[g.output].shape)
        how = cand.how.get(out, {}).get(g.output, "")
        how = (" [%s]" % how) if how.startswith("float") else ""
        head = "  %03d %-40s %-34s %-14s" % (i, g.output[:40], "+".join(g.ops())[:34], shape)
        if errors.get(out) is not None or not os.path.exists(os.path.join(out, "output_0.pb")):
            print("%s FAIL candidate: %s" % (head, errors.get(out, "no output_0.pb")))
            failed.append(g.output)
            continue
        _, c = read_tensor(os.path.join(out, "output_0.pb"))
        r = ref[g.output]
        if c.shape != r.shape or c.dtype != r.dtype:
            print("%s FAIL output %s %s, onnxruntime %s %s" % (head, c.dtype, list(c.shape), r.dtype, list(r.shape)))
            failed.append(g.output)
            continue
        mx, nd = lsb_diff(c, r)
        hist[min(mx, 2)] += 1
        worst = max(worst, mx)
        ok = mx <= args.tolerance
        print("%s max %d LSB (%d of %d differ)%s%s" % (head, mx, nd, r.size, how, "" if ok else "  FAIL"))
        if not ok:
            failed.append(g.output)
    if groups:
        print("layerwise %s: max %d LSB; layers at 0 LSB: %d, 1 LSB: %d, >1 LSB: %d, failed: %d" %
              (label, worst, hist[0], hist[1], hist[2], len(failed)))
    if args.expect_max_lsb is not None and worst > args.expect_max_lsb:
        print("layerwise %s: FAIL: largest layer difference %d LSB, expected at most %d" %
              (label, worst, args.expect_max_lsb))
        failed.append("expect-max-lsb")

    # 3. end to end
    if not args.no_e2e:
        e2e = os.path.join(work, "e2e")
        err = cand.run([(os.path.abspath(args.model), inputs, os.path.join(e2e, "cand"),
                         os.path.join(e2e, "scratch"))], work).get(os.path.join(e2e, "cand"))
        if err:
            print("end to end %s: FAIL candidate: %s" % (label, err))
            failed.append("e2e")
        else:
            got = {k: v for k, (_, v) in outputs_of(os.path.join(e2e, "cand")).items()}
            target, who = ref, "onnxruntime"
            if args.e2e_reference == "tflite":
                feeds = {name: ref[name] for name in qg.inputs}
                target, _ = tflite_int8.run_model(model, feeds)
                who = "numpy TFLite"
            failed += compare_e2e(label, qg, got, target, who, args.e2e_top1, args.float_threshold, args.e2e_max_lsb)
    print("layerwise %s: %s" % (label, "FAIL (%s)" % ", ".join(failed[:8]) if failed else "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
