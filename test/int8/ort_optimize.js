// Writes what onnxruntime's own optimizer makes of a model: the QOperator form (com.microsoft
// QLinearConv with channels_last, QGemm, QLinearSoftmax, ... between Transposes) that
// onnxruntime-optimized int8 models ship in. Usage: node ort_optimize.js IN.onnx OUT.onnx [IN OUT ...]
// (graphOptimizationLevel 'all', CPU provider; needs onnxruntime-node on NODE_PATH).
'use strict';
const ort = require('onnxruntime-node');

(async () => {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.length % 2 !== 0) throw new Error('usage: node ort_optimize.js IN.onnx OUT.onnx [IN OUT ...]');
  for (let k = 0; k < args.length; k += 2) {
    await ort.InferenceSession.create(args[k], { executionProviders: ['cpu'], graphOptimizationLevel: 'all',
      optimizedModelFilePath: args[k + 1] });
  }
})().catch((e) => {
  process.stderr.write('ort_optimize: ' + e.message + '\n');
  process.exit(1);
});
