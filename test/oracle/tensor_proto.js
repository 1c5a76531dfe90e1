// A minimal, dependency-free codec for ONNX TensorProto files (.pb) for the onnxruntime oracle.
// decode() accepts packed and unpacked repeated fields and raw_data; encode() writes name, dims,
// data_type and little-endian raw_data, which every ONNX reader accepts. Node >= 18, CommonJS.
'use strict';

// onnx.TensorProto.DataType -> [onnxruntime-node type name, TypedArray, bytes per element]
const DTYPES = {
  1: ['float32', Float32Array, 4],
  2: ['uint8', Uint8Array, 1],
  3: ['int8', Int8Array, 1],
  4: ['uint16', Uint16Array, 2],
  5: ['int16', Int16Array, 2],
  6: ['int32', Int32Array, 4],
  7: ['int64', BigInt64Array, 8],
  9: ['bool', Uint8Array, 1],
  10: ['float16', Uint16Array, 2],
  11: ['float64', Float64Array, 8],
  12: ['uint32', Uint32Array, 4],
  13: ['uint64', BigUint64Array, 8],
};
const ORT_TO_ONNX = {};
for (const [code, [ortName]] of Object.entries(DTYPES)) ORT_TO_ONNX[ortName] = Number(code);

// TensorProto field numbers used here.
const F_DIMS = 1, F_DATA_TYPE = 2, F_FLOAT = 4, F_INT32 = 5, F_STRING = 6, F_INT64 = 7, F_NAME = 8,
  F_RAW = 9, F_DOUBLE = 10, F_UINT64 = 11, F_DATA_LOCATION = 14;

class Reader {
  constructor(buf, start, end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }
  done() { return this.pos >= this.end; }
  varint() {  // returns BigInt (unsigned 64-bit)
    let result = 0n, shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('TensorProto: truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new Error('TensorProto: varint too long');
    }
    return BigInt.asUintN(64, result);
  }
  bytes(n) {
    if (n < 0 || this.pos + n > this.end) throw new Error('TensorProto: field runs past the end');
    const s = this.pos;
    this.pos += n;
    return this.buf.subarray(s, s + n);
  }
  lengthDelimited() { return this.bytes(Number(this.varint())); }
  skip(wire) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.bytes(8);
    else if (wire === 2) this.lengthDelimited();
    else if (wire === 5) this.bytes(4);
    else throw new Error('TensorProto: unsupported wire type ' + wire);
  }
}

// Appends the values of one repeated scalar field occurrence (packed or not) to `out`.
function readRepeated(r, wire, kind, out) {
  const one = (rr) => {
    if (kind === 'varint') out.push(rr.varint());
    else if (kind === 'f32') out.push(rr.bytes(4).readFloatLE(0));
    else out.push(rr.bytes(8).readDoubleLE(0));
  };
  const unpackedWire = kind === 'varint' ? 0 : kind === 'f32' ? 5 : 1;
  if (wire === 2) {
    const body = r.lengthDelimited();
    const rr = new Reader(body, 0, body.length);
    while (!rr.done()) one(rr);
  } else if (wire === unpackedWire) {
    one(r);
  } else {
    throw new Error('TensorProto: bad wire type ' + wire + ' for a repeated ' + kind + ' field');
  }
}

// Buffer -> { name, dims: number[], dataType, type, data: TypedArray }.
function decode(input) {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const r = new Reader(buf, 0, buf.length);
  const t = { name: '', dims: [], dataType: 0, raw: null, floats: [], ints: [], doubles: [] };
  while (!r.done()) {
    const key = r.varint();
    const field = Number(key >> 3n), wire = Number(key & 7n);
    switch (field) {
      case F_DIMS: {
        const v = [];
        readRepeated(r, wire, 'varint', v);
        for (const d of v) t.dims.push(Number(BigInt.asIntN(64, d)));
        break;
      }
      case F_DATA_TYPE: t.dataType = Number(r.varint()); break;
      case F_FLOAT: readRepeated(r, wire, 'f32', t.floats); break;
      case F_INT32: case F_INT64: case F_UINT64: readRepeated(r, wire, 'varint', t.ints); break;
      case F_DOUBLE: readRepeated(r, wire, 'f64', t.doubles); break;
      case F_NAME: t.name = r.lengthDelimited().toString('utf8'); break;
      case F_RAW: t.raw = r.lengthDelimited(); break;
      case F_STRING: throw new Error('TensorProto: string tensors are not supported');
      case F_DATA_LOCATION:
        if (Number(r.varint()) !== 0) throw new Error('TensorProto: external data is not supported');
        break;
      default: r.skip(wire);
    }
  }
  const info = DTYPES[t.dataType];
  if (!info) throw new Error('TensorProto: unsupported data_type ' + t.dataType);
  const [type, Arr, size] = info;
  for (const d of t.dims) if (!(d >= 0)) throw new Error('TensorProto: negative dim ' + d);
  const count = t.dims.reduce((a, b) => a * b, 1);
  let data;
  if (t.raw !== null) {
    if (t.raw.length !== count * size) {
      throw new Error(`TensorProto '${t.name}': raw_data has ${t.raw.length} bytes, expected ${count * size}`);
    }
    data = new Arr(count);
    const bytes = new Uint8Array(data.buffer);
    bytes.set(t.raw);
    if (size > 1 && !littleEndianHost()) swapBytes(bytes, size);
  } else {
    const src = t.dataType === 1 ? t.floats : t.dataType === 11 ? t.doubles : t.ints;
    if (src.length !== count) {
      throw new Error(`TensorProto '${t.name}': ${src.length} values, expected ${count}`);
    }
    data = new Arr(count);
    for (let i = 0; i < count; i++) {
      const v = src[i];
      if (Arr === BigInt64Array) data[i] = BigInt.asIntN(64, v);
      else if (Arr === BigUint64Array) data[i] = v;
      else if (typeof v === 'bigint') data[i] = Number(BigInt.asIntN(64, v));  // int32_data family
      else data[i] = v;
    }
  }
  return { name: t.name, dims: t.dims, dataType: t.dataType, type, data };
}

function littleEndianHost() {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function swapBytes(bytes, size) {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const tmp = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = tmp;
    }
  }
}

function writeVarint(out, value) {
  let v = BigInt.asUintN(64, BigInt(value));
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
}

function writeKey(out, field, wire) { writeVarint(out, (field << 3) | wire); }

// { name, dims, type (onnxruntime name) or dataType (ONNX code), data: TypedArray } -> Buffer.
function encode(tensor) {
  const dataType = tensor.dataType || ORT_TO_ONNX[tensor.type];
  const info = DTYPES[dataType];
  if (!info) throw new Error('TensorProto: cannot encode tensor type ' + (tensor.type || dataType));
  const size = info[2];
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== count) {
    throw new Error(`TensorProto '${tensor.name}': ${tensor.data.length} values for dims [${tensor.dims}]`);
  }
  const head = [];
  if (tensor.dims.length > 0) {
    const packed = [];
    for (const d of tensor.dims) writeVarint(packed, d);
    writeKey(head, F_DIMS, 2);
    writeVarint(head, packed.length);
    head.push(...packed);
  }
  writeKey(head, F_DATA_TYPE, 0);
  writeVarint(head, dataType);
  const nameBytes = Buffer.from(tensor.name || '', 'utf8');
  if (nameBytes.length > 0) {
    writeKey(head, F_NAME, 2);
    writeVarint(head, nameBytes.length);
  }
  const raw = Buffer.from(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, count * size));
  if (size > 1 && !littleEndianHost()) swapBytes(raw, size);  // raw is a copy: safe to swap
  const rawKey = [];
  writeKey(rawKey, F_RAW, 2);
  writeVarint(rawKey, raw.length);
  return Buffer.concat([Buffer.from(head), nameBytes, Buffer.from(rawKey), raw]);
}

module.exports = { decode, encode, DTYPES };
