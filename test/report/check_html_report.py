#!/usr/bin/python3
# Checks `tigris analyze --html` pages in a real browser: headless Chromium renders the page to a
# PNG (must not be blank; the budget line and the fast-pool curve must be on it) and dumps its DOM
# (the timeline, budget line, one stage marker per stage, one op row per op of `analyze --json`);
# the inline SVG is parsed as XML (well-formed, polyline/rect counts, every coordinate finite and
# inside the viewBox, the live curve below the budget line exactly when the model fits).
"""Usage:
  check_html_report.py page --tigris BIN --model M.onnx --mem 64K --mem 8M --work DIR [--chromium C] [--screenshot OUT.png]
  check_html_report.py errors --tigris BIN --work DIR [--chromium C]
  check_html_report.py selftest --work DIR [--chromium C]

page      analyze the model with --json and --html and check the page against the JSON.
errors    bad output paths, bad option combinations, hostile node names (escaping).
selftest  the checks themselves must reject broken pages (a blank page, a bad SVG, a missing marker).
Exit 0 when every check passes; otherwise each failed check is printed and the exit code is 1.
"""

import argparse
import html.parser
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import png  # noqa: E402

SVG_NS = "{http://www.w3.org/2000/svg}"


class Checks:
    def __init__(self, label, prefix="FAIL"):
        self.label, self.failed, self.prefix = label, [], prefix

    def expect(self, ok, what):
        if not ok:
            self.failed.append(what)
            print(f"{self.prefix} [{self.label}] {what}")
        return ok


# --- the browser -------------------------------------------------------------------------------

def chromium_cmd(args, work):
    exe = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        sys.exit("check_html_report: chromium not found (apt-get install chromium; scripts/test.sh installs it)")
    # Its own profile per run: parallel tests and the user's browser never share state.
    profile = os.path.join(work, "chromium-profile")
    return [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--no-first-run", f"--user-data-dir={profile}"]


def render(args, work, page, shot, size="1400,2000"):
    """-> (dom text, seconds for the screenshot)."""
    url = "file://" + os.path.abspath(page)
    base = chromium_cmd(args, work)
    if os.path.exists(shot):
        os.remove(shot)
    t0 = time.monotonic()
    subprocess.run(base + [f"--screenshot={shot}", f"--window-size={size}", url], check=True, timeout=180,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - t0
    dom = subprocess.run(base + ["--dump-dom", url], check=True, timeout=180, capture_output=True, text=True).stdout
    return dom, seconds


# --- DOM ---------------------------------------------------------------------------------------

class Dom(html.parser.HTMLParser):
    """Every element as (tag, attrs dict), plus the text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag=None, cls=None, id_=None):
        out = []
        for t, a in self.elements:
            if tag and t != tag:
                continue
            if cls and cls not in a.get("class", "").split():
                continue
            if id_ and a.get("id") != id_:
                continue
            out.append(a)
        return out


def check_dom(c, dom_text, expect):
    d = Dom(dom_text)
    c.expect(len(d.find("svg", id_="timeline")) == 1, "one svg#timeline in the DOM")
    c.expect(len(d.find("line", cls="budget", id_="budget-0")) == 1, "the fast budget line line#budget-0")
    markers = d.find("line", cls="stage-marker")
    c.expect(len(markers) == expect["stages"], f"{len(markers)} stage markers, expected {expect['stages']} (one per stage)")
    c.expect([m.get("data-stage") for m in markers] == [str(i) for i in range(len(markers))], "stage markers numbered 0..n-1")
    rows = d.find("tr", cls="op-row")
    c.expect(len(rows) == expect["ops"], f"{len(rows)} op rows, expected {expect['ops']} (analyze --json operators)")
    srows = d.find("tr", cls="stage-row")
    c.expect(len(srows) == expect["stage_rows"], f"{len(srows)} stage rows, expected {expect['stage_rows']}")
    regions = d.find("rect", cls="region")
    c.expect(len(regions) == expect["regions"], f"{len(regions)} shaded regions, expected {expect['regions']} tiled/chain stages")
    lives = d.find("polyline", cls="live")
    c.expect(len(lives) == expect["pools"], f"{len(lives)} live-bytes polylines, expected {expect['pools']} pools")
    if expect["spills"]:
        c.expect(len(d.find("rect", cls="spill")) > 0, "spill markers present (the plan spills)")
    if expect["reloads"]:
        c.expect(len(d.find("rect", cls="reload")) > 0, "reload markers present (the plan reloads)")
    c.expect(not d.find("script"), "no <script> element")
    for t, a in d.elements:
        for k in ("src", "href"):
            c.expect(k not in a or not re.match(r"^[a-z]+:", a[k]) or a[k].startswith("data:"),
                     f"no external resource ({t} {k}={a.get(k)})")
    verdict = d.find(id_="verdict")
    c.expect(len(verdict) == 1 and ("pass" in verdict[0].get("class", "")) == expect["fits"],
             "the verdict is " + ("PASS" if expect["fits"] else "FAIL"))
    return d


# --- SVG structure -----------------------------------------------------------------------------

def numbers(value):
    return [float(v) for v in re.split(r"[\s,]+", value.strip()) if v]


def check_svgs(c, page_text, expect):
    svgs = re.findall(r"<svg\b.*?</svg>", page_text, flags=re.S)
    c.expect(len(svgs) >= 2, f"{len(svgs)} inline svg elements, expected the timeline and the flash map")
    timeline = None
    for k, text in enumerate(svgs):
        try:
            root = ET.fromstring(text)
        except ET.ParseError as e:
            c.expect(False, f"svg #{k} is well-formed XML ({e})")
            continue
        vb = numbers(root.get("viewBox", ""))
        if not c.expect(len(vb) == 4 and all(math.isfinite(v) for v in vb) and vb[2] > 0 and vb[3] > 0,
                        f"svg #{k} has a finite viewBox"):
            continue
        x0, y0, x1, y1 = vb[0], vb[1], vb[0] + vb[2], vb[1] + vb[3]
        eps = 0.05

        def inside(x, y, what):
            return c.expect(math.isfinite(x) and math.isfinite(y) and x0 - eps <= x <= x1 + eps and
                            y0 - eps <= y <= y1 + eps, f"svg #{k}: {what} ({x}, {y}) inside the viewBox {vb}")

        bad = 0
        for el in root.iter():
            tag = el.tag.replace(SVG_NS, "")
            try:
                if tag == "rect":
                    x, y, w, h = (float(el.get(a)) for a in ("x", "y", "width", "height"))
                    ok = w >= 0 and h >= 0 and inside(x, y, "rect corner") and inside(x + w, y + h, "rect corner")
                elif tag == "line":
                    ok = inside(float(el.get("x1")), float(el.get("y1")), "line end") and \
                        inside(float(el.get("x2")), float(el.get("y2")), "line end")
                elif tag in ("polyline", "polygon"):
                    v = numbers(el.get("points"))
                    ok = len(v) % 2 == 0 and len(v) >= 4 and all(inside(v[i], v[i + 1], tag + " point") for i in range(0, len(v), 2))
                elif tag == "text":
                    ok = inside(float(el.get("x")), float(el.get("y")), "text anchor")
                else:
                    ok = True
            except (TypeError, ValueError) as e:
                ok = c.expect(False, f"svg #{k}: {tag} has numeric coordinates ({e})")
            bad += not ok
            if bad > 5:
                break
        if root.get("id") == "timeline":
            timeline = root
    if not c.expect(timeline is not None, "the timeline svg parses"):
        return
    polylines = [e for e in timeline.iter(SVG_NS + "polyline")]
    c.expect(len(polylines) == expect["pools"], f"timeline: {len(polylines)} polylines, expected {expect['pools']}")
    rects = [e for e in timeline.iter(SVG_NS + "rect")]
    by_class = {}
    for r in rects:
        by_class[r.get("class", "").split()[0]] = by_class.get(r.get("class", "").split()[0], 0) + 1
    c.expect(by_class.get("region", 0) == expect["regions"],
             f"timeline: {by_class.get('region', 0)} region rects, expected {expect['regions']}")
    # The markers account for every byte of slow I/O the report states (bytes per run x runs).
    for kind in ("spill", "reload"):
        moved = sum(int(r.get("data-bytes", "0")) * int(r.get("data-count", "0"))
                    for r in rects if r.get("class") == kind)
        c.expect(moved == expect[kind + "_bytes"],
                 f"timeline: {by_class.get(kind, 0)} {kind} markers move {moved} bytes, "
                 f"analyze --json says {expect[kind + '_bytes']}")
    budget = [e for e in timeline.iter(SVG_NS + "line") if e.get("id") == "budget-0"]
    live0 = [e for e in polylines if e.get("id") == "live-0"]
    if c.expect(len(budget) == 1 and len(live0) == 1, "timeline: budget-0 and live-0"):
        by = float(budget[0].get("y1"))
        top = min(numbers(live0[0].get("points"))[1::2])  # smallest y = most live bytes
        if expect["fits"]:
            c.expect(top >= by - 0.15, f"live fast bytes stay at or below the budget line (top {top}, budget {by})")
        else:
            c.expect(top < by - 1, f"the unbounded plan crosses the budget line (top {top}, budget {by})")


# --- the picture -------------------------------------------------------------------------------

def near(px, rgb, tol=40):
    return all(abs(px[i] - rgb[i]) <= tol for i in range(3))


def check_png(c, shot, expect_curve=True):
    if not c.expect(os.path.exists(shot) and os.path.getsize(shot) > 0, f"{shot} written"):
        return
    w, h, rows = png.read(shot)
    c.expect(w > 0 and h > 0, "the PNG has pixels")
    ink = red = blue = 0
    for row in rows[::2]:
        for i in range(0, len(row), 6):  # every other pixel of every other row
            px = row[i:i + 3]
            if max(abs(v - 255) for v in px) > 32:
                ink += 1
                if near(px, (229, 62, 62)):
                    red += 1
                elif near(px, (43, 108, 176), 30):
                    blue += 1
    sampled = ((h + 1) // 2) * ((w + 1) // 2)
    c.expect(ink > 0.02 * sampled, f"non-background pixels {ink} of {sampled} sampled (> 2%: the page is not blank)")
    if expect_curve:
        c.expect(red > 20, f"budget-line red pixels on screen ({red})")
        c.expect(blue > 20, f"fast-pool curve blue pixels on screen ({blue})")
    return ink, sampled


# --- modes -------------------------------------------------------------------------------------

def run_tigris(args, *extra):
    return subprocess.run([args.tigris, *extra], capture_output=True, text=True, timeout=600)


def expectations(rep, n_pools):
    stages = rep["stage_list"]
    fits = rep["sram_fits"]
    return {
        "ops": rep["operators"],
        "stages": len(stages) if fits else 0,
        "stage_rows": len(stages) if fits else 0,
        "regions": sum(s["kind"] != "normal" for s in stages) if fits else 0,
        "pools": n_pools,
        "spills": fits and rep["spill_bytes"] > 0,
        "reloads": fits and rep["reload_bytes"] > 0,
        "fits": fits,
        "spill_bytes": rep["spill_bytes"] if fits else 0,
        "reload_bytes": rep["reload_bytes"] if fits else 0,
    }


def mode_page(args):
    c = Checks(os.path.basename(args.model) + " " + "+".join(args.mem))
    os.makedirs(args.work, exist_ok=True)
    mem = [x for m in args.mem for x in ("-m", m)]
    js = run_tigris(args, "analyze", args.model, *mem, "--json")
    c.expect(js.returncode in (0, 1), f"analyze --json exit {js.returncode}: {js.stderr.strip()}")
    rep = json.loads(js.stdout)
    page = os.path.join(args.work, "report.html")
    if os.path.exists(page):
        os.remove(page)
    r = run_tigris(args, "analyze", args.model, *mem, "--html", page)
    c.expect(r.returncode == js.returncode, f"analyze --html exit {r.returncode} == --json exit {js.returncode}")
    if not c.expect(os.path.exists(page), "the page is written"):
        return 1
    c.expect(not [f for f in os.listdir(args.work) if f.endswith(".tmp")], "no temporary file left")
    text = open(page, encoding="utf-8").read()
    exp = expectations(rep, len(args.mem))
    shot = args.screenshot or os.path.join(args.work, "report.png")
    dom, seconds = render(args, args.work, page, shot)
    check_dom(c, dom, exp)
    check_svgs(c, text, exp)
    check_png(c, shot)
    print(f"{c.label}: page {len(text) / 1024:.1f} KiB, {exp['ops']} ops, {exp['stages']} stages, "
          f"{len(re.findall('<rect class=.(?:spill|reload)', text))} spill/reload markers, screenshot {seconds:.2f} s, {'PASS' if not c.failed else 'FAIL'}")
    return 1 if c.failed else 0


HOSTILE = "<script>alert(1)</script>&\"quoted\" 'x'"


def make_hostile_model(path):
    """A two-op model whose node and tensor names are HTML."""
    import onnx
    from onnx import TensorProto, helper
    x = helper.make_tensor_value_info("in<b>", TensorProto.FLOAT, [1, 4, 8, 8])
    y = helper.make_tensor_value_info("out&amp;", TensorProto.FLOAT, [1, 4, 8, 8])
    nodes = [helper.make_node("Relu", ["in<b>"], ["mid</td>"], name=HOSTILE),
             helper.make_node("Sigmoid", ["mid</td>"], ["out&amp;"], name="<img src=http://example.com/x.png>")]
    model = helper.make_model(helper.make_graph(nodes, "<h1>graph</h1>", [x], [y]),
                              opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, path)


def mode_errors(args):
    c = Checks("errors")
    os.makedirs(args.work, exist_ok=True)
    model = os.path.join(args.work, "hostile.onnx")
    make_hostile_model(model)

    def one_line_error(r, what):
        lines = r.stderr.strip().splitlines()
        c.expect(r.returncode == 2, f"{what}: exit {r.returncode}, expected 2")
        c.expect(len(lines) == 1 and lines[0].startswith("tigris: error: "), f"{what}: one-line error, got {lines}")

    missing_dir = os.path.join(args.work, "no-such-dir", "r.html")
    one_line_error(run_tigris(args, "analyze", model, "-m", "64K", "--html", missing_dir), "--html into a missing directory")
    c.expect(not os.path.exists(os.path.dirname(missing_dir)), "nothing created for a missing directory")
    a_dir = os.path.join(args.work, "a-directory")
    os.makedirs(a_dir, exist_ok=True)
    one_line_error(run_tigris(args, "analyze", model, "-m", "64K", "--html", a_dir), "--html onto a directory")
    c.expect(os.listdir(a_dir) == [] and not [f for f in os.listdir(args.work) if f.endswith(".tmp")],
             "no temporary file left after a failed write")
    one_line_error(run_tigris(args, "analyze", model, "-m", "64K", "--min-budget", "--html", "x.html"),
                   "--html with --min-budget")
    one_line_error(run_tigris(args, "analyze", model, "-m", "64K", "--html"), "--html without a file")
    # An existing page survives a failed run untouched.
    page = os.path.join(args.work, "kept.html")
    with open(page, "w") as f:
        f.write("old")
    one_line_error(run_tigris(args, "analyze", os.path.join(args.work, "missing.onnx"), "-m", "64K", "--html", page),
                   "a missing model")
    c.expect(open(page).read() == "old", "the old page is untouched when analyze fails")
    # compile --html writes the plan and the page.
    plan = os.path.join(args.work, "hostile.tgrs")
    r = run_tigris(args, "compile", model, "-m", "64K", "-o", plan, "--html", page)
    c.expect(r.returncode == 0 and os.path.exists(plan), f"compile --html exit {r.returncode}: {r.stderr.strip()}")
    text = open(page, encoding="utf-8").read()
    c.expect("<script" not in text and "<img" not in text and "<b>" not in text and "<h1>graph" not in text,
             "hostile names are escaped in the page source")
    c.expect("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;quoted&quot; &#39;x&#39;" in text,
             "the node name appears escaped")
    dom, _ = render(args, args.work, page, os.path.join(args.work, "hostile.png"), "1400,1200")
    d = Dom(dom)
    c.expect(not d.find("script") and not d.find("img") and not d.find("b"), "no element injected by a name")
    c.expect(HOSTILE in "".join(d.text), "the browser shows the node name verbatim")
    c.expect(len(d.find("tr", cls="op-row")) == 2, "two op rows")
    print(f"errors: {'PASS' if not c.failed else 'FAIL'}")
    return 1 if c.failed else 0


def mode_selftest(args):
    """The checks must fail on pages that are wrong."""
    os.makedirs(args.work, exist_ok=True)
    ok = True
    exp = {"ops": 2, "stages": 2, "stage_rows": 2, "regions": 1, "pools": 1, "spills": False, "reloads": False,
           "fits": True, "spill_bytes": 0, "reload_bytes": 0}
    good_svg = ('<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
                '<rect class="region chain" x="10" y="0" width="50" height="100"/>'
                '<polyline class="live" id="live-0" stroke="#2b6cb0" points="0,90 100,40 200,60"/>'
                '<line class="budget" id="budget-0" x1="0" y1="30" x2="200" y2="30"/>'
                '<line class="stage-marker" data-stage="0" x1="0" y1="0" x2="0" y2="100"/>'
                '<line class="stage-marker" data-stage="1" x1="100" y1="0" x2="100" y2="100"/></svg>'
                '<svg id="flash-map" xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"></svg>')
    rows = ('<p id="verdict" class="verdict pass">PASS</p><table><tr class="stage-row"><td>0</td></tr>'
            '<tr class="stage-row"><td>1</td></tr><tr class="op-row"><td>a</td></tr><tr class="op-row"><td>b</td></tr></table>')
    good = "<!DOCTYPE html><html><body>" + rows + good_svg + "</body></html>"

    def verdict(name, text, want_fail, dom=True, svg=True):
        nonlocal ok
        c = Checks("selftest " + name, "rejected as it should be:" if want_fail else "FAIL")
        if dom:
            check_dom(c, text, exp)
        if svg:
            check_svgs(c, text, exp)
        if bool(c.failed) != want_fail:
            ok = False
            print(f"SELFTEST WRONG: '{name}' was {'rejected' if c.failed else 'accepted'}")

    verdict("good page", good, False)
    verdict("missing stage marker", good.replace('<line class="stage-marker" data-stage="1"', '<line class="x"'), True)
    verdict("extra op row", good.replace("</table>", '<tr class="op-row"><td>c</td></tr></table>'), True)
    verdict("no budget line", good.replace('id="budget-0"', 'id="b"'), True)
    verdict("point outside the viewBox", good.replace("100,40", "100,140"), True, dom=False)
    verdict("NaN coordinate", good.replace('x="10"', 'x="nan"'), True, dom=False)
    verdict("malformed svg", good.replace("</svg>", "", 1), True, dom=False)
    verdict("curve above the budget", good.replace("100,40", "100,20"), True, dom=False)
    verdict("script injected", good.replace("<body>", "<body><script>1</script>"), True, svg=False)

    # The picture: a blank page must fail, a page with the curve and budget colors must pass.
    blank = os.path.join(args.work, "blank.html")
    with open(blank, "w") as f:
        f.write("<!DOCTYPE html><html><body></body></html>")
    drawn = os.path.join(args.work, "drawn.html")
    with open(drawn, "w") as f:
        f.write('<!DOCTYPE html><html><body><svg width="1200" height="900">'
                '<rect x="0" y="0" width="1200" height="400" fill="#2b6cb0"/>'
                '<rect x="0" y="500" width="1200" height="50" fill="#e53e3e"/></svg></body></html>')
    for name, page, want_fail in (("blank page", blank, True), ("drawn page", drawn, False)):
        shot = os.path.join(args.work, name.replace(" ", "_") + ".png")
        render(args, args.work, page, shot, "1400,1000")
        c = Checks("selftest " + name, "rejected as it should be:" if want_fail else "FAIL")
        check_png(c, shot)
        if bool(c.failed) != want_fail:
            ok = False
            print(f"SELFTEST WRONG: '{name}' was {'rejected' if c.failed else 'accepted'}")
    print("selftest: " + ("PASS (every broken page was rejected)" if ok else "FAIL"))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["page", "errors", "selftest"])
    ap.add_argument("--tigris")
    ap.add_argument("--model")
    ap.add_argument("--mem", action="append", default=[])
    ap.add_argument("--work", required=True)
    ap.add_argument("--chromium")
    ap.add_argument("--screenshot")
    args = ap.parse_args()
    if args.mode == "page":
        return mode_page(args)
    if args.mode == "errors":
        return mode_errors(args)
    return mode_selftest(args)


if __name__ == "__main__":
    sys.exit(main())
