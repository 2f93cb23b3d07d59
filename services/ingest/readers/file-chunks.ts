import fs from 'node:fs';

/** Reads a file front to back in fixed-size chunks with synchronous calls; memory stays at one chunk. */
export class FileChunks {
  readonly size: number;
  private readonly fd: number;
  private position = 0;
  private readonly chunkSize: number;

  constructor(path: string, chunkSize = 4 << 20) {
    this.fd = fs.openSync(path, 'r');
    this.size = fs.fstatSync(this.fd).size;
    this.chunkSize = chunkSize;
  }

  /** The next chunk, or null at end of file. The returned buffer is fresh (callers may keep it). */
  next(): Buffer | null {
    if (this.position >= this.size) return null;
    const buf = Buffer.allocUnsafe(Math.min(this.chunkSize, this.size - this.position));
    let filled = 0;
    while (filled < buf.length) {
      const n = fs.readSync(this.fd, buf, filled, buf.length - filled, this.position + filled);
      if (n === 0) break;
      filled += n;
    }
    this.position += filled;
    return filled === buf.length ? buf : buf.subarray(0, filled);
  }

  /** Reads `length` bytes at `offset` without moving the stream position. */
  peek(offset: number, length: number): Buffer {
    const buf = Buffer.alloc(Math.max(0, Math.min(length, this.size - offset)));
    if (buf.length) fs.readSync(this.fd, buf, 0, buf.length, offset);
    return buf;
  }

  get bytesRead(): number {
    return this.position;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
