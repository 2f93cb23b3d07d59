import fs from 'node:fs';

/** Bytes read from the file at a time when the window must grow forward. */
const READ_AHEAD = 4 << 20;

/**
 * A sliding window on a binary file, read with synchronous calls: `view(offset, length)` returns the bytes at
 * `offset` (reading and compacting as needed). Memory stays at the largest record asked for plus the read-ahead.
 * A view is valid until the next call; callers copy what they keep.
 */
export class ByteWindow {
  readonly size: number;
  private readonly fd: number;
  private buf: Buffer = Buffer.alloc(0);
  /** File offset of buf[0]. */
  private start = 0;
  /** Valid bytes in buf. */
  private length = 0;
  private furthest = 0;

  constructor(path: string) {
    this.fd = fs.openSync(path, 'r');
    this.size = fs.fstatSync(this.fd).size;
  }

  /** The bytes [offset, offset + length), or null when the file ends before offset + length. */
  view(offset: number, length: number): Buffer | null {
    if (offset < 0 || length < 0 || offset + length > this.size) return null;
    if (offset < this.start || offset + length > this.start + this.length) this.fill(offset, length);
    if (offset + length > this.furthest) this.furthest = offset + length;
    const at = offset - this.start;
    return this.buf.subarray(at, at + length);
  }

  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  viewUpTo(offset: number, length: number): Buffer {
    const n = Math.max(0, Math.min(length, this.size - offset));
    return this.view(offset, n) ?? Buffer.alloc(0);
  }

  /** Reads bytes from offset on: keeps what is already loaded past `offset`, reads the rest. */
  private fill(offset: number, length: number): void {
    const want = Math.min(this.size - offset, Math.max(length, READ_AHEAD));
    const keepFrom = offset >= this.start && offset < this.start + this.length ? offset : -1;
    const kept = keepFrom < 0 ? 0 : this.start + this.length - keepFrom;
    if (want > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(want, Math.min(this.buf.length * 2, want + READ_AHEAD)));
      if (kept) this.buf.copy(grown, 0, keepFrom - this.start, this.length);
      this.buf = grown;
    } else if (kept) {
      this.buf.copy(this.buf, 0, keepFrom - this.start, this.length);
    }
    let filled = kept;
    while (filled < want) {
      const n = fs.readSync(this.fd, this.buf, filled, want - filled, offset + filled);
      if (n === 0) break;
      filled += n;
    }
    this.start = offset;
    this.length = filled;
  }

  /** The furthest byte handed out so far (progress). */
  get bytesRead(): number {
    return this.furthest;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
