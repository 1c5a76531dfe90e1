#!/usr/bin/python3
# Draws benchmark/results/tiling.svg from tiling_bench's JSON: modeled-cycle overhead and
# slow-memory traffic against the fast budget (log axis), one line per model. Hand-written SVG,
# standard library only; the same JSON always gives the same file.
"""Plot the tiling benchmark.

Usage: /usr/bin/python3 benchmark/plot_tiling.py tiling.json tiling.svg

Each model's line joins its compiled cells ordered by fast budget. Tiled cells sit at their
budget; the untiled cell sits at the untiled fast arena (the budget above which nothing changes)
and is drawn hollow; the leftmost point of a line is tigris::min_budget's answer. Cells that did
not compile are left out (the markdown table lists them).
"""

import json
import os
import math
import sys
from xml.sax.saxutils import escape

KIB = 1024.0
MIB = 1024.0 * 1024.0

# Okabe-Ito colours (distinguishable with common colour-vision deficiencies) and one marker
# shape per model, so the lines also read in grey.
# int8 models (label ending in "int8") draw their line dashed, in their float twin's colour
# when it is in the series.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
MARKERS = ["circle", "square", "diamond", "triangle", "triangle_down", "circle", "square", "diamond"]

W, H = 940, 860
LEFT, PLOT_W = 78, 610  # plot area x range
LEGEND_X = LEFT + PLOT_W + 28
PANELS = [  # (top, height)
    (78, 300),
    (470, 300),
]
ZERO_LANE = 40  # panel 2: a lane under the log range for cells with no slow traffic


def style_index(series, si):
    """Colour/marker slot of series si: an int8 model shares its float twin's ("X int8" -> "X")."""
    label = series[si]["label"]
    if label.endswith(" int8"):
        for k, t in enumerate(series):
            if t["label"] == label[:-5]:
                return k
    return si


def size_label(b):
    if b >= MIB:
        v = b / MIB
        return ("%g" % v) + "M"
    if b >= KIB:
        return ("%g" % (b / KIB)) + "K"
    return "%d" % b


def bytes_text(b):
    if b >= MIB:
        return "%.2f MiB" % (b / MIB)
    if b >= KIB:
        return ("%.2f" % (b / KIB)).rstrip("0").rstrip(".") + " KiB"
    return "%d B" % b


def marker(shape, x, y, r, colour, hollow, tip):
    fill = "#ffffff" if hollow else colour
    attrs = 'fill="%s" stroke="%s" stroke-width="1.6"' % (fill, colour)
    if shape == "circle":
        el = '<circle cx="%.1f" cy="%.1f" r="%.1f" %s>' % (x, y, r, attrs)
        end = "</circle>"
    else:
        if shape == "square":
            pts = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
        elif shape == "diamond":
            q = r * 1.35
            pts = [(x, y - q), (x + q, y), (x, y + q), (x - q, y)]
        elif shape == "triangle":
            q = r * 1.3
            pts = [(x, y - q), (x + q, y + q * 0.8), (x - q, y + q * 0.8)]
        else:  # triangle_down
            q = r * 1.3
            pts = [(x, y + q), (x + q, y - q * 0.8), (x - q, y - q * 0.8)]
        el = '<polygon points="%s" %s>' % (" ".join("%.1f,%.1f" % p for p in pts), attrs)
        end = "</polygon>"
    return el + "<title>" + escape(tip) + "</title>" + end


def nice_ratio_ticks(lo, hi):
    span = hi - lo
    step = 0.05
    for s in (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0):
        step = s
        if span / s <= 8:
            break
    first = math.floor(lo / step) * step
    ticks = []
    t = first
    while t <= hi + 1e-9:
        if t >= lo - 1e-9:
            ticks.append(round(t, 6))
        t += step
    return ticks, step


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[0]) as f:
        data = json.load(f)
    env = data.get("environment", {})

    # Series per model, in the order the benchmark ran them.
    series = []
    index = {}
    for c in data["cells"]:
        if not c.get("compiled"):
            continue
        if c["model"] not in index:
            index[c["model"]] = len(series)
            series.append({"model": c["model"], "label": c["model_label"], "points": []})
        s = series[index[c["model"]]]
        x = c["fast_arena"] if c["untiled"] else c["budget"]
        s["points"].append({
            "x": x,
            "ratio": c["modeled_cycles_ratio"],
            "mib": c["slow_traffic_bytes"] / MIB,
            "untiled": c["untiled"],
            "min": c.get("min", False),
            "budget_label": c["budget_label"],
            "ok": c["check"]["ok"],
        })
    for s in series:
        s["points"].sort(key=lambda p: (p["x"], not p["untiled"]))
    pts = [p for s in series for p in s["points"]]
    if not pts:
        sys.stderr.write("plot_tiling: no compiled cells in %s\n" % argv[0])
        return 1

    # x: log2 of the budget, a little room beyond the extreme points, ticks at powers of two.
    lx_lo = math.log2(min(p["x"] for p in pts)) - 0.4
    lx_hi = math.log2(max(p["x"] for p in pts)) + 0.4

    def X(v):
        return LEFT + (math.log2(v) - lx_lo) / (lx_hi - lx_lo) * PLOT_W

    # Panel 1: linear ratio axis from 1.
    r_hi = max(p["ratio"] for p in pts)
    r_ticks, r_step = nice_ratio_ticks(1.0, max(r_hi, 1.05))
    r_top = r_ticks[-1] if r_ticks[-1] >= r_hi else r_ticks[-1] + r_step
    if r_ticks[-1] < r_top:
        r_ticks.append(round(r_top, 6))
    top1, h1 = PANELS[0]

    def Y1(v):
        return top1 + h1 - (v - 1.0) / (r_top - 1.0) * h1

    # Panel 2: log MiB axis over decades, plus a zero lane at the bottom.
    nz = [p["mib"] for p in pts if p["mib"] > 0]
    d_lo = math.floor(math.log10(min(nz))) if nz else -2
    d_hi = math.ceil(math.log10(max(nz))) if nz else 1
    if d_hi == d_lo:
        d_hi += 1
    top2, h2 = PANELS[1]
    h2_log = h2 - ZERO_LANE

    def Y2(v):
        if v <= 0:
            return top2 + h2 - 12
        return top2 + h2_log - (math.log10(v) - d_lo) / (d_hi - d_lo) * h2_log

    out = []
    add = out.append
    add('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">' % (W, H, W, H))
    add('<rect width="100%" height="100%" fill="#ffffff"/>')
    add('<text x="%d" y="28" font-size="17" font-weight="bold">TiGrIS tiling: cost of a smaller fast budget</text>'
        % LEFT)
    sub = "test models (float32 and int8); tiled budgets with a 64 MiB slow pool; cost model %s" % (
        next((c.get("target") for c in data["cells"] if c.get("compiled")), "esp32s3"))
    meta = ", ".join(v for v in (env.get("date", ""), env.get("git_rev", "")[:12]) if v)
    add('<text x="%d" y="48" fill="#444">%s%s</text>' % (LEFT, escape(sub), escape(" (" + meta + ")") if meta else ""))

    def x_axis(top, h, title):
        # vertical grid at every power of two, labels at each
        e = math.ceil(lx_lo)
        while e <= math.floor(lx_hi):
            v = 2.0 ** e
            x = X(v)
            add('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e4e4e4"/>' % (x, top, x, top + h))
            add('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333"/>' % (x, top + h, x, top + h + 5))
            add('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x, top + h + 19, size_label(v)))
            e += 1
        add('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (LEFT + PLOT_W / 2.0, top + h + 40, escape(title)))

    def frame(top, h):
        add('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>' % (LEFT, top, PLOT_W, h))

    # --- panel 1
    add('<text x="%d" y="%d" font-size="14" font-weight="bold">Modeled overhead: cycles / untiled cycles</text>'
        % (LEFT, top1 - 10))
    for t in r_ticks:
        y = Y1(t)
        add('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>' % (
            LEFT, y, LEFT + PLOT_W, y, "#bbbbbb" if abs(t - 1.0) < 1e-9 else "#e4e4e4"))
        add('<text x="%d" y="%.1f" text-anchor="end">%.2fx</text>' % (LEFT - 8, y + 4, t))
    x_axis(top1, h1, "fast budget (log scale; hollow marker: untiled, at its arena)")
    add('<text transform="translate(%d,%.1f) rotate(-90)" text-anchor="middle">modeled cycles ratio</text>'
        % (20, top1 + h1 / 2.0))

    # --- panel 2
    add('<text x="%d" y="%d" font-size="14" font-weight="bold">Slow-memory traffic per inference '
        '(spill + reload)</text>' % (LEFT, top2 - 10))
    for d in range(d_lo, d_hi + 1):
        y = Y2(10.0 ** d)
        add('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e4e4e4"/>' % (LEFT, y, LEFT + PLOT_W, y))
        add('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (LEFT - 8, y + 4, 10.0 ** d))
        if d < d_hi:  # minor ticks 2..9
            for m in range(2, 10):
                ym = Y2(m * 10.0 ** d)
                add('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#333"/>' % (LEFT, ym, LEFT + 4, ym))
    yb = top2 + h2_log + 14
    add('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#999" stroke-dasharray="4 3"/>'
        % (LEFT, yb, LEFT + PLOT_W, yb))
    add('<text x="%d" y="%.1f" text-anchor="end">0</text>' % (LEFT - 8, Y2(0) + 4))
    x_axis(top2, h2, "fast budget (log scale)")
    add('<text transform="translate(%d,%.1f) rotate(-90)" text-anchor="middle">MiB (log scale; bottom lane: 0)</text>'
        % (20, top2 + h2 / 2.0))

    # --- lines and markers, panel 1 then panel 2
    for si, s in enumerate(series):
        col = COLOURS[style_index(series, si) % len(COLOURS)]
        shape = MARKERS[style_index(series, si) % len(MARKERS)]
        dash = ' stroke-dasharray="7 4"' if s["label"].endswith(" int8") else ""
        for which, Y in ((0, Y1), (1, Y2)):
            key = "ratio" if which == 0 else "mib"
            path = " ".join("%s%.1f,%.1f" % ("M" if i == 0 else "L", X(p["x"]), Y(p[key]))
                            for i, p in enumerate(s["points"]))
            add('<path d="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round"%s/>' % (path, col, dash))
            if which == 1:  # into or out of the zero lane: the slope there means nothing, dash it
                for a, b in zip(s["points"], s["points"][1:]):
                    if (a["mib"] > 0) != (b["mib"] > 0):
                        add('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ffffff" stroke-width="2.6"/>'
                            '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2" '
                            'stroke-dasharray="3 4"/>' % (X(a["x"]), Y(a[key]), X(b["x"]), Y(b[key]),
                                                         X(a["x"]), Y(a[key]), X(b["x"]), Y(b[key]), col))
            for p in s["points"]:
                if not p["ok"]:
                    add('<circle cx="%.1f" cy="%.1f" r="8" fill="none" stroke="#d00000" stroke-width="2"/>'
                        % (X(p["x"]), Y(p[key])))
                tip = "%s @ %s: %.3fx modeled cycles, %s slow traffic%s" % (
                    s["label"], p["budget_label"] if not p["untiled"] else "untiled (arena %s)" % bytes_text(p["x"]),
                    p["ratio"], bytes_text(p["mib"] * MIB) if p["mib"] > 0 else "no",
                    "" if p["ok"] else " (CHECK FAILED)")
                add(marker(shape, X(p["x"]), Y(p[key]), 4.2, col, p["untiled"], tip))

    frame(top1, h1)
    frame(top2, h2)

    # --- legend
    ly = top1 + 8
    add('<text x="%d" y="%d" font-size="13" font-weight="bold">model</text>' % (LEGEND_X, ly))
    for si, s in enumerate(series):
        y = ly + 24 + si * 24
        col = COLOURS[style_index(series, si) % len(COLOURS)]
        dash = ' stroke-dasharray="7 4"' if s["label"].endswith(" int8") else ""
        add('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>' % (
            LEGEND_X, y - 4, LEGEND_X + 30, y - 4, col, dash))
        add(marker(MARKERS[style_index(series, si) % len(MARKERS)], LEGEND_X + 15, y - 4, 4.2, col, False, s["label"]))
        add('<text x="%d" y="%d">%s</text>' % (LEGEND_X + 40, y, escape(s["label"])))
    ny = ly + 24 + len(series) * 24 + 14
    notes = [
        "Leftmost point of a line:",
        "tigris::min_budget's answer.",
        "Hollow marker: untiled plan,",
        "drawn at its fast arena.",
        "Modeled cycles: MACs, slow",
        "and fast copy bytes and",
        "kernel calls, each times a",
        "per-target constant.",
        "Hover a marker for values.",
    ]
    if any(not p["ok"] for p in pts):
        notes += ["", "Red ring: the cell failed a", "check (see tiling.md)."]
    for i, n in enumerate(notes):
        add('<text x="%d" y="%d" fill="#444" font-size="11.5">%s</text>' % (LEGEND_X, ny + i * 16, escape(n)))

    add("</svg>")
    text = "\n".join(out) + "\n"
    tmp = argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
