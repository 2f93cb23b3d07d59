/**
 * A small Zstandard compressor (RFC 8878) in plain TypeScript, for writing MCAP fixtures with zstd chunks.
 * It finds LZ77 matches with a hash table and codes them as compressed blocks with raw literals and the
 * predefined FSE tables for sequences: real zstd frames any decoder reads, at a ratio between LZ4 and zstd -1.
 * Blocks that would not shrink are stored raw.
 */

const MAGIC = 0xfd2fb528;
const BLOCK_MAX = 128 * 1024;
const MIN_MATCH = 4;
const HASH_BITS = 16;
/** Matches reach back at most this far (the window is the whole frame: single segment). */
const MAX_DISTANCE = 1 << 22;

const LL_DIST = [
  4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1,
];
const ML_DIST = [
  1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
];
const OF_DIST = [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1];
const LL_BITS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];
const ML_BITS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3,
  3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];
const LL_CODE = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 17, 17, 18, 18, 19, 19, 20, 20, 20, 20, 21, 21, 21, 21,
  22, 22, 22, 22, 22, 22, 22, 22, 23, 23, 23, 23, 23, 23, 23, 23, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
  24, 24, 24,
];

function highbit(v: number): number {
  return 31 - Math.clz32(v);
}

function llCode(ll: number): number {
  return ll > 63 ? highbit(ll) + 19 : (LL_CODE[ll] as number);
}

function mlCode(mlBase: number): number {
  if (mlBase > 127) return highbit(mlBase) + 36;
  if (mlBase < 32) return mlBase;
  if (mlBase < 40) return 32 + ((mlBase - 32) >> 1);
  if (mlBase < 48) return 36 + ((mlBase - 40) >> 2);
  if (mlBase < 64) return 38 + ((mlBase - 48) >> 3);
  if (mlBase < 96) return 40 + ((mlBase - 64) >> 4);
  return 42;
}

interface CTable {
  tableLog: number;
  stateTable: Uint16Array;
  deltaNbBits: Int32Array;
  deltaFindState: Int32Array;
}

/** FSE compression table from a normalized distribution (as zstd's FSE_buildCTable). */
function buildCTable(norm: readonly number[], tableLog: number): CTable {
  const tableSize = 1 << tableLog;
  const mask = tableSize - 1;
  const step = (tableSize >> 1) + (tableSize >> 3) + 3;
  const maxSymbol = norm.length - 1;
  const cumul = new Int32Array(maxSymbol + 2);
  const tableSymbol = new Uint8Array(tableSize);
  let highThreshold = tableSize - 1;
  for (let s = 1; s <= maxSymbol + 1; s++) {
    const n = norm[s - 1] as number;
    if (n === -1) {
      cumul[s] = (cumul[s - 1] as number) + 1;
      tableSymbol[highThreshold--] = s - 1;
    } else {
      cumul[s] = (cumul[s - 1] as number) + n;
    }
  }
  let position = 0;
  for (let s = 0; s <= maxSymbol; s++) {
    const n = norm[s] as number;
    for (let i = 0; i < n; i++) {
      tableSymbol[position] = s;
      do position = (position + step) & mask;
      while (position > highThreshold);
    }
  }
  const stateTable = new Uint16Array(tableSize);
  for (let u = 0; u < tableSize; u++) {
    const s = tableSymbol[u] as number;
    stateTable[cumul[s] as number] = tableSize + u;
    cumul[s] = (cumul[s] as number) + 1;
  }
  const deltaNbBits = new Int32Array(maxSymbol + 1);
  const deltaFindState = new Int32Array(maxSymbol + 1);
  let total = 0;
  for (let s = 0; s <= maxSymbol; s++) {
    const n = norm[s] as number;
    if (n === 0) {
      deltaNbBits[s] = ((tableLog + 1) << 16) - tableSize;
    } else if (n === -1 || n === 1) {
      deltaNbBits[s] = (tableLog << 16) - tableSize;
      deltaFindState[s] = total - 1;
      total++;
    } else {
      const maxBitsOut = tableLog - highbit(n - 1);
      const minStatePlus = n << maxBitsOut;
      deltaNbBits[s] = (maxBitsOut << 16) - minStatePlus;
      deltaFindState[s] = total - n;
      total += n;
    }
  }
  return { tableLog, stateTable, deltaNbBits, deltaFindState };
}

const LL_TABLE = buildCTable(LL_DIST, 6);
const ML_TABLE = buildCTable(ML_DIST, 6);
const OF_TABLE = buildCTable(OF_DIST, 5);

/** Little-endian bit writer; zstd reads sequence bitstreams backwards from the end mark. */
class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private bits = 0;
  add(value: number, nbBits: number): void {
    if (nbBits === 0) return;
    if (nbBits > 24) {
      this.add(value % 65536, 16);
      this.add(Math.floor(value / 65536), nbBits - 16);
      return;
    }
    this.acc |= (value & ((1 << nbBits) - 1)) << this.bits;
    this.bits += nbBits;
    while (this.bits >= 8) {
      this.bytes.push(this.acc & 0xff);
      this.acc >>>= 8;
      this.bits -= 8;
    }
  }
  close(): number[] {
    this.add(1, 1);
    if (this.bits > 0) this.bytes.push(this.acc & 0xff);
    return this.bytes;
  }
}

class FseState {
  state = 0;
  constructor(private readonly t: CTable) {}
  init(symbol: number): void {
    const d = this.t.deltaNbBits[symbol] as number;
    const nbBitsOut = (d + (1 << 15)) >> 16;
    const value = (nbBitsOut << 16) - d;
    this.state = this.t.stateTable[(value >> nbBitsOut) + (this.t.deltaFindState[symbol] as number)] as number;
  }
  encode(w: BitWriter, symbol: number): void {
    const nbBitsOut = (this.state + (this.t.deltaNbBits[symbol] as number)) >> 16;
    w.add(this.state, nbBitsOut);
    this.state = this.t.stateTable[(this.state >> nbBitsOut) + (this.t.deltaFindState[symbol] as number)] as number;
  }
  flush(w: BitWriter): void {
    w.add(this.state, this.t.tableLog);
  }
}

interface Sequence {
  ll: number;
  ml: number;
  offBase: number;
}

function encodeSequences(seqs: Sequence[]): number[] {
  const w = new BitWriter();
  const n = seqs.length;
  const ll = new FseState(LL_TABLE);
  const ml = new FseState(ML_TABLE);
  const of = new FseState(OF_TABLE);
  const codes = seqs.map((s) => ({ ll: llCode(s.ll), ml: mlCode(s.ml - 3), of: highbit(s.offBase) }));
  const last = codes[n - 1] as { ll: number; ml: number; of: number };
  const lastSeq = seqs[n - 1] as Sequence;
  ml.init(last.ml);
  of.init(last.of);
  ll.init(last.ll);
  w.add(lastSeq.ll, LL_BITS[last.ll] as number);
  w.add(lastSeq.ml - 3, ML_BITS[last.ml] as number);
  w.add(lastSeq.offBase, last.of);
  for (let i = n - 2; i >= 0; i--) {
    const c = codes[i] as { ll: number; ml: number; of: number };
    const s = seqs[i] as Sequence;
    of.encode(w, c.of);
    ml.encode(w, c.ml);
    ll.encode(w, c.ll);
    w.add(s.ll, LL_BITS[c.ll] as number);
    w.add(s.ml - 3, ML_BITS[c.ml] as number);
    w.add(s.offBase, c.of);
  }
  ml.flush(w);
  of.flush(w);
  ll.flush(w);
  return w.close();
}

function literalsHeader(size: number): number[] {
  if (size < 32) return [size << 3];
  if (size < 4096) return [((size & 15) << 4) | 0b0100, size >> 4];
  return [((size & 15) << 4) | 0b1100, (size >> 4) & 0xff, size >> 12];
}

function sequenceCount(n: number): number[] {
  if (n < 128) return [n];
  if (n < 0x7f00) return [(n >> 8) + 128, n & 0xff];
  return [255, (n - 0x7f00) & 0xff, (n - 0x7f00) >> 8];
}

/** A growable byte buffer. */
class Bytes {
  buf: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
  }
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }
  push(...values: number[]): void {
    this.room(values.length);
    for (const v of values) this.buf[this.length++] = v;
  }
  append(src: Uint8Array | number[], start = 0, end = src.length): void {
    this.room(end - start);
    if (src instanceof Uint8Array) this.buf.set(src.subarray(start, end), this.length);
    else for (let i = start; i < end; i++) this.buf[this.length + i - start] = src[i] as number;
    this.length += end - start;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Compresses `src` into one zstd frame. */
export function zstdCompress(src: Uint8Array): Uint8Array {
  const out = new Bytes((src.length >> 1) + 64);
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  u32(MAGIC);
  const size = src.length;
  // Single segment (window = content), content size in 1, 2, 4 or 8 bytes.
  if (size < 256) out.push(0x20, size);
  else if (size < 65536 + 256) out.push(0x60, (size - 256) & 0xff, (size - 256) >> 8);
  else if (size < 2 ** 32) {
    out.push(0xa0);
    u32(size);
  } else {
    out.push(0xe0);
    u32(size % 2 ** 32);
    u32(Math.floor(size / 2 ** 32));
  }
  if (size === 0) {
    out.push(1, 0, 0); // one empty raw block, last
    return out.bytes();
  }
  const hash = new Int32Array(1 << HASH_BITS).fill(-1);
  const read32 = (i: number) =>
    ((src[i] as number) |
      ((src[i + 1] as number) << 8) |
      ((src[i + 2] as number) << 16) |
      ((src[i + 3] as number) << 24)) >>>
    0;
  const hashAt = (i: number) => Math.imul(read32(i), 2654435761) >>> (32 - HASH_BITS);
  const literals = new Bytes(BLOCK_MAX);
  const body = new Bytes(BLOCK_MAX + 1024);
  for (let start = 0; start < size; start += BLOCK_MAX) {
    const end = Math.min(size, start + BLOCK_MAX);
    const last = end === size ? 1 : 0;
    literals.length = 0;
    body.length = 0;
    const seqs: Sequence[] = [];
    let anchor = start;
    let i = start;
    let misses = 0;
    while (i + MIN_MATCH <= end) {
      const h = hashAt(i);
      const cand = hash[h] as number;
      hash[h] = i;
      if (cand >= 0 && i - cand <= MAX_DISTANCE && read32(cand) === read32(i)) {
        let len = MIN_MATCH;
        while (i + len < end && src[cand + len] === src[i + len]) len++;
        literals.append(src, anchor, i);
        seqs.push({ ll: i - anchor, ml: len, offBase: i - cand + 3 });
        for (let k = i + 1; k < i + len && k + MIN_MATCH <= end; k += 3) hash[hashAt(k)] = k;
        i += len;
        anchor = i;
        misses = 0;
      } else {
        // Skip faster through incompressible stretches (as LZ4 and zstd's fast levels do).
        i += 1 + (misses++ >> 6);
      }
    }
    literals.append(src, anchor, end);
    body.push(...literalsHeader(literals.length));
    body.append(literals.buf, 0, literals.length);
    body.push(...sequenceCount(seqs.length));
    if (seqs.length > 0) {
      body.push(0); // predefined modes for literal lengths, offsets, match lengths
      body.append(encodeSequences(seqs));
    }
    const raw = end - start;
    if (body.length < raw) {
      const header = last | (2 << 1) | (body.length << 3);
      out.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
      out.append(body.buf, 0, body.length);
    } else {
      const header = last | (raw << 3);
      out.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
      out.append(src, start, end);
    }
  }
  return out.bytes();
}
