// ONNX models at the protobuf wire level: the custom metadata (ModelProto.metadata_props, field 14), and
// a recogniser cut down to the characters our documents use. PP-OCR's recogniser ends in one linear layer
// scoring 18,710 characters (most of them Chinese) at every step across a line: scoring only the ~100 of
// Latin script makes reading a receipt about twice as fast and changes nothing else of the network.
// onnxruntime-node exposes neither, and the full ONNX schema is not needed to do either.

/** Reads a varint at `offset`; returns the value and the offset after it. */
function varint(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (offset >= bytes.length) throw new Error('truncated varint in ONNX model');
    const b = bytes[offset++]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, offset];
    shift += 7;
  }
}

function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

interface RawField {
  readonly field: number;
  readonly wire: number;
  /** The whole field as encoded (tag, length, payload). */
  readonly raw: Uint8Array;
  /** Length-delimited payload, or the varint value. */
  readonly payload: Uint8Array | null;
  readonly value: number | null;
}

function rawFields(bytes: Uint8Array): RawField[] {
  const out: RawField[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const start = offset;
    const [key, next] = varint(bytes, offset);
    offset = next;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let payload: Uint8Array | null = null;
    let value: number | null = null;
    if (wire === 0) [value, offset] = varint(bytes, offset);
    else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else if (wire === 2) {
      const [length, at] = varint(bytes, offset);
      payload = bytes.subarray(at, at + length);
      offset = at + length;
    } else throw new Error(`unexpected wire type ${wire} in ONNX model`);
    out.push({ field, wire, raw: bytes.subarray(start, offset), payload, value });
  }
  return out;
}

const lengthDelimited = (field: number, payload: Uint8Array) =>
  concat([encodeVarint(field * 8 + 2), encodeVarint(payload.length), payload]);
const varintField = (field: number, value: number) => concat([encodeVarint(field * 8), encodeVarint(value)]);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const text = new TextDecoder();
const utf8 = new TextEncoder();

export function onnxMetadata(model: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of rawFields(model)) {
    if (f.field !== 14 || !f.payload) continue;
    let key = '';
    let value = '';
    for (const e of rawFields(f.payload)) {
      if (e.field === 1 && e.payload) key = text.decode(e.payload);
      else if (e.field === 2 && e.payload) value = text.decode(e.payload);
    }
    out[key] = value;
  }
  return out;
}

/**
 * A CTC recogniser scoring only the characters `keep` admits. Its last linear layer (the initializers of
 * shape [hidden, classes] and [classes]) keeps the columns of the blank (class 0), of the characters kept
 * and of the space (the last class); shapes that name the class count follow; the metadata lists the
 * characters kept. Throws when the model is not shaped so.
 */
export function restrictRecognizer(model: Uint8Array, keep: (character: string) => boolean): Uint8Array {
  const characters = onnxMetadata(model).character?.split('\n');
  if (!characters) throw new Error('the recogniser carries no character list');
  const classes = characters.length + 2;
  const kept = [0, ...characters.flatMap((c, i) => (keep(c) ? [i + 1] : [])), classes - 1];
  const rewriteDims = (bytes: Uint8Array): Uint8Array => rewriteValueInfoDims(bytes, classes, kept.length);

  const graph = (bytes: Uint8Array): Uint8Array =>
    concat(
      rawFields(bytes).map((f) => {
        if (f.field === 5 && f.payload) return lengthDelimited(5, restrictInitializer(f.payload, classes, kept));
        if ((f.field === 12 || f.field === 13) && f.payload) return lengthDelimited(f.field, rewriteDims(f.payload));
        return f.raw;
      }),
    );
  const parts = rawFields(model).map((f) => {
    if (f.field === 7 && f.payload) return lengthDelimited(7, graph(f.payload));
    if (f.field === 14 && f.payload && onnxMetadataKey(f.payload) === 'character') {
      const list = kept
        .slice(1, -1)
        .map((k) => characters[k - 1]!)
        .join('\n');
      return lengthDelimited(14, concat([lengthDelimited(1, utf8.encode('character')), lengthDelimited(2, utf8.encode(list))]));
    }
    return f.raw;
  });
  return concat(parts);
}

function onnxMetadataKey(entry: Uint8Array): string {
  const key = rawFields(entry).find((e) => e.field === 1);
  return key?.payload ? text.decode(key.payload) : '';
}

/** TensorProto: dims = 1, data_type = 2 (1 = float), raw_data = 9. Slices the class axis when it has one. */
function restrictInitializer(tensor: Uint8Array, classes: number, kept: readonly number[]): Uint8Array {
  const fields = rawFields(tensor);
  const dims: number[] = [];
  for (const f of fields) {
    if (f.field !== 1) continue;
    if (f.value !== null) dims.push(f.value);
    else if (f.payload) for (let o = 0; o < f.payload.length;) [dims[dims.length], o] = varint(f.payload, o);
  }
  if (dims.at(-1) !== classes) return tensor;
  const raw = fields.find((f) => f.field === 9)?.payload;
  const type = fields.find((f) => f.field === 2)?.value;
  if (!raw || type !== 1) throw new Error('the class layer is not stored as raw float data');
  const rows = dims.length === 2 ? dims[0]! : 1;
  const source = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const sliced = new Float32Array(rows * kept.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < kept.length; c++) sliced[r * kept.length + c] = source[r * classes + kept[c]!]!;
  const newDims = dims.length === 2 ? [rows, kept.length] : [kept.length];
  return concat([
    ...newDims.map((d) => varintField(1, d)),
    ...fields.filter((f) => f.field !== 1 && f.field !== 9).map((f) => f.raw),
    lengthDelimited(9, new Uint8Array(sliced.buffer)),
  ]);
}

/** ValueInfoProto -> type (2) -> tensor_type (1) -> shape (2) -> dim (1) -> dim_value (1): `from` becomes `to`. */
function rewriteValueInfoDims(valueInfo: Uint8Array, from: number, to: number): Uint8Array {
  const path = [2, 1, 2, 1];
  const walk = (bytes: Uint8Array, depth: number): Uint8Array =>
    concat(
      rawFields(bytes).map((f) => {
        if (depth === path.length) return f.field === 1 && f.value === from ? varintField(1, to) : f.raw;
        return f.field === path[depth] && f.payload ? lengthDelimited(f.field, walk(f.payload, depth + 1)) : f.raw;
      }),
    );
  return walk(valueInfo, 0);
}
