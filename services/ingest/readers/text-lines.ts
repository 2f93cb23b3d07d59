import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';
import type { Encoding } from '../schema/vocab.js';
import { detectEncoding } from './encoding.js';
import type { FileChunks } from './file-chunks.js';

/** A run of complete lines decoded from one chunk of the file. */
export interface LineBlock {
  readonly lines: readonly string[];
  /** 1-based number of `lines[0]`. */
  readonly firstLine: number;
  /** True when the file's last line has no newline: it may have been cut off. */
  readonly lastLineUnterminated: boolean;
  /** Byte offset in the file of `lines[i]` (computed on first use from the raw bytes). */
  byteOffset(i: number): number;
}

const NEWLINE = 0x0a;
/** No log line is this long; a file without newlines this far in is not a text log. */
const MAX_LINE_BYTES = 16 << 20;

export class LineTooLong extends Error {
  readonly byteOffset: number;
  constructor(byteOffset: number) {
    super(`no line break within ${MAX_LINE_BYTES >> 20} MiB: not a line-oriented text file`);
    this.byteOffset = byteOffset;
  }
}

/**
 * Splits a text file into lines in any of the supported encodings. Chunks are cut at the last newline byte:
 * 0x0A never occurs inside a multi-byte character in UTF-8, GBK or cp1252, so each cut decodes on its own.
 */
export class TextLines {
  readonly encoding: Encoding;
  private readonly decoder: TextDecoder;
  private carry: Buffer | null = null;
  private carryOffset: number;
  private nextLine = 1;
  private done = false;
  private readonly chunks: FileChunks;

  constructor(chunks: FileChunks, declared: Encoding | null) {
    this.chunks = chunks;
    const head = chunks.peek(0, 64 << 10);
    const detected = detectEncoding(head);
    this.encoding = declared ?? detected.encoding;
    const bom = this.encoding === 'utf-8' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    this.decoder = new TextDecoder(this.encoding);
    this.carryOffset = 0;
    if (bom) {
      const first = chunks.next();
      if (first) {
        this.carry = first.subarray(bom);
        this.carryOffset = bom;
      }
    }
  }

  next(): LineBlock | null {
    if (this.done) return null;
    for (;;) {
      const chunk = this.chunks.next();
      const bytes = chunk === null ? this.carry : this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
      const start = this.carryOffset;
      if (chunk === null) {
        this.done = true;
        this.carry = null;
        if (!bytes || bytes.length === 0) return null;
        return this.block(bytes, start, bytes[bytes.length - 1] !== NEWLINE);
      }
      if (!bytes) continue;
      const cut = bytes.lastIndexOf(NEWLINE);
      if (cut < 0) {
        if (bytes.length > MAX_LINE_BYTES) throw new LineTooLong(start);
        this.carry = bytes;
        continue;
      }
      this.carry = cut + 1 < bytes.length ? bytes.subarray(cut + 1) : null;
      this.carryOffset = start + cut + 1;
      return this.block(bytes.subarray(0, cut + 1), start, false);
    }
  }

  /** Node's TextDecoder treats windows-1252 as Latin-1 (0x80–0x9F become controls); iconv-lite maps them right. */
  private decode(bytes: Buffer): string {
    return this.encoding === 'windows-1252' ? iconv.decode(bytes, 'win1252') : this.decoder.decode(bytes);
  }

  private block(bytes: Buffer, start: number, unterminated: boolean): LineBlock {
    // Pure-ASCII chunks (most logs) decode ten times faster as ASCII, and mean the same in every encoding here.
    const text = isAscii(bytes)
      ? bytes.toString('ascii')
      : this.encoding === 'utf-8'
        ? bytes.toString('utf8')
        : this.decode(bytes);
    const lines = text.split('\n');
    if (!unterminated) lines.pop();
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] as string;
      if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
    }
    const firstLine = this.nextLine;
    this.nextLine += lines.length;
    let offsets: number[] | null = null;
    return {
      lines,
      firstLine,
      lastLineUnterminated: unterminated,
      byteOffset(i: number): number {
        if (!offsets) {
          offsets = [start];
          let p = bytes.indexOf(NEWLINE);
          while (p >= 0) {
            offsets.push(start + p + 1);
            p = bytes.indexOf(NEWLINE, p + 1);
          }
        }
        return offsets[i] ?? start;
      },
    };
  }
}
