/**
 * A small bzip2 compressor in plain TypeScript, for writing ROS bag fixtures with bz2 chunks (what
 * `rosbag record --bz2` writes). Run-length, Burrows–Wheeler (cyclic suffix sort by prefix doubling),
 * move-to-front, zero-run and Huffman stages as bzip2 1.0 defines them; one Huffman table (stored twice: the
 * format wants at least two). Output decodes with any bzip2 decoder.
 */

/** Input bytes per block: run-length coding can grow a block by 5/4, and a level-9 block holds 899,981. */
const BLOCK_INPUT = 200_000;
const MAX_CODE_LENGTH = 17;
const GROUP_SIZE = 50;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function blockCrc(data: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++)
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ (data[i] as number)) & 0xff] as number)) >>> 0;
  return ~crc >>> 0;
}

class BitWriter {
  buf = new Uint8Array(1 << 16);
  length = 0;
  private acc = 0;
  private bits = 0;
  /** Writes the low `n` bits of `v`, most significant first (n ≤ 24). */
  put(n: number, v: number): void {
    this.acc = (this.acc << n) | (v & ((1 << n) - 1));
    this.bits += n;
    while (this.bits >= 8) {
      this.bits -= 8;
      this.byte((this.acc >>> this.bits) & 0xff);
    }
    this.acc &= (1 << this.bits) - 1;
  }
  put32(v: number): void {
    this.put(16, v >>> 16);
    this.put(16, v & 0xffff);
  }
  private byte(b: number): void {
    if (this.length === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.length++] = b;
  }
  finish(): Uint8Array {
    if (this.bits > 0) this.put(8 - this.bits, 0);
    return this.buf.slice(0, this.length);
  }
}

/** bzip2's first stage: runs of 4–255 equal bytes become 4 bytes and a count. */
function runLength(src: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(((end - start) * 5) / 4) + 8);
  let o = 0;
  let i = start;
  while (i < end) {
    const b = src[i] as number;
    let run = 1;
    while (i + run < end && run < 255 && src[i + run] === b) run++;
    if (run >= 4) {
      out[o++] = b;
      out[o++] = b;
      out[o++] = b;
      out[o++] = b;
      out[o++] = run - 4;
    } else {
      for (let k = 0; k < run; k++) out[o++] = b;
    }
    i += run;
  }
  return out.subarray(0, o);
}

/** Sorted cyclic rotations of `t` (prefix doubling with radix sorts): the suffix array of the rotations. */
function sortRotations(t: Uint8Array): Int32Array {
  const n = t.length;
  const sa = new Int32Array(n);
  let rank = new Int32Array(n);
  let tmp = new Int32Array(n);
  const count = new Int32Array(Math.max(256, n) + 1);
  const bump = (a: Int32Array, i: number) => (a[i] = (a[i] as number) + 1) - 1;
  for (let i = 0; i < n; i++) bump(count, (t[i] as number) + 1);
  for (let i = 1; i <= 256; i++) count[i] = (count[i] as number) + (count[i - 1] as number);
  for (let i = 0; i < n; i++) sa[bump(count, t[i] as number)] = i;
  rank[sa[0] as number] = 0;
  let classes = 1;
  for (let i = 1; i < n; i++) {
    if (t[sa[i] as number] !== t[sa[i - 1] as number]) classes++;
    rank[sa[i] as number] = classes - 1;
  }
  for (let k = 1; k < n && classes < n; k *= 2) {
    // Order by the second half (rank at i + k): shift the current order back by k.
    for (let i = 0; i < n; i++) {
      let p = (sa[i] as number) - k;
      if (p < 0) p += n;
      tmp[i] = p;
    }
    count.fill(0, 0, classes + 1);
    for (let i = 0; i < n; i++) bump(count, (rank[tmp[i] as number] as number) + 1);
    for (let i = 1; i <= classes; i++) count[i] = (count[i] as number) + (count[i - 1] as number);
    for (let i = 0; i < n; i++) {
      const p = tmp[i] as number;
      sa[bump(count, rank[p] as number)] = p;
    }
    const next = tmp;
    next[sa[0] as number] = 0;
    classes = 1;
    for (let i = 1; i < n; i++) {
      const a = sa[i] as number;
      const b = sa[i - 1] as number;
      let a2 = a + k;
      if (a2 >= n) a2 -= n;
      let b2 = b + k;
      if (b2 >= n) b2 -= n;
      if (rank[a] !== rank[b] || rank[a2] !== rank[b2]) classes++;
      next[a] = classes - 1;
    }
    tmp = rank;
    rank = next;
  }
  return sa;
}

/** Huffman code lengths (≤ MAX_CODE_LENGTH) for the frequencies, every symbol given a code. */
function codeLengths(freq: Int32Array): Uint8Array {
  const n = freq.length;
  const weight = Array.from(freq, (f) => Math.max(1, f));
  for (;;) {
    // Build the tree with a simple sorted list (alphabets are at most 258 symbols).
    type Node = { w: number; depth: number; leaves: number[] };
    let nodes: Node[] = weight.map((w, i) => ({ w, depth: 0, leaves: [i] }));
    const lengths = new Uint8Array(n);
    while (nodes.length > 1) {
      nodes.sort((a, b) => a.w - b.w || a.depth - b.depth);
      const a = nodes[0] as Node;
      const b = nodes[1] as Node;
      for (const l of a.leaves) lengths[l] = (lengths[l] as number) + 1;
      for (const l of b.leaves) lengths[l] = (lengths[l] as number) + 1;
      nodes = [
        { w: a.w + b.w, depth: Math.max(a.depth, b.depth) + 1, leaves: a.leaves.concat(b.leaves) },
        ...nodes.slice(2),
      ];
    }
    if (n === 1) lengths[0] = 1;
    if (Math.max(...lengths) <= MAX_CODE_LENGTH) return lengths;
    for (let i = 0; i < n; i++) weight[i] = 1 + ((weight[i] as number) >> 1);
  }
}

function writeBlock(w: BitWriter, src: Uint8Array, start: number, end: number): number {
  const crc = blockCrc(src, start, end);
  const block = runLength(src, start, end);
  const n = block.length;
  const sa = sortRotations(block);
  let origPtr = 0;
  const inUse = new Uint8Array(256);
  for (let i = 0; i < n; i++) inUse[block[i] as number] = 1;
  const unseqToSeq = new Int32Array(256);
  let nInUse = 0;
  for (let i = 0; i < 256; i++) if (inUse[i]) unseqToSeq[i] = nInUse++;
  // Move-to-front with zero runs as RUNA/RUNB; EOB = nInUse + 1.
  const eob = nInUse + 1;
  const alphaSize = nInUse + 2;
  const mtf = new Int32Array(nInUse);
  for (let i = 0; i < nInUse; i++) mtf[i] = i;
  const symbols: number[] = [];
  const freq = new Int32Array(alphaSize);
  let zeros = 0;
  const flushZeros = () => {
    if (zeros === 0) return;
    let z = zeros - 1;
    for (;;) {
      const s = z & 1 ? 1 : 0;
      symbols.push(s);
      freq[s] = (freq[s] as number) + 1;
      if (z < 2) break;
      z = (z - 2) >> 1;
    }
    zeros = 0;
  };
  for (let i = 0; i < n; i++) {
    const s = sa[i] as number;
    if (s === 0) origPtr = i;
    const c = unseqToSeq[block[s === 0 ? n - 1 : s - 1] as number] as number;
    let j = 0;
    while (mtf[j] !== c) j++;
    if (j === 0) {
      zeros++;
      continue;
    }
    flushZeros();
    for (let k = j; k > 0; k--) mtf[k] = mtf[k - 1] as number;
    mtf[0] = c;
    symbols.push(j + 1);
    freq[j + 1] = (freq[j + 1] as number) + 1;
  }
  flushZeros();
  symbols.push(eob);
  freq[eob] = (freq[eob] as number) + 1;
  const lengths = codeLengths(freq);
  const codes = new Int32Array(alphaSize);
  let code = 0;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    for (let s = 0; s < alphaSize; s++) if (lengths[s] === len) codes[s] = code++;
    code <<= 1;
  }
  // Block header.
  w.put(24, 0x314159);
  w.put(24, 0x265359);
  w.put32(crc);
  w.put(1, 0);
  w.put(24, origPtr);
  let ranges = 0;
  for (let r = 0; r < 16; r++) {
    for (let k = 0; k < 16; k++) if (inUse[r * 16 + k]) ranges |= 1 << (15 - r);
  }
  w.put(16, ranges);
  for (let r = 0; r < 16; r++) {
    if (!(ranges & (1 << (15 - r)))) continue;
    let bits = 0;
    for (let k = 0; k < 16; k++) if (inUse[r * 16 + k]) bits |= 1 << (15 - k);
    w.put(16, bits);
  }
  const nGroups = 2;
  const nSelectors = Math.ceil(symbols.length / GROUP_SIZE);
  w.put(3, nGroups);
  w.put(15, nSelectors);
  for (let i = 0; i < nSelectors; i++) w.put(1, 0); // every group uses table 0 (MTF index 0)
  for (let g = 0; g < nGroups; g++) {
    let curr = lengths[0] as number;
    w.put(5, curr);
    for (let s = 0; s < alphaSize; s++) {
      const len = lengths[s] as number;
      while (curr < len) {
        w.put(2, 2);
        curr++;
      }
      while (curr > len) {
        w.put(2, 3);
        curr--;
      }
      w.put(1, 0);
    }
  }
  for (const s of symbols) w.put(lengths[s] as number, codes[s] as number);
  return crc;
}

/** Compresses `src` into one bzip2 stream (block size 900k). */
export function bzip2Compress(src: Uint8Array): Uint8Array {
  const w = new BitWriter();
  w.put(24, 0x425a68); // "BZh"
  w.put(8, 0x39); // '9'
  let combined = 0;
  for (let start = 0; start < src.length; start += BLOCK_INPUT) {
    const crc = writeBlock(w, src, start, Math.min(src.length, start + BLOCK_INPUT));
    combined = (((combined << 1) | (combined >>> 31)) ^ crc) >>> 0;
  }
  w.put(24, 0x177245);
  w.put(24, 0x385090);
  w.put32(combined);
  return w.finish();
}
