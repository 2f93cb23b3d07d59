import { parse } from '@foxglove/rosmsg';
import type { Decoded, Decoder } from './ros-decoders.js';

/**
 * Decoders that read only the fields avlog uses from the high-rate messages (IMU at 100 Hz, odometry with two
 * 36-double covariances) and skip the rest by size, without allocating them: a plan compiled once per schema
 * from its definition. ROS 1 serialization (packed) and CDR little-endian (XCDR1, ROS 2). Anything the plan
 * does not cover (wide strings, big-endian CDR) falls back to the full decoder.
 */

type Definition = ReturnType<typeof parse>[number];
type Field = Definition['definitions'][number];

/** Field paths wanted: `true` reads the field whole; an object selects inside a complex field. */
export interface Want {
  [field: string]: true | Want;
}

class Unsupported extends Error {}

const SIZES: Record<string, number> = {
  bool: 1,
  byte: 1,
  char: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

/**
 * Reads a payload in place (one reader per decoder, reset per message; the DataView is shared by the messages
 * of a chunk). `base` is where CDR alignment counts from (after the 4-byte encapsulation header).
 */
class Reader {
  pos = 0;
  base = 0;
  end = 0;
  bytes: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  constructor(readonly cdr: boolean) {}
  reset(bytes: Uint8Array, skip: number): void {
    if (bytes.buffer !== this.view.buffer) {
      this.view = new DataView(bytes.buffer);
      this.bytes = new Uint8Array(bytes.buffer);
    }
    this.pos = bytes.byteOffset + skip;
    this.base = this.pos;
    this.end = bytes.byteOffset + bytes.byteLength;
  }
  align(n: number): void {
    if (this.cdr && n > 1) {
      const r = (this.pos - this.base) % n;
      if (r) this.pos += n - r;
    }
  }
  need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError(`message ends ${this.pos + n - this.end} bytes early`);
  }
  u32(): number {
    this.align(4);
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  primitive(type: string): unknown {
    const size = SIZES[type] as number;
    this.align(size);
    this.need(size);
    const v = this.view;
    const p = this.pos;
    this.pos += size;
    switch (type) {
      case 'bool':
        return v.getUint8(p) !== 0;
      case 'int8':
        return v.getInt8(p);
      case 'byte':
      case 'char':
      case 'uint8':
        return v.getUint8(p);
      case 'int16':
        return v.getInt16(p, true);
      case 'uint16':
        return v.getUint16(p, true);
      case 'int32':
        return v.getInt32(p, true);
      case 'uint32':
        return v.getUint32(p, true);
      case 'float32':
        return v.getFloat32(p, true);
      case 'float64':
        return v.getFloat64(p, true);
      case 'int64':
        return Number(v.getBigInt64(p, true));
      default:
        return Number(v.getBigUint64(p, true));
    }
  }
  string(): string {
    const n = this.u32();
    this.need(n);
    const end = this.cdr && n > 0 ? this.pos + n - 1 : this.pos + n;
    let s = '';
    for (let i = this.pos; i < end; i++) s += String.fromCharCode(this.bytes[i] as number);
    this.pos += n;
    return s;
  }
  skipString(): void {
    const n = this.u32();
    this.need(n);
    this.pos += n;
  }
}

type Op = (r: Reader, out: Decoded) => void;
/** Skipped complex fields write nothing; their ops get this object. */
const SCRATCH: Decoded = {};

/**
 * Compiles a selective decoder. `time`/`duration` read as {sec, nsec} (ROS 1) or {sec, nanosec} (ROS 2), like
 * the full decoders. Throws when the definition has something the plan does not cover.
 */
function compile(definition: string, want: Want, ros2: boolean): (bytes: Uint8Array) => Decoded {
  const defs = parse(definition, { ros2 });
  const root = defs[0];
  if (!root) throw new Unsupported('empty definition');
  const byName = new Map(defs.filter((d) => d.name).map((d) => [d.name as string, d]));
  const nsecKey = ros2 ? 'nanosec' : 'nsec';

  const readTime = (r: Reader): Decoded => {
    r.align(4);
    r.need(8);
    const sec = ros2 ? r.view.getInt32(r.pos, true) : r.view.getUint32(r.pos, true);
    const ns = r.view.getUint32(r.pos + 4, true);
    r.pos += 8;
    return { sec, [nsecKey]: ns };
  };

  const plans = new Map<string, Op[]>();
  const planFor = (def: Definition, w: Want | true): Op[] => {
    const key = `${def.name ?? ''}|${w === true ? '*' : JSON.stringify(w)}`;
    const known = plans.get(key);
    if (known) return known;
    const ops: Op[] = [];
    plans.set(key, ops);
    for (const f of def.definitions) {
      if (f.isConstant) continue;
      const sel = w === true ? true : w[f.name];
      ops.push(fieldOp(f, sel));
    }
    return ops;
  };

  const complexReader = (f: Field, sel: true | Want | undefined): ((r: Reader) => Decoded | undefined) => {
    const def = byName.get(f.type);
    if (!def) throw new Unsupported(`type ${f.type} is not defined`);
    const ops = planFor(def, sel ?? {});
    if (sel === undefined) {
      return (r) => {
        for (const op of ops) op(r, SCRATCH);
        return undefined;
      };
    }
    return (r) => {
      const o: Decoded = {};
      for (const op of ops) op(r, o);
      return o;
    };
  };

  const fieldOp = (f: Field, sel: true | Want | undefined): Op => {
    const name = f.name;
    if (f.type === 'wstring') throw new Unsupported('wstring');
    const isTime = f.type === 'time' || f.type === 'duration';
    const size = SIZES[f.type];
    let one: (r: Reader) => unknown;
    let skipOne: ((r: Reader) => void) | null = null;
    if (f.isComplex) {
      const read = complexReader(f, sel);
      one = read;
    } else if (isTime) {
      one = readTime;
    } else if (f.type === 'string') {
      one = (r) => r.string();
      skipOne = (r) => r.skipString();
    } else if (size !== undefined) {
      const type = f.type;
      one = (r) => r.primitive(type);
      skipOne = (r) => {
        r.align(size);
        r.need(size);
        r.pos += size;
      };
    } else {
      throw new Unsupported(`type ${f.type}`);
    }
    if (!f.isArray) {
      if (sel === undefined && skipOne) return (r) => skipOne(r);
      if (sel === undefined) return (r) => void one(r);
      return (r, out) => {
        out[name] = one(r);
      };
    }
    const fixed = f.arrayLength;
    // Arrays of fixed-size primitives are skipped (or read) in one step.
    if (size !== undefined && !f.isComplex) {
      return (r, out) => {
        const n = fixed ?? r.u32();
        r.align(size);
        r.need(n * size);
        if (sel !== undefined) {
          const list: unknown[] = [];
          for (let i = 0; i < n; i++) list.push(one(r));
          out[name] = list;
        } else {
          r.pos += n * size;
        }
      };
    }
    return (r, out) => {
      const n = fixed ?? r.u32();
      const list: unknown[] = [];
      for (let i = 0; i < n; i++) list.push(one(r));
      if (sel !== undefined) out[name] = list;
    };
  };

  const ops = planFor(root, want);
  const r = new Reader(ros2);
  return (bytes) => {
    if (ros2) {
      // Encapsulation: 0x00 0x01 = CDR little-endian (0x00 0x00 big-endian goes to the full decoder).
      if (bytes.length < 4 || bytes[1] !== 0x01 || bytes[0] !== 0x00) throw new Unsupported('not CDR little-endian');
    }
    r.reset(bytes, ros2 ? 4 : 0);
    const out: Decoded = {};
    for (const op of ops) op(r, out);
    return out;
  };
}

const STAMPED: Want = { header: { stamp: true, frame_id: true } };

/** What each high-rate role reads. */
export const WANTED: Readonly<Record<string, Want>> = {
  imu: { ...STAMPED, linear_acceleration: true },
  odometry: { ...STAMPED, pose: { pose: { orientation: true } }, twist: { twist: { linear: true } } },
  fix: { ...STAMPED, status: { status: true }, latitude: true, longitude: true, track: true, speed: true },
};

/**
 * A decoder reading only `want` from ROS 1 or CDR messages of `definition`, falling back to `full` for messages
 * (or definitions) it does not cover. Null when the definition cannot be planned.
 */
export function selectiveDecoder(definition: string, want: Want, ros2: boolean, full: Decoder): Decoder | null {
  let fast: (bytes: Uint8Array) => Decoded;
  try {
    fast = compile(definition, want, ros2);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  return (data) => {
    try {
      return fast(data);
    } catch (e) {
      if (e instanceof Unsupported) return full(data);
      throw e;
    }
  };
}
