#!/usr/bin/python3
"""The `tigris` binary's reports and plan inspection, checked through the real CLI.

Usage: cli_report.py TIGRIS MODELS_DIR WORK_DIR CHECK [--update]

MODELS_DIR holds tools/models/gen_models.py output (ds_cnn, mobilenet_v1). CHECK is one of
  verbose   -v on MobileNetV1-128 at -m 64K -m 8M: stdout stays valid JSON, the log (stderr)
            names every stage index and every tiled op / chain of the analyze JSON
  inspect   inspect --json of a compiled plan agrees with analyze --json of the same compile
            (stages, ops, pool sizes, plan and weight sizes)
  errors    inspect of corrupted plans exits 2 naming the loader's status; --diff exits 0 for
            a plan and itself and 1 for two budgets, naming what changed
  golden    the report boxes of DS-CNN match test/cli/golden/*.txt and no line breaks a border
            (--update rewrites the golden files)
  target    --target PROFILE.json (read with nlohmann-json) ranks plans like a built-in profile;
            malformed profiles are one-line errors, exit 2
  progress  --min-budget draws progress on stderr only when stderr is a terminal (script(1))
Prints PASS/FAIL lines; exits 1 on any failure.
"""
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
BOX_WIDTH = 74  # columns of a box line, corners included (kBoxWidth + 2 in report.cpp)

failures = 0


def check(ok, what, detail=""):
    global failures
    print(("PASS " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + detail))
    if not ok:
        failures += 1
    return ok


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def parse_json(text, what):
    try:
        return json.loads(text)
    except ValueError as e:
        check(False, what + " is valid JSON", str(e) + ": " + text[:200])
        return None


def check_verbose(tigris, models, work):
    model = os.path.join(models, "mobilenet_v1.onnx")
    r = run([tigris, "analyze", model, "-m", "64K", "-m", "8M", "-v", "--json"])
    check(r.returncode == 0, "analyze -v --json exits 0", r.stderr[-500:])
    rep = parse_json(r.stdout, "stdout of analyze -v --json")
    if rep is None:
        return
    check(rep.get("schema_version") == 1, "schema_version is 1", str(rep.get("schema_version")))
    log = r.stderr.splitlines()
    check(len(log) > 10 and all(l.startswith("tigris ") for l in log), "stderr is log lines only",
          "\n".join(log[:5]))
    stages = rep["stage_list"]
    check(len(stages) == rep["stages"] and len(stages) > 1, "MobileNetV1 at 64K has several stages", str(len(stages)))
    stage_lines = [l for l in log if re.search(r"partition: stage \d+ \(", l)]
    for k, st in enumerate(stages):
        line = [l for l in stage_lines if re.search(r"partition: stage %d \(%s\)" % (k, st["kind"]), l)]
        names = [st["first_node"], st["last_node"]] if st["first_node"] else []
        check(len(line) == 1 and all("'" + n + "'" in line[0] for n in names),
              "log names stage %d (%s, %s .. %s)" % (k, st["kind"], st["first_node"], st["last_node"]),
              "\n".join(line) or "no line")
    tiled = [st for st in stages if st["kind"] != "normal"]
    check(len(tiled) > 0, "the analyze JSON lists tiled/chain stages")
    for st in tiled:
        word = "tile" if st["kind"] == "tiled" else "chain"
        want = "tiling: %s '%s'" % (word, st["first_node"]) + ("" if word == "tile" else " .. '%s'" % st["last_node"])
        hits = [l for l in log if want in l and "cycles" in l]
        check(len(hits) == 1, "log gives the tiling decision and its cost for " + want, "\n".join(hits) or "missing")
        strips = [l for l in log if "partition: " in l and "'%s'" % st["first_node"] in l and "strips of" in l]
        check(len(strips) == 1, "log gives the strip choice for '%s'" % st["first_node"], "\n".join(strips) or "missing")
    for what in ("pass FoldBatchNorm: ", "pass FuseActivations: ", "schedule: ", "memory plan: pool 0: arena",
                 "import: constant folding", "import: opset"):
        check(any(what in l for l in log), "log has '%s'" % what.strip())
    print("verbose: %d log lines, %d stages, %d tiling decisions" % (len(log), len(stages), len(tiled)))
    # Quiet by default, debug with -vv, a bad level is an error.
    q = run([tigris, "analyze", model, "-m", "64K", "-m", "8M", "--json"])
    check(q.returncode == 0 and q.stderr == "", "no log without -v", q.stderr[:300])
    d = run([tigris, "analyze", model, "-m", "64K", "-m", "8M", "-vv"])
    check(any(l.startswith("tigris debug:") for l in d.stderr.splitlines()), "-vv logs debug lines")
    b = run([tigris, "analyze", model, "-m", "64K", "--log-level", "loud"])
    check(b.returncode == 2 and b.stderr.count("tigris: error:") == 1 and "loud" in b.stderr,
          "--log-level loud is a one-line error, exit 2", b.stderr)


def pool_args(mem):
    """-m per pool size; an option (--xip) passes through."""
    return sum(([m] if m.startswith("--") else ["-m", m] for m in mem), [])


def compile_plan(tigris, model, mem, out):
    args = [tigris, "compile", model, "-o", out] + pool_args(mem)
    r = run(args)
    check(r.returncode == 0 and os.path.getsize(out) > 0, "compile %s %s" % (os.path.basename(model), " ".join(mem)),
          r.stderr)
    return out


def check_inspect(tigris, models, work):
    # streamed weights (the default) and XIP: inspect reads the same quant tables either way
    for name, mem in (("mobilenet_v1", ["64K", "8M"]), ("ds_cnn", ["64K", "--xip"]), ("ds_cnn", ["4K", "1M"])):
        model = os.path.join(models, name + ".onnx")
        tag = name + "_" + "_".join(m.strip("-") for m in mem)
        plan = compile_plan(tigris, model, mem, os.path.join(work, tag + ".tgrs"))
        args = [tigris, "analyze", model, "--json"] + pool_args(mem)
        a = parse_json(run(args).stdout, "analyze --json " + tag)
        r = run([tigris, "inspect", plan, "--json"])
        check(r.returncode == 0, "inspect --json %s exits 0" % tag, r.stderr)
        i = parse_json(r.stdout, "inspect --json " + tag)
        if a is None or i is None:
            continue
        check(i["schema_version"] == a["schema_version"] == 1 and i["kind"] == "inspect", tag + ": schema_version 1")
        check(i["pool_size"] == a["pool_used"], tag + ": pool sizes agree", "%s vs %s" % (i["pool_size"], a["pool_used"]))
        check(i["plan_bytes"] == a["plan_bytes"], tag + ": plan size agrees", "%s vs %s" % (i["plan_bytes"], a["plan_bytes"]))
        check(i["model_ops"] == a["operators"], tag + ": model ops agree", "%s vs %s" % (i["model_ops"], a["operators"]))
        check(i["quant_table_bytes"] == a["quant_table_bytes"], tag + ": quant table bytes agree")
        check(abs(i["weights_size"] - a["weight_bytes"]) < 16 * max(1, a["weights"]),
              tag + ": weights section ~ weight bytes (16-byte alignment)", "%s vs %s" % (i["weights_size"], a["weight_bytes"]))
        check(len(i["stage_list"]) == a["stages"], tag + ": stage count agrees",
              "%d vs %d" % (len(i["stage_list"]), a["stages"]))
        keys = ("first_op", "last_op", "kind", "compute_ops", "fast_peak", "spill_bytes", "reload_bytes", "first_node",
                "last_node")
        bad = []
        for k, (x, y) in enumerate(zip(i["stage_list"], a["stage_list"])):
            for key in keys:
                if x[key] != y[key]:
                    bad.append("stage %d %s: inspect %r, analyze %r" % (k, key, x[key], y[key]))
        check(not bad, tag + ": every stage agrees (%s)" % ", ".join(keys), "; ".join(bad[:5]))
        t = run([tigris, "inspect", plan])
        check(t.returncode == 0 and "stages:" in t.stdout and "tensors (pool @ offset" in t.stdout,
              tag + ": inspect text shows stages, ops and tensors", t.stderr)


def check_errors(tigris, models, work):
    model = os.path.join(models, "ds_cnn.onnx")
    plan = compile_plan(tigris, model, ["64K", "--xip"], os.path.join(work, "e64.tgrs"))
    other = compile_plan(tigris, model, ["8K", "1M"], os.path.join(work, "e8.tgrs"))
    data = open(plan, "rb").read()
    cases = {
        "truncated": (data[: len(data) // 2], "TGRS_ERR_TRUNCATED"),
        "flipped": (data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF]) + data[len(data) // 2 + 1:],
                    "TGRS_ERR_CHECKSUM"),
        "bad_magic": (b"XXXX" + data[4:], "TGRS_ERR_BAD_MAGIC"),
        "empty": (b"", "TGRS_ERR_BAD_MAGIC"),
        "version": (data[:4] + bytes([9, 0]) + data[6:], "TGRS_ERR_VERSION"),
    }
    for name, (blob, status) in cases.items():
        path = os.path.join(work, name + ".tgrs")
        open(path, "wb").write(blob)
        for extra in ([], ["--json"], ["--diff", plan]):
            r = run([tigris, "inspect", path] + extra)
            lines = r.stderr.strip().splitlines()
            check(r.returncode == 2 and len(lines) == 1 and lines[0].startswith("tigris: error:") and status in lines[0]
                  and r.stdout == "", "inspect %s %s: exit 2, one line naming %s" % (name, " ".join(extra), status),
                  "exit %d: %s" % (r.returncode, r.stderr.strip()))
    r = run([tigris, "inspect", os.path.join(work, "missing.tgrs")])
    check(r.returncode == 2 and "missing.tgrs" in r.stderr, "inspect of a missing file exits 2", r.stderr)
    same = run([tigris, "inspect", plan, "--diff", plan])
    check(same.returncode == 0 and "identical" in same.stdout, "--diff of a plan with itself exits 0", same.stdout + same.stderr)
    copy = os.path.join(work, "copy.tgrs")
    shutil.copy(plan, copy)
    sj = run([tigris, "inspect", plan, "--diff", copy, "--json"])
    j = parse_json(sj.stdout, "--diff --json")
    check(sj.returncode == 0 and j is not None and j["identical"] is True and j["changes"] == [],
          "--diff --json of identical plans: identical, exit 0")
    d = run([tigris, "inspect", plan, "--diff", other])
    check(d.returncode == 1, "--diff of 64K and 8K+8M plans exits 1", "exit %d %s" % (d.returncode, d.stderr))
    for what in ("pool 0 size: 62.50 KiB ->", "pools: 1 -> 2", "stages: 1 ->", "op records:"):
        check(what in d.stdout, "--diff names '%s'" % what, d.stdout)
    dj = parse_json(run([tigris, "inspect", plan, "--diff", other, "--json"]).stdout, "--diff --json")
    check(dj is not None and dj["identical"] is False and len(dj["changes"]) == len(d.stdout.splitlines()),
          "--diff --json lists the same changes")


def box_problems(text):
    """Lines of a box whose width is not BOX_WIDTH columns, or that do not end in a border."""
    bad = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line[0] not in "╭│├╰":
            continue
        if len(line) != BOX_WIDTH or line[-1] not in "╮│┤╯":
            bad.append("line %d (%d columns): %s" % (n, len(line), line))
    return bad


def check_golden(tigris, models, work, update):
    ds = os.path.join(models, "ds_cnn.onnx")
    long_name = os.path.join(work, "ds_cnn_exported_by_a_tool_that_likes_long_descriptive_file_names_v2.onnx")
    shutil.copy(ds, long_name)
    cases = {
        # XIP reports (weights read in place), and one of the default, streamed weights
        "ds_cnn_64K": ([ds, "-m", "64K", "--xip"], 0),
        "ds_cnn_8K_1M": ([ds, "-m", "8K", "-m", "1M", "-f", "1M", "--xip"], 0),
        "ds_cnn_8K_1M_streamed": ([ds, "-m", "8K", "-m", "1M", "-f", "1M"], 0),
        "ds_cnn_2K_fail": ([ds, "-m", "2K", "--xip"], 1),
        "ds_cnn_long_name": ([long_name, "-m", "64K", "-f", "64K", "--xip"], 1),
        "ds_cnn_min_budget": ([ds, "-m", "2K", "-m", "1M", "--min-budget", "--xip"], 0),
    }
    for name, (args, code) in cases.items():
        r = run([tigris, "analyze"] + args)
        check(r.returncode == code, "analyze %s exits %d" % (name, code), "exit %d %s" % (r.returncode, r.stderr))
        bad = box_problems(r.stdout)
        check(not bad, name + ": every box line is %d columns and ends in a border" % BOX_WIDTH, "\n".join(bad))
        path = os.path.join(GOLDEN, name + ".txt")
        if update:
            os.makedirs(GOLDEN, exist_ok=True)
            open(path, "w").write(r.stdout)
            print("wrote " + path)
            continue
        want = open(path).read() if os.path.exists(path) else None
        if not check(want == r.stdout, name + " matches " + os.path.relpath(path, HERE),
                     "missing golden file" if want is None else "got:\n" + r.stdout):
            out = os.path.join(work, name + ".actual.txt")
            open(out, "w").write(r.stdout)
            print("  actual output in " + out + " (cli_report.py ... golden --update rewrites the goldens)")
    # The checker itself must catch a broken border.
    check(box_problems("╭" + "─" * 72 + "╮\n│ too long " + "x" * 70 + "│\n") != [], "the box checker catches a broken border")


def check_target(tigris, models, work):
    ds = os.path.join(models, "ds_cnn.onnx")

    def analyze(profile_text, name="p.json"):
        path = os.path.join(work, name)
        open(path, "w").write(profile_text)
        return run([tigris, "analyze", ds, "-m", "8K", "-m", "1M", "--json", "--target", path])

    builtin = run([tigris, "analyze", ds, "-m", "8K", "-m", "1M", "--json", "--target", "esp32s3"])
    same = analyze('{"name": "esp32s3-copy", "mac": 2.0, "slow_byte": 6.0, "fast_copy_byte": 0.5, "call": 300}')
    b, c = parse_json(builtin.stdout, "built-in target"), parse_json(same.stdout, "JSON target")
    if b is None or c is None:
        return
    check(c["target"] == "esp32s3-copy", "the profile's name is reported", c["target"])
    check(c["modeled_cycles"] == b["modeled_cycles"] and c["stage_list"] == b["stage_list"],
          "a JSON copy of esp32s3 gives the same plan and cycles", "%s vs %s" % (c["modeled_cycles"], b["modeled_cycles"]))
    dear = parse_json(analyze('{"name": "dear-slow", "mac": 2.0, "slow_byte": 600.0, "fast_copy_byte": 0.5, "call": 300}').stdout,
                      "JSON target with costly slow memory")
    check(dear is not None and dear["modeled_cycles"] > c["modeled_cycles"], "a costlier slow byte raises the modeled cycles")
    bad = {
        "not_json": ('{"name": ', "not valid JSON"),
        "array": ("[1, 2]", "expected an object"),
        "negative": ('{"name": "x", "mac": -1, "slow_byte": 1, "fast_copy_byte": 1, "call": 1}', '"mac" must be a positive'),
        "string_cost": ('{"name": "x", "mac": "fast", "slow_byte": 1, "fast_copy_byte": 1, "call": 1}', '"mac" must be'),
        "unknown_key": ('{"name": "x", "mac": 1, "slow_byte": 1, "fast_copy_byte": 1, "call": 1, "mhz": 240}', 'unknown key "mhz"'),
        "missing": ('{"name": "x", "mac": 1}', 'missing "slow_byte"'),
    }
    for name, (text, why) in bad.items():
        r = analyze(text, name + ".json")
        lines = r.stderr.strip().splitlines()
        check(r.returncode == 2 and len(lines) == 1 and why in lines[0] and name + ".json" in lines[0] and r.stdout == "",
              "--target %s.json: exit 2, one line saying %s" % (name, why), "exit %d: %s" % (r.returncode, r.stderr))
    r = run([tigris, "analyze", ds, "-m", "8K", "--target", os.path.join(work, "absent.json")])
    check(r.returncode == 2 and "absent.json" in r.stderr, "--target of a missing file exits 2", r.stderr)


def check_progress(tigris, models, work):
    args = [tigris, "analyze", os.path.join(models, "ds_cnn.onnx"), "-m", "2K", "-m", "1M", "--min-budget"]
    r = run(args)
    check(r.returncode == 0 and r.stderr == "", "no progress when stderr is not a terminal", r.stderr[:200])
    if not shutil.which("script"):
        check(False, "script(1) is available to give tigris a terminal")
        return
    # script runs the command on a pseudo-terminal; stdout goes to a file, stderr stays the tty.
    out = os.path.join(work, "min.txt")
    cmd = " ".join("'%s'" % a for a in args) + " >'%s'" % out
    t = run(["script", "-qec", cmd, "/dev/null"])
    check(t.returncode == 0 and "min-budget: " in t.stdout and "compiles" in t.stdout and t.stdout.endswith("\x1b[K"),
          "progress on a terminal's stderr, erased at the end", repr(t.stdout[-200:]))
    check(open(out).read() == r.stdout, "the report on stdout is the same with a terminal")


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    tigris, models, work, what = sys.argv[1:5]
    update = "--update" in sys.argv[5:]
    work = os.path.join(work, what)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    {"verbose": check_verbose, "inspect": check_inspect, "errors": check_errors,
     "golden": lambda t, m, w: check_golden(t, m, w, update), "progress": check_progress,
     "target": check_target}[what](tigris, models, work)
    print("%s: %s" % (what, "all passed" if failures == 0 else "%d failed" % failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
