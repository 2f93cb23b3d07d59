import type { Decoded, Decoder } from './ros-decoders.js';

/**
 * A small protobuf decoder driven by the FileDescriptorSet that MCAP stores as a `protobuf` schema (what
 * Foxglove's protobuf schemas, e.g. foxglove.LocationFix, and Apollo-style records use). Messages decode to
 * plain objects keyed by field name; proto3 defaults fill absent scalars; enums stay numbers.
 */

interface FieldDef {
  name: string;
  number: number;
  repeated: boolean;
  type: number;
  typeName: string;
}

interface MessageDef {
  fullName: string;
  fields: Map<number, FieldDef>;
}

const T = {
  DOUBLE: 1,
  FLOAT: 2,
  INT64: 3,
  UINT64: 4,
  INT32: 5,
  FIXED64: 6,
  FIXED32: 7,
  BOOL: 8,
  STRING: 9,
  GROUP: 10,
  MESSAGE: 11,
  BYTES: 12,
  UINT32: 13,
  ENUM: 14,
  SFIXED32: 15,
  SFIXED64: 16,
  SINT32: 17,
  SINT64: 18,
} as const;

const utf8 = new TextDecoder('utf-8');

class Wire {
  pos: number;
  readonly end: number;
  readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('protobuf varint runs past the end');
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new RangeError('protobuf varint longer than 10 bytes');
  }
  need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('protobuf field runs past the end');
  }
  bytes(): Uint8Array {
    const n = this.varint();
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.advance(4);
    else throw new RangeError(`protobuf wire type ${wireType} is not supported`);
  }
  advance(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

/** int64 from a varint read as an unsigned number (two's complement above 2^63). */
function signed64(n: number): number {
  return n >= 2 ** 63 ? n - 2 ** 64 : n;
}

function scalar(w: Wire, type: number): unknown {
  switch (type) {
    case T.DOUBLE: {
      w.need(8);
      const v = w.view.getFloat64(w.pos, true);
      w.pos += 8;
      return v;
    }
    case T.FLOAT: {
      w.need(4);
      const v = w.view.getFloat32(w.pos, true);
      w.pos += 4;
      return v;
    }
    case T.FIXED64:
    case T.SFIXED64: {
      w.need(8);
      const v = type === T.FIXED64 ? w.view.getBigUint64(w.pos, true) : w.view.getBigInt64(w.pos, true);
      w.pos += 8;
      return Number(v);
    }
    case T.FIXED32:
    case T.SFIXED32: {
      w.need(4);
      const v = type === T.FIXED32 ? w.view.getUint32(w.pos, true) : w.view.getInt32(w.pos, true);
      w.pos += 4;
      return v;
    }
    case T.BOOL:
      return w.varint() !== 0;
    case T.INT32:
    case T.ENUM:
      return signed64(w.varint()) | 0;
    case T.UINT32:
      return w.varint() >>> 0;
    case T.INT64:
      return signed64(w.varint());
    case T.UINT64:
      return w.varint();
    case T.SINT32:
    case T.SINT64: {
      const n = w.varint();
      return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
    }
    default:
      throw new RangeError(`protobuf field type ${type} is not supported`);
  }
}

function defaultOf(f: FieldDef): unknown {
  if (f.repeated) return [];
  switch (f.type) {
    case T.STRING:
      return '';
    case T.BYTES:
      return new Uint8Array(0);
    case T.BOOL:
      return false;
    case T.MESSAGE:
    case T.GROUP:
      return undefined;
    default:
      return 0;
  }
}

/** Reads a FileDescriptorSet (itself protobuf) into message definitions by full name (`.pkg.Name`). */
function readDescriptorSet(bytes: Uint8Array): Map<string, MessageDef> {
  const out = new Map<string, MessageDef>();
  const readMessage = (buf: Uint8Array, scope: string) => {
    const w = new Wire(buf);
    let name = '';
    const fields: FieldDef[] = [];
    const nested: Uint8Array[] = [];
    while (!w.done) {
      const key = w.varint();
      const field = Math.floor(key / 8);
      const wt = key & 7;
      if (field === 1 && wt === 2) name = utf8.decode(w.bytes());
      else if (field === 2 && wt === 2) fields.push(readField(w.bytes()));
      else if (field === 3 && wt === 2) nested.push(w.bytes());
      else w.skip(wt);
    }
    const fullName = `${scope}.${name}`;
    out.set(fullName, { fullName, fields: new Map(fields.map((f) => [f.number, f])) });
    for (const n of nested) readMessage(n, fullName);
  };
  const readField = (buf: Uint8Array): FieldDef => {
    const w = new Wire(buf);
    const f: FieldDef = { name: '', number: 0, repeated: false, type: 0, typeName: '' };
    while (!w.done) {
      const key = w.varint();
      const field = Math.floor(key / 8);
      const wt = key & 7;
      if (field === 1 && wt === 2) f.name = utf8.decode(w.bytes());
      else if (field === 3 && wt === 0) f.number = w.varint();
      else if (field === 4 && wt === 0) f.repeated = w.varint() === 3;
      else if (field === 5 && wt === 0) f.type = w.varint();
      else if (field === 6 && wt === 2) f.typeName = utf8.decode(w.bytes());
      else w.skip(wt);
    }
    return f;
  };
  const set = new Wire(bytes);
  while (!set.done) {
    const key = set.varint();
    if (Math.floor(key / 8) !== 1 || (key & 7) !== 2) {
      set.skip(key & 7);
      continue;
    }
    const file = new Wire(set.bytes());
    let pkg = '';
    const messages: Uint8Array[] = [];
    while (!file.done) {
      const k = file.varint();
      const field = Math.floor(k / 8);
      const wt = k & 7;
      if (field === 2 && wt === 2) pkg = utf8.decode(file.bytes());
      else if (field === 4 && wt === 2) messages.push(file.bytes());
      else file.skip(wt);
    }
    for (const m of messages) readMessage(m, pkg ? `.${pkg}` : '');
  }
  return out;
}

/** A decoder for the message named `schemaName` (e.g. `foxglove.LocationFix`) in a FileDescriptorSet. */
export function protobufDecoder(schema: Uint8Array, schemaName: string): Decoder {
  const types = readDescriptorSet(schema);
  const root = types.get(`.${schemaName}`);
  if (!root) throw new Error(`the FileDescriptorSet does not define ${schemaName}`);
  const decode = (def: MessageDef, w: Wire, depth: number): Decoded => {
    if (depth > 32) throw new RangeError('protobuf messages nested too deep');
    const out: Decoded = {};
    while (!w.done) {
      const key = w.varint();
      const f = def.fields.get(Math.floor(key / 8));
      const wt = key & 7;
      if (!f) {
        w.skip(wt);
        continue;
      }
      let value: unknown;
      if (f.type === T.MESSAGE) {
        const sub = types.get(f.typeName);
        const bytes = w.bytes();
        value = sub ? decode(sub, new Wire(bytes), depth + 1) : undefined;
      } else if (f.type === T.STRING) {
        value = utf8.decode(w.bytes());
      } else if (f.type === T.BYTES) {
        value = w.bytes();
      } else if (wt === 2 && f.repeated) {
        const packed = w.bytes();
        const pw = new Wire(packed);
        const list = (out[f.name] as unknown[] | undefined) ?? [];
        while (!pw.done) list.push(scalar(pw, f.type));
        out[f.name] = list;
        continue;
      } else {
        value = scalar(w, f.type);
      }
      if (f.repeated) ((out[f.name] as unknown[] | undefined) ?? (out[f.name] = [])).push(value);
      else out[f.name] = value;
    }
    for (const f of def.fields.values()) if (!(f.name in out)) out[f.name] = defaultOf(f);
    return out;
  };
  return (data) => decode(root, new Wire(data), 0);
}
