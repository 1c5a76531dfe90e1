// The onnxruntime oracle of the TiGrIS end-to-end tests: runs MODEL.onnx on the CPU provider with
// all graph optimizations disabled and writes OUTDIR/output_<k>.pb (ONNX TensorProto, raw LE data),
// k in the model's output order. Usage: node run_ort.js MODEL.onnx OUTDIR in0.pb [in1.pb ...]
// Batch mode, one process for many small models: node run_ort.js --batch LIST, where each line of
// LIST is "MODEL<TAB>OUTDIR<TAB>in0.pb[<TAB>in1.pb ...]"; a model onnxruntime rejects gets
// OUTDIR/error.txt (its message) instead of outputs, and the batch goes on (exit 0).
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');
const { decode, encode } = require('./tensor_proto');

function usage(msg) {
  if (msg) process.stderr.write('run_ort: ' + msg + '\n');
  process.stderr.write('usage: node run_ort.js MODEL.onnx OUTDIR in0.pb [in1.pb ...]\n' +
    '       node run_ort.js --batch LIST   (lines: MODEL<TAB>OUTDIR<TAB>in0.pb ...)\n');
  process.exit(2);
}

// Inputs are bound by TensorProto name when every file names a model input, else by position.
function bindInputs(session, tensors) {
  const names = session.inputNames;
  if (tensors.length !== names.length) {
    throw new Error(`model has ${names.length} input(s) [${names.join(', ')}], got ${tensors.length} file(s)`);
  }
  const byName = tensors.every((t) => names.includes(t.name)) &&
    new Set(tensors.map((t) => t.name)).size === tensors.length;
  const feeds = {};
  tensors.forEach((t, i) => {
    const name = byName ? t.name : names[i];
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  });
  return feeds;
}

async function runOne(modelPath, outDir, inputPaths) {
  const tensors = inputPaths.map((p) => {
    try {
      return decode(fs.readFileSync(p));
    } catch (e) {
      throw new Error(`${p}: ${e.message}`);
    }
  });
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  const results = await session.run(bindInputs(session, tensors));
  fs.mkdirSync(outDir, { recursive: true });
  session.outputNames.forEach((name, k) => {
    const t = results[name];
    const file = path.join(outDir, `output_${k}.pb`);
    fs.writeFileSync(file, encode({ name, dims: Array.from(t.dims), type: t.type, data: t.data }));
    let lo = Infinity, hi = -Infinity;
    if (t.type === 'float32' || t.type === 'float64') {
      for (const v of t.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    process.stdout.write(`run_ort: ${file} ${name} ${t.type} [${t.dims.join('x')}]` +
      (lo <= hi ? ` min=${lo.toPrecision(5)} max=${hi.toPrecision(5)}` : '') + '\n');
  });
  if (typeof session.release === 'function') await session.release();
}

async function main(argv) {
  if (argv[0] === '--batch') {
    if (argv.length !== 2) usage('--batch takes one list file');
    const lines = fs.readFileSync(argv[1], 'utf8').split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) {
      const [modelPath, outDir, ...inputPaths] = line.split('\t');
      try {
        await runOne(modelPath, outDir, inputPaths);
      } catch (e) {
        fs.mkdirSync(outDir, { recursive: true });
        fs.writeFileSync(path.join(outDir, 'error.txt'), (e && e.message ? e.message : String(e)) + '\n');
        process.stdout.write(`run_ort: ${modelPath}: error (see ${outDir}/error.txt)\n`);
      }
    }
    return;
  }
  if (argv.length < 3) usage('need a model, an output directory and at least one input');
  const [modelPath, outDir, ...inputPaths] = argv;
  await runOne(modelPath, outDir, inputPaths);
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write('run_ort: ' + (e && e.message ? e.message : String(e)) + '\n');
  process.exit(1);
});
