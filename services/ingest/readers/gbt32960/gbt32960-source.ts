import { SourceError } from '../../errors.js';
import type { QuarantineReason } from '../../schema/vocab.js';
import type { RawBatch, RawSource } from '../raw-source.js';
import { ByteWindow } from '../track/byte-window.js';
import { hexOf, SampleBatch, type RowOrigin } from '../track/sample-batch.js';
import { TrackMerger } from '../track/track-merger.js';
import { sampleColumns } from '../track/track-source.js';

/**
 * GB/T 32960.3-2016, the national EV remote-monitoring protocol: frames `##`, command, response flag, VIN (17),
 * encryption, data length (u16, big-endian), data unit, BCC (XOR of command … data unit).
 */
export const GBT = {
  START: 0x2323,
  HEADER_BYTES: 24,
  /** Command identifiers. */
  CMD: {
    LOGIN: 0x01,
    REALTIME: 0x02,
    RESENT: 0x03,
    LOGOUT: 0x04,
    PLATFORM_LOGIN: 0x05,
    PLATFORM_LOGOUT: 0x06,
    HEARTBEAT: 0x07,
    TIME_SYNC: 0x08,
  },
  /** Response flag of a frame the vehicle sends (a command, not an answer). */
  COMMAND: 0xfe,
  /** Encryption: none. */
  PLAIN: 0x01,
  /** Info type flags of the real-time data unit. */
  INFO: {
    VEHICLE: 0x01,
    MOTOR: 0x02,
    FUEL_CELL: 0x03,
    ENGINE: 0x04,
    LOCATION: 0x05,
    EXTREMES: 0x06,
    ALARM: 0x07,
    RESS_VOLTAGE: 0x08,
    RESS_TEMPERATURE: 0x09,
  },
} as const;

/** Data collection times are Beijing time (GMT+8) by the standard. */
const BEIJING_MS = 8 * 3600_000;

/** BCC: XOR of `bytes[start, end)`. */
export function bcc(bytes: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i] as number;
  return x;
}

/** Length of an info block's content after its type byte, or null when the type is unknown or it overruns. */
function blockLength(type: number, d: Uint8Array, p: number, end: number): number | null {
  const u8 = (i: number) => (i < end ? (d[i] as number) : -1);
  const u16 = (i: number) => (i + 1 < end ? ((d[i] as number) << 8) | (d[i + 1] as number) : -1);
  switch (type) {
    case GBT.INFO.VEHICLE:
      return 20;
    case GBT.INFO.MOTOR: {
      const n = u8(p);
      return n < 0 ? null : 1 + 12 * n;
    }
    case GBT.INFO.FUEL_CELL: {
      const n = u16(p + 6);
      return n < 0 ? null : 18 + n;
    }
    case GBT.INFO.ENGINE:
      return 5;
    case GBT.INFO.LOCATION:
      return 9;
    case GBT.INFO.EXTREMES:
      return 14;
    case GBT.INFO.ALARM: {
      let q = p + 5;
      for (let k = 0; k < 4; k++) {
        const n = u8(q);
        if (n < 0) return null;
        q += 1 + 4 * n;
      }
      return q - p;
    }
    case GBT.INFO.RESS_VOLTAGE: {
      const n = u8(p);
      if (n < 0) return null;
      let q = p + 1;
      for (let k = 0; k < n; k++) {
        const m = u8(q + 9);
        if (m < 0) return null;
        q += 10 + 2 * m;
      }
      return q - p;
    }
    case GBT.INFO.RESS_TEMPERATURE: {
      const n = u8(p);
      if (n < 0) return null;
      let q = p + 1;
      for (let k = 0; k < n; k++) {
        const c = u16(q + 1);
        if (c < 0) return null;
        q += 3 + c;
      }
      return q - p;
    }
    default:
      if (type >= 0x80 && type <= 0xfe) {
        const n = u16(p);
        return n < 0 ? null : 2 + n;
      }
      return null;
  }
}

interface Frame {
  offset: number;
  /** Frame length including `##` and BCC. */
  length: number;
  cmd: number;
  response: number;
  vin: string;
  encryption: number;
  bccOk: boolean;
  /** The whole frame (a copy). */
  bytes: Uint8Array;
}

type Scan =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'garbage'; offset: number; length: number; bytes: Uint8Array }
  | { kind: 'truncated'; offset: number; bytes: Uint8Array }
  | null;

/** Sequential frame scanner over a window: resynchronises on `##` after damage. */
class FrameScanner {
  pos = 0;
  constructor(
    private readonly w: ByteWindow,
    private readonly copy: boolean,
  ) {}

  private plausibleStart(at: number): boolean {
    const h = this.w.view(at, 3);
    return h !== null && h[0] === 0x23 && h[1] === 0x23 && (h[2] as number) >= 0x01 && (h[2] as number) <= 0x08;
  }

  /** The next frame, a run of garbage bytes, a truncated tail, or null at the end. */
  next(): Scan {
    const size = this.w.size;
    const at = this.pos;
    if (at >= size) return null;
    if (!this.plausibleStart(at)) {
      this.pos = this.findStart(at + 1);
      return {
        kind: 'garbage',
        offset: at,
        length: this.pos - at,
        bytes: this.w.viewUpTo(at, Math.min(64, this.pos - at)).slice(),
      };
    }
    const head = this.w.view(at, GBT.HEADER_BYTES);
    if (!head) {
      this.pos = size;
      return { kind: 'truncated', offset: at, bytes: this.w.viewUpTo(at, 64).slice() };
    }
    const dataLen = ((head[22] as number) << 8) | (head[23] as number);
    const length = GBT.HEADER_BYTES + dataLen + 1;
    const whole = this.w.view(at, length);
    if (!whole) {
      // A cut-off last frame, or a damaged length: resynchronise if another frame starts inside.
      const next = this.findStart(at + 2);
      if (next < size) {
        this.pos = next;
        return { kind: 'garbage', offset: at, length: next - at, bytes: head.slice(0, 64) };
      }
      this.pos = size;
      return { kind: 'truncated', offset: at, bytes: this.w.viewUpTo(at, 64).slice() };
    }
    const bccOk = bcc(whole, 2, length - 1) === whole[length - 1];
    this.pos = at + length;
    if (!bccOk && this.pos < size && !this.plausibleStart(this.pos)) this.pos = this.findStart(at + 2);
    return {
      kind: 'frame',
      frame: {
        offset: at,
        length,
        cmd: head[2] as number,
        response: head[3] as number,
        vin: head.toString('latin1', 4, 21).replace(/\0+$/u, '').trim(),
        encryption: head[21] as number,
        bccOk,
        bytes: this.copy ? whole.slice() : whole,
      },
    };
  }

  private findStart(from: number): number {
    let p = from;
    while (p < this.w.size && !this.plausibleStart(p)) p++;
    return p;
  }
}

/** Collection time of a data unit (Beijing time) → epoch µs, or NaN. */
function collectionTimeUs(d: Uint8Array, p: number): number {
  const [y, mo, da, h, mi, s] = [d[p], d[p + 1], d[p + 2], d[p + 3], d[p + 4], d[p + 5]] as number[];
  if (y === undefined || s === undefined || mo === undefined || da === undefined || h === undefined || mi === undefined)
    return NaN;
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 59) return NaN;
  const ms = Date.UTC(2000 + y, mo - 1, da, h, mi, s);
  if (new Date(ms).getUTCDate() !== da) return NaN;
  return (ms - BEIJING_MS) * 1000;
}

interface Reading {
  tsUs: number;
  lat: number;
  lon: number;
  speed: number;
  odometerKm: number;
  problem: [QuarantineReason, string] | null;
}

/** Parses a real-time/re-sent data unit: time, vehicle block (speed, mileage), location block. */
export function readRealtime(bytes: Uint8Array): Reading {
  const r: Reading = { tsUs: NaN, lat: NaN, lon: NaN, speed: NaN, odometerKm: NaN, problem: null };
  const start = GBT.HEADER_BYTES;
  const end = bytes.length - 1;
  if (end - start < 6) {
    r.problem = ['malformed_row', 'data unit shorter than its collection time'];
    return r;
  }
  r.tsUs = collectionTimeUs(bytes, start);
  if (Number.isNaN(r.tsUs)) {
    r.problem = [
      'bad_timestamp',
      `collection time ${Array.from(bytes.subarray(start, start + 6)).join('-')} is not a date`,
    ];
    return r;
  }
  let p = start + 6;
  let located = false;
  while (p < end) {
    const type = bytes[p] as number;
    const len = blockLength(type, bytes, p + 1, end);
    if (len === null || p + 1 + len > end) {
      if (!located)
        r.problem = [
          'malformed_row',
          `info block 0x${type.toString(16).padStart(2, '0')} at data byte ${p - start} is unknown or overruns the data unit`,
        ];
      return r;
    }
    const b = p + 1;
    if (type === GBT.INFO.VEHICLE) {
      const speed = ((bytes[b + 3] as number) << 8) | (bytes[b + 4] as number);
      if (speed < 0xfffe) r.speed = speed / 36; // 0.1 km/h → m/s
      const mileage =
        (((bytes[b + 5] as number) << 24) >>> 0) +
        ((bytes[b + 6] as number) << 16) +
        ((bytes[b + 7] as number) << 8) +
        (bytes[b + 8] as number);
      if (mileage < 0xfffffffe) r.odometerKm = mileage / 10;
    } else if (type === GBT.INFO.LOCATION) {
      located = true;
      const status = bytes[b] as number;
      const lon =
        ((((bytes[b + 1] as number) << 24) >>> 0) +
          ((bytes[b + 2] as number) << 16) +
          ((bytes[b + 3] as number) << 8) +
          (bytes[b + 4] as number)) /
        1e6;
      const lat =
        ((((bytes[b + 5] as number) << 24) >>> 0) +
          ((bytes[b + 6] as number) << 16) +
          ((bytes[b + 7] as number) << 8) +
          (bytes[b + 8] as number)) /
        1e6;
      if (status & 0x01) {
        r.problem = ['missing_field', 'location block says the position is not valid (no GNSS fix)'];
      } else {
        r.lat = status & 0x02 ? -lat : lat;
        r.lon = status & 0x04 ? -lon : lon;
      }
    }
    p = b + len;
  }
  if (!located && !r.problem) r.problem = ['missing_field', 'frame has no location block (0x05)'];
  return r;
}

/**
 * GB/T 32960 binary logs (frames as a platform stores them, any number of vehicles): real-time (0x02) and
 * re-sent (0x03) frames become samples of their VIN with speed, position and odometer. Re-sent frames carry data
 * buffered while the vehicle was offline, so they arrive late: a first pass indexes them by collection time
 * (16 bytes each) and they are merged into the real-time stream in time order. Each frame's BCC is checked; a
 * bad BCC, an encrypted or malformed data unit, an invalid position, garbage between frames and a frame cut off
 * at the end become quarantined rows with their byte offset. Login, logout, heartbeat and time frames carry no
 * samples and are skipped. Times are Beijing time (GMT+8), as the standard fixes.
 */
export class Gbt32960Source implements RawSource {
  readonly format = 'gbt32960' as const;
  readonly encoding = null;
  readonly columns = sampleColumns({ vehicle: true, company: false });
  readonly timestampScale = new Map<number, number>();
  private readonly window: ByteWindow;
  private readonly resentWindow: ByteWindow;
  private readonly scanner: FrameScanner;
  private readonly mergers = new Map<string, TrackMerger>();
  /** Re-sent frames by collection time: offsets and lengths, in time order. */
  private readonly resent: { offset: number; length: number; tsUs: number }[] = [];
  private resentCursor = 0;
  private index = 0;
  private ended = false;

  constructor(path: string, file: string) {
    this.window = new ByteWindow(path);
    const head = this.window.viewUpTo(0, 3);
    if (head.length < 3 || head[0] !== 0x23 || head[1] !== 0x23 || (head[2] as number) < 1 || (head[2] as number) > 8) {
      this.window.close();
      throw new SourceError(
        file,
        { byteOffset: 0 },
        'does not start with a GB/T 32960 frame (`##` and a command 0x01–0x08)',
      );
    }
    this.scanner = new FrameScanner(this.window, false);
    this.resentWindow = new ByteWindow(path);
    this.indexResent(path);
  }

  private indexResent(path: string): void {
    const w = new ByteWindow(path);
    try {
      const scan = new FrameScanner(w, false);
      for (let s = scan.next(); s !== null; s = scan.next()) {
        if (s.kind !== 'frame' || s.frame.cmd !== GBT.CMD.RESENT || s.frame.response !== GBT.COMMAND) continue;
        const t = s.frame.encryption === GBT.PLAIN ? collectionTimeUs(s.frame.bytes, GBT.HEADER_BYTES) : NaN;
        this.resent.push({ offset: s.frame.offset, length: s.frame.length, tsUs: Number.isNaN(t) ? -Infinity : t });
      }
    } finally {
      w.close();
    }
    this.resent.sort((a, b) => a.tsUs - b.tsUs || a.offset - b.offset);
  }

  private merger(vin: string): TrackMerger {
    let m = this.mergers.get(vin);
    if (!m) {
      m = new TrackMerger();
      m.setIdentity({ vehicle: vin });
      this.mergers.set(vin, m);
    }
    return m;
  }

  private drain(batch: SampleBatch, end: boolean): void {
    for (const m of this.mergers.values()) {
      if (batch.full) return;
      m.drain(batch, end);
    }
  }

  next(): RawBatch | null {
    const batch = new SampleBatch();
    this.drain(batch, this.ended);
    while (!batch.full && !this.ended) {
      const s = this.scanner.next();
      if (s === null) {
        this.ended = true;
        while (this.resentCursor < this.resent.length) this.emitResent();
        this.drain(batch, true);
        break;
      }
      this.handle(s);
      this.drain(batch, false);
    }
    return batch.count ? batch : null;
  }

  private handle(s: NonNullable<Scan>): void {
    if (s.kind === 'garbage') {
      this.defectRow(
        'malformed_row',
        `${s.length} bytes at ${s.offset} are not a GB/T 32960 frame (damaged frame or garbage); skipped to the next \`##\``,
        s.offset,
        s.bytes,
      );
      return;
    }
    if (s.kind === 'truncated') {
      this.defectRow('truncated_row', `file ends inside the frame at byte ${s.offset}: cut off`, s.offset, s.bytes);
      return;
    }
    const f = s.frame;
    if (f.response !== GBT.COMMAND) return; // platform answers
    if (f.cmd === GBT.CMD.RESENT) return; // merged in by time
    if (f.cmd !== GBT.CMD.REALTIME) return; // login, logout, heartbeat, time: no samples
    const t = f.encryption === GBT.PLAIN && f.bccOk ? collectionTimeUs(f.bytes, GBT.HEADER_BYTES) : NaN;
    if (!Number.isNaN(t))
      while (this.resentCursor < this.resent.length && (this.resent[this.resentCursor] as { tsUs: number }).tsUs <= t)
        this.emitResent();
    this.frame(f);
  }

  private emitResent(): void {
    const r = this.resent[this.resentCursor++] as { offset: number; length: number };
    const bytes = this.resentWindow.view(r.offset, r.length);
    if (!bytes) return;
    const h = bytes;
    this.frame({
      offset: r.offset,
      length: r.length,
      cmd: GBT.CMD.RESENT,
      response: GBT.COMMAND,
      vin: Buffer.from(h.buffer, h.byteOffset + 4, 17)
        .toString('latin1')
        .replace(/\0+$/u, '')
        .trim(),
      encryption: h[21] as number,
      bccOk: bcc(h, 2, r.length - 1) === h[r.length - 1],
      bytes,
    });
  }

  private frame(f: Frame): void {
    const origin: RowOrigin = {
      byteOffset: f.offset,
      record: this.index++,
      raw: null,
      from: f.cmd === GBT.CMD.RESENT ? 're-sent 0x03' : 'real-time 0x02',
    };
    const merger = this.merger(f.vin);
    const reject = (reason: QuarantineReason, detail: string) => {
      origin.raw = hexOf(f.bytes);
      merger.addDefect(reason, detail, origin);
    };
    if (!f.bccOk) {
      const want = bcc(f.bytes, 2, f.length - 1);
      return reject(
        'bad_checksum',
        `BCC 0x${(f.bytes[f.length - 1] as number).toString(16).padStart(2, '0')} does not match the frame (computed 0x${want.toString(16).padStart(2, '0')})`,
      );
    }
    if (f.encryption !== GBT.PLAIN)
      return reject(
        'undecodable_message',
        `data unit is encrypted (method 0x${f.encryption.toString(16).padStart(2, '0')}); avlog reads unencrypted frames only`,
      );
    const r = readRealtime(f.bytes);
    if (r.problem) return reject(r.problem[0], r.problem[1]);
    merger.addFix(
      { tsUs: r.tsUs, logUs: r.tsUs, lat: r.lat, lon: r.lon, speed: r.speed, heading: NaN, odometerKm: r.odometerKm },
      origin,
    );
  }

  private defectRow(reason: QuarantineReason, detail: string, offset: number, bytes: Uint8Array): void {
    const m = this.merger(this.mergers.keys().next().value ?? '');
    m.addDefect(reason, detail, { byteOffset: offset, record: this.index++, raw: hexOf(bytes), from: null });
  }

  bytesRead(): number {
    return this.scanner.pos;
  }

  get bytesTotal(): number {
    return this.window.size;
  }

  close(): void {
    this.window.close();
    this.resentWindow.close();
  }
}
