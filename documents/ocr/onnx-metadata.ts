// The custom metadata of an ONNX model (ModelProto.metadata_props, field 14: key = 1, value = 2), read
// from the protobuf wire format directly. PP-OCR recognition models carry their character list there
// (key "character", one character a line); onnxruntime-node does not expose it.

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

/** Walks the fields of one message, calling `onField` for length-delimited ones. */
function fields(bytes: Uint8Array, onField: (field: number, data: Uint8Array) => void): void {
  let offset = 0;
  while (offset < bytes.length) {
    const [key, next] = varint(bytes, offset);
    offset = next;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) [, offset] = varint(bytes, offset);
    else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else if (wire === 2) {
      const [length, start] = varint(bytes, offset);
      onField(field, bytes.subarray(start, start + length));
      offset = start + length;
    } else throw new Error(`unexpected wire type ${wire} in ONNX model`);
  }
}

export function onnxMetadata(model: Uint8Array): Record<string, string> {
  const decoder = new TextDecoder();
  const out: Record<string, string> = {};
  fields(model, (field, data) => {
    if (field !== 14) return;
    let key = '';
    let value = '';
    fields(data, (f, d) => {
      if (f === 1) key = decoder.decode(d);
      else if (f === 2) value = decoder.decode(d);
    });
    out[key] = value;
  });
  return out;
}
