#!/usr/bin/env python3
"""Structural check of the ESP-IDF component esp-idf/tigris/ without an SDK.

- idf_component.yml parses and depends on espressif/esp-nn at one pinned version;
- the idf_component_register call of its CMakeLists.txt lists only sources that exist, the include
  directory with the runtime and backend headers, and REQUIRES esp-nn;
- its sources are exactly the host build's runtime and kernel sources (src/runtime/CMakeLists.txt,
  src/kernels/CMakeLists.txt) plus the ESP-NN backend's device sources (cmake/TigrisEspNn.cmake),
  so a file added to the host build and not to the component fails here;
- with --esp-nn DIR: the component configures and builds with the host compiler through a mock
  idf_component_register (test/target/idf_mock/) against that ESP-NN checkout, and a program that
  loads a plan through tgrs_backend_esp_nn links and runs.
Prints one PASS line; exits 1 with every problem found."""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COMPONENT = os.path.join(ROOT, "esp-idf", "tigris")


def cmake_call_args(text, name):
    """The whitespace-separated arguments of the first `name(...)` call, quotes removed."""
    m = re.search(r"\b" + re.escape(name) + r"\s*\((.*?)\)", re.sub(r"#[^\n]*", "", text), re.S)
    if not m:
        return None
    return [a.strip('"') for a in m.group(1).split()]


def keyword_values(args, key, keys):
    out, cur = [], None
    for a in args:
        if a in keys:
            cur = a
        elif cur == key:
            out.append(a)
    return out


def host_sources(cmake_file, keep):
    """The .c files a host CMakeLists.txt names (every token ending in .c), as repo paths."""
    text = re.sub(r"#[^\n]*", "", open(cmake_file).read())
    base = os.path.relpath(os.path.dirname(cmake_file), ROOT)
    return {os.path.join(base, t) for t in re.findall(r"(?<![\w*/.])[\w/]+\.c\b", text) if keep(t)}


def esp_nn_device_sources():
    """The backend sources cmake/TigrisEspNn.cmake builds, minus the host-only ones (*_host.c: the
    compiler's descriptor and per-ISA scratch queries, never in firmware)."""
    text = re.sub(r"#[^\n]*", "", open(os.path.join(ROOT, "cmake/TigrisEspNn.cmake")).read())
    return {t for t in re.findall(r"src/kernels/esp_nn/\w+\.c", text) if not t.endswith("_host.c")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--esp-nn", help="ESP-NN checkout for the mock build")
    ap.add_argument("--work", help="build directory of the mock build (default: a temporary one)")
    args = ap.parse_args()
    fails = []

    manifest = yaml.safe_load(open(os.path.join(COMPONENT, "idf_component.yml")))
    deps = (manifest or {}).get("dependencies") or {}
    pin = str(deps.get("espressif/esp-nn", ""))
    if not pin:
        fails.append("idf_component.yml: no dependency on espressif/esp-nn")
    elif not re.fullmatch(r"(==)?\d+\.\d+\.\d+", pin):
        fails.append(f"idf_component.yml: espressif/esp-nn is not pinned to one version ({pin!r})")

    text = open(os.path.join(COMPONENT, "CMakeLists.txt")).read()
    m = re.search(r'set\(_tigris\s+"\$\{COMPONENT_DIR\}/([^"]*)"\)', text)
    root_rel = m.group(1) if m else None
    if root_rel is None or os.path.normpath(os.path.join(COMPONENT, root_rel)) != ROOT:
        fails.append("CMakeLists.txt: _tigris does not name the repository root relative to COMPONENT_DIR")
    reg = cmake_call_args(text, "idf_component_register")
    if reg is None:
        fails.append("CMakeLists.txt: no idf_component_register call")
        reg = []
    keys = {"SRCS", "INCLUDE_DIRS", "PRIV_INCLUDE_DIRS", "REQUIRES", "PRIV_REQUIRES"}

    def resolve(p):
        return os.path.normpath(p.replace("${_tigris}", ROOT).replace("${COMPONENT_DIR}", COMPONENT))

    srcs = [resolve(s) for s in keyword_values(reg, "SRCS", keys)]
    for s in srcs:
        if not os.path.isfile(s):
            fails.append(f"CMakeLists.txt lists a missing source {os.path.relpath(s, ROOT)}")
    incs = [resolve(s) for s in keyword_values(reg, "INCLUDE_DIRS", keys)]
    for h in ("tigris/runtime/tigris_runtime.h", "tigris/kernels/backend_esp_nn.h"):
        if not any(os.path.isfile(os.path.join(i, h)) for i in incs):
            fails.append(f"CMakeLists.txt: no INCLUDE_DIRS entry holds {h}")
    if "esp-nn" not in keyword_values(reg, "REQUIRES", keys) + keyword_values(reg, "PRIV_REQUIRES", keys):
        fails.append("CMakeLists.txt: does not REQUIRE esp-nn")

    listed = {os.path.relpath(s, ROOT) for s in srcs}
    want = (host_sources(os.path.join(ROOT, "src/runtime/CMakeLists.txt"), lambda t: True)
            | host_sources(os.path.join(ROOT, "src/kernels/CMakeLists.txt"), lambda t: "/" not in t)
            | esp_nn_device_sources())
    for s in sorted(want - listed):
        fails.append(f"CMakeLists.txt misses {s}, which the host build compiles")
    for s in sorted(listed - want):
        fails.append(f"CMakeLists.txt lists {s}, which no host runtime/kernel build compiles")

    if args.esp_nn and not fails:
        work = args.work or tempfile.mkdtemp(prefix="idf_mock_")
        conf = ["cmake", "-S", os.path.join(ROOT, "test/target/idf_mock"), "-B", work, "-G", "Ninja",
                f"-DESP_NN_DIR={os.path.abspath(args.esp_nn)}", f"-DTIGRIS_COMPONENT_DIR={COMPONENT}"]
        if os.environ.get("CMAKE_C_COMPILER_LAUNCHER"):
            conf.append(f"-DCMAKE_C_COMPILER_LAUNCHER={os.environ['CMAKE_C_COMPILER_LAUNCHER']}")
        for step in (conf, ["cmake", "--build", work, "-j2"], [os.path.join(work, "idf_mock_app")]):
            r = subprocess.run(step, capture_output=True, text=True)
            if r.returncode != 0:
                fails.append(f"mock build: {' '.join(step[:3])} failed:\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
                break

    if fails:
        for f in fails:
            print("idf_component_check: FAIL:", f)
        return 1
    mock = " and builds with a mock idf_component_register" if args.esp_nn else ""
    print(f"idf_component_check: PASS (esp-nn {pin}, {len(srcs)} sources = the host build's{mock})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
