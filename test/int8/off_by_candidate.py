#!/usr/bin/python3
"""A deliberately wrong candidate for layerwise.py's own tests: runs the numpy TFLite model and
adds K to the first element of every integer output (saturating), so the harness must fail for
K >= 2 at tolerance 1 and pass for K = 1.

Usage (as a cmd: candidate): off_by_candidate.py K MODEL.onnx OUTDIR IN.pb [IN.pb ...]
"""

import os
import sys

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import layerwise  # noqa: E402
import tflite_int8  # noqa: E402


def main(argv):
    k, model_path, out = int(argv[0]), argv[1], argv[2]
    model = onnx.load(model_path)
    feeds = dict(layerwise.read_tensor(p) for p in argv[3:])
    res, _ = tflite_int8.run_model(model, feeds)
    os.makedirs(out, exist_ok=True)
    for i, o in enumerate(model.graph.output):
        v = np.array(res[o.name])
        if v.dtype.kind in "iu":
            info = np.iinfo(v.dtype)
            flat = v.reshape(-1)
            flat[0] = int(np.clip(int(flat[0]) + k if int(flat[0]) + k <= info.max else int(flat[0]) - k,
                                  info.min, info.max))
        layerwise.write_tensor(os.path.join(out, "output_%d.pb" % i), v, o.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
