// Unit tests of the TensorProto codec used by the oracle (run: node tensor_proto_test.js).
// Covers raw_data round trips for each numeric type and hand-built packed/unpacked repeated
// fields, negative varints, and rejection of truncated or inconsistent files.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { decode, encode } = require('./tensor_proto');

// Tiny protobuf writer for hand-built fixtures, independent of encode().
function varint(v) {
  const out = [];
  let x = BigInt.asUintN(64, BigInt(v));
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
  return out;
}
const key = (field, wire) => varint((field << 3) | wire);
const f32 = (v) => { const b = Buffer.alloc(4); b.writeFloatLE(v); return [...b]; };
const f64 = (v) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return [...b]; };
const lenDelim = (field, bytes) => [...key(field, 2), ...varint(bytes.length), ...bytes];

test('float32 raw_data round trip keeps name, dims and bits', () => {
  const data = new Float32Array([1.5, -0, Infinity, -3.25e-20, 7]);
  const t = decode(encode({ name: 'y', dims: [1, 5], type: 'float32', data }));
  assert.strictEqual(t.name, 'y');
  assert.deepStrictEqual(t.dims, [1, 5]);
  assert.strictEqual(t.type, 'float32');
  assert.deepStrictEqual(Buffer.from(t.data.buffer), Buffer.from(data.buffer));
});

test('round trip of every integer and float type', () => {
  const cases = [
    ['uint8', new Uint8Array([0, 255])], ['int8', new Int8Array([-128, 127])],
    ['int16', new Int16Array([-3, 3])], ['int32', new Int32Array([-2147483648, 5])],
    ['int64', new BigInt64Array([-(2n ** 63n), 42n])], ['float64', new Float64Array([Math.PI, -1])],
    ['bool', new Uint8Array([1, 0])], ['uint64', new BigUint64Array([2n ** 64n - 1n, 0n])],
  ];
  for (const [type, data] of cases) {
    const t = decode(encode({ name: type, dims: [2], type, data }));
    assert.strictEqual(t.type, type);
    assert.deepStrictEqual(Array.from(t.data), Array.from(data), type);
  }
});

test('scalar (no dims) and empty name', () => {
  const t = decode(encode({ name: '', dims: [], type: 'float32', data: new Float32Array([2]) }));
  assert.deepStrictEqual(t.dims, []);
  assert.strictEqual(t.data[0], 2);
});

test('unpacked dims and unpacked float_data', () => {
  const bytes = Buffer.from([
    ...key(1, 0), ...varint(2), ...key(1, 0), ...varint(1),
    ...key(2, 0), ...varint(1),
    ...key(4, 5), ...f32(0.5), ...key(4, 5), ...f32(-2),
    ...lenDelim(8, [...Buffer.from('x')]),
  ]);
  const t = decode(bytes);
  assert.deepStrictEqual(t.dims, [2, 1]);
  assert.deepStrictEqual(Array.from(t.data), [0.5, -2]);
  assert.strictEqual(t.name, 'x');
});

test('packed float_data, double_data, int32_data and int64_data with negatives', () => {
  const fl = decode(Buffer.from([...lenDelim(1, varint(3)), ...key(2, 0), 1, ...lenDelim(4, [...f32(1), ...f32(2), ...f32(3)])]));
  assert.deepStrictEqual(Array.from(fl.data), [1, 2, 3]);
  const db = decode(Buffer.from([...lenDelim(1, varint(2)), ...key(2, 0), 11, ...lenDelim(10, [...f64(1e300), ...f64(-0.25)])]));
  assert.deepStrictEqual(Array.from(db.data), [1e300, -0.25]);
  const i32 = decode(Buffer.from([...lenDelim(1, varint(2)), ...key(2, 0), 6, ...lenDelim(5, [...varint(-7), ...varint(9)])]));
  assert.deepStrictEqual(Array.from(i32.data), [-7, 9]);
  const i8 = decode(Buffer.from([...lenDelim(1, varint(1)), ...key(2, 0), 3, ...key(5, 0), ...varint(-1)]));
  assert.deepStrictEqual(Array.from(i8.data), [-1]);
  const i64 = decode(Buffer.from([...lenDelim(1, varint(2)), ...key(2, 0), 7, ...key(7, 0), ...varint(-5), ...key(7, 0), ...varint(2n ** 40n)]));
  assert.deepStrictEqual(Array.from(i64.data), [-5n, 2n ** 40n]);
});

test('unknown fields (doc_string, segment) are skipped', () => {
  const bytes = Buffer.from([
    ...lenDelim(12, [...Buffer.from('doc')]), ...lenDelim(3, [...key(1, 0), 0, ...key(2, 0), 1]),
    ...lenDelim(1, varint(1)), ...key(2, 0), 1, ...lenDelim(9, f32(4)),
  ]);
  assert.strictEqual(decode(bytes).data[0], 4);
});

test('rejects truncated files, size mismatches and unknown types', () => {
  const good = encode({ name: 'a', dims: [2], type: 'float32', data: new Float32Array([1, 2]) });
  assert.throws(() => decode(good.subarray(0, good.length - 1)), /past the end|truncated/);
  assert.throws(() => decode(Buffer.from([...lenDelim(1, varint(3)), ...key(2, 0), 1, ...lenDelim(9, f32(1))])), /raw_data/);
  assert.throws(() => decode(Buffer.from([...key(2, 0), 99])), /data_type/);
  assert.throws(() => decode(Buffer.from([...key(2, 0), 1, ...key(14, 0), 1])), /external/);
  assert.throws(() => encode({ name: 'a', dims: [3], type: 'float32', data: new Float32Array(2) }), /values/);
});
