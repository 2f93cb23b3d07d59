import { closeSync, openSync, writeSync } from 'node:fs';

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const DAY_MS = 86_400_000;
/** Beijing time, the zone regulators count days in; no daylight saving. */
export const UTC_OFFSET_MS = 8 * 3_600_000;

/**
 * A file written through one large buffer with number and time formatting straight into bytes: generating
 * millions of rows a second leaves no room for `toFixed` or `toISOString` per value.
 */
export class ByteSink {
  private readonly fd: number;
  private readonly buf: Buffer;
  private pos = 0;
  private cachedDay = Number.NaN;
  private dayBytes: Uint8Array = new Uint8Array(0);
  private readonly digits = new Uint8Array(24);

  constructor(file: string, bufferBytes = 1 << 20) {
    this.fd = openSync(file, 'w');
    this.buf = Buffer.allocUnsafe(bufferBytes);
  }

  /** Flushes when fewer than `n` bytes are free; rows call this once with their maximum size. */
  reserve(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  bytes(b: Uint8Array): void {
    if (b.length > 32) {
      this.reserve(b.length);
      this.buf.set(b, this.pos);
      this.pos += b.length;
      return;
    }
    for (let i = 0; i < b.length; i++) this.buf[this.pos++] = b[i] ?? 0;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** Writes an integer ≥ 0. */
  uint(n: number): void {
    if (n < 10) {
      this.buf[this.pos++] = 48 + n;
      return;
    }
    let len = 0;
    while (n > 0) {
      const q = Math.floor(n / 10);
      this.digits[len++] = 48 + (n - q * 10);
      n = q;
    }
    while (len > 0) this.buf[this.pos++] = this.digits[--len] ?? 48;
  }

  /** Writes `x` with exactly `decimals` decimals (half away from zero), never `-0`. */
  fixed(x: number, decimals: number): void {
    const scale = POW10[decimals] ?? 1;
    const m = Math.round(Math.abs(x) * scale);
    if (x < 0 && m !== 0) this.buf[this.pos++] = 45;
    const whole = Math.floor(m / scale);
    this.uint(whole);
    if (decimals === 0) return;
    this.buf[this.pos++] = 46;
    let frac = m - whole * scale;
    for (let d = decimals - 1; d >= 0; d--) {
      const q = Math.floor(frac / 10);
      this.buf[this.pos + d] = 48 + (frac - q * 10);
      frac = q;
    }
    this.pos += decimals;
  }

  private pad(n: number, width: number): void {
    for (let d = width - 1; d >= 0; d--) {
      const q = Math.floor(n / 10);
      this.buf[this.pos + d] = 48 + (n - q * 10);
      n = q;
    }
    this.pos += width;
  }

  /** `YYYY-MM-DD` + `sep` + `HH:MM:SS.sss` of `ms` (epoch ms, already shifted to the zone wanted). */
  private dateTime(ms: number, sep: number): void {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.cachedDay) {
      this.cachedDay = day;
      this.dayBytes = Buffer.from(new Date(day * DAY_MS).toISOString().slice(0, 10), 'latin1');
    }
    this.bytes(this.dayBytes);
    this.buf[this.pos++] = sep;
    let rem = ms - day * DAY_MS;
    const h = Math.floor(rem / 3_600_000);
    rem -= h * 3_600_000;
    const m = Math.floor(rem / 60_000);
    rem -= m * 60_000;
    const s = Math.floor(rem / 1000);
    this.pad(h, 2);
    this.buf[this.pos++] = 58;
    this.pad(m, 2);
    this.buf[this.pos++] = 58;
    this.pad(s, 2);
    this.buf[this.pos++] = 46;
    this.pad(rem - s * 1000, 3);
  }

  /** ISO-8601 UTC with milliseconds: `2026-09-01T01:02:03.400Z`. */
  isoUtc(ms: number): void {
    this.dateTime(ms, 84);
    this.buf[this.pos++] = 90;
  }

  /** Beijing local time without zone: `2026-09-01 09:02:03.400`. */
  beijing(ms: number): void {
    this.dateTime(ms + UTC_OFFSET_MS, 32);
  }
}

export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Local (Beijing) calendar date of an instant, `YYYY-MM-DD`. */
export function localDate(ms: number): string {
  return new Date(ms + UTC_OFFSET_MS).toISOString().slice(0, 10);
}
