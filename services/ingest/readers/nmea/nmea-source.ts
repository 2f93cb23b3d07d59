import { SourceError } from '../../errors.js';
import type { QuarantineReason } from '../../schema/vocab.js';
import { FileChunks } from '../file-chunks.js';
import type { RawBatch, RawSource } from '../raw-source.js';
import { LineTooLong, TextLines, type LineBlock } from '../text-lines.js';
import { SampleBatch, type RowOrigin } from '../track/sample-batch.js';
import { sampleColumns } from '../track/track-source.js';
import { TrackMerger } from '../track/track-merger.js';

const KNOT = 1852 / 3600;
/** A sentence: `$` + talker (2) + type (3), fields, `*` + two hex digits. Talkers: GP GN GL GA GB BD GQ GI … */
const SENTENCE = /^[$!]([A-Z]{2})([A-Z]{3}),/u;
/** Epochs held back waiting for a date (RMC or ZDA) before the first one arrives. */
const MAX_UNDATED = 4096;

/** True when a line looks like an NMEA 0183 sentence (for sniffing). */
export function isNmeaLine(line: string): boolean {
  return SENTENCE.test(line.trim());
}

/** XOR of the characters between `$` and `*`. */
export function nmeaChecksum(body: string): number {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x;
}

interface Epoch {
  /** Time of day, ms since midnight UTC. */
  todMs: number;
  /** Epoch ms of the day (UTC midnight), NaN until known. */
  dayMs: number;
  lat: number;
  lon: number;
  speed: number;
  course: number;
  origin: RowOrigin;
  sentences: string[];
  /** Set when the receiver said it had no fix in this epoch. */
  noFix: string | null;
}

function hhmmss(field: string): number {
  const m = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/u.exec(field);
  if (!m) return NaN;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3]);
  return h < 24 && mi < 60 && s < 61 ? Math.round(((h * 60 + mi) * 60 + s) * 1000) : NaN;
}

/** `ddmm.mmmm` / `dddmm.mmmm` with hemisphere → degrees, NaN when blank or malformed. */
function coordinate(value: string, hemisphere: string, degDigits: number): number {
  if (!/^\d+(\.\d+)?$/u.test(value) || value.indexOf('.') === 0) return NaN;
  const dot = value.indexOf('.');
  const intLen = dot < 0 ? value.length : dot;
  if (intLen !== degDigits + 2) return NaN;
  const deg = Number(value.slice(0, degDigits));
  const min = Number(value.slice(degDigits));
  if (min >= 60) return NaN;
  const v = deg + min / 60;
  if (hemisphere === 'S' || hemisphere === 'W') return -v;
  if (hemisphere === 'N' || hemisphere === 'E') return v;
  return NaN;
}

function ddmmyy(field: string): number {
  const m = /^(\d{2})(\d{2})(\d{2})$/u.exec(field);
  if (!m) return NaN;
  const yy = Number(m[3]);
  // Two-digit years: 80–99 are 1980s–1990s (GPS started in 1980), the rest 2000s.
  return Date.UTC(yy >= 80 ? 1900 + yy : 2000 + yy, Number(m[2]) - 1, Number(m[1]));
}

function num(field: string | undefined): number {
  return field === undefined || field.trim() === '' ? NaN : Number(field);
}

/**
 * NMEA 0183 logs from GNSS receivers: RMC (position, speed, course, date), GGA (position, fix quality), VTG
 * (course and speed), GLL and ZDA (date). Sentences sharing a time of day form one epoch and one sample: RMC's
 * position first, else GGA's, else GLL's; speed and course from RMC, else VTG. Checksums are verified (a
 * sentence without one is accepted); a bad checksum, a malformed sentence or an epoch without a fix become
 * quarantined rows with their line and byte offset. Talkers GP, GN, GL, GA, GB, BD, GQ, GI all count.
 * Times are UTC; a log needs an RMC or ZDA sentence for the date.
 */
export class NmeaSource implements RawSource {
  readonly format = 'nmea' as const;
  readonly encoding = 'utf-8';
  readonly columns = sampleColumns({ vehicle: false, company: false });
  readonly timestampScale = new Map<number, number>();
  private readonly chunks: FileChunks;
  private readonly lines: TextLines;
  private readonly merger = new TrackMerger();
  private block: LineBlock | null = null;
  private cursor = 0;
  private epoch: Epoch | null = null;
  private dayMs = NaN;
  private lastTod = -1;
  private undated: Epoch[] = [];
  private ended = false;
  private readonly file: string;

  constructor(path: string, file: string) {
    this.file = file;
    this.chunks = new FileChunks(path);
    this.lines = new TextLines(this.chunks, 'utf-8');
    const head = this.chunks.peek(0, 4096).toString('latin1');
    if (!head.split('\n').some((l) => isNmeaLine(l))) {
      this.chunks.close();
      throw new SourceError(
        file,
        { line: 1, byteOffset: 0 },
        'no NMEA sentence ($GPRMC, $GNGGA, …) in the first 4 KiB: not an NMEA log',
      );
    }
  }

  next(): RawBatch | null {
    const batch = new SampleBatch();
    this.merger.drain(batch, this.ended);
    while (!batch.full && !this.ended) {
      const line = this.nextLine();
      if (line === null) {
        this.ended = true;
        this.closeEpoch();
        for (const e of this.undated)
          this.defect('bad_timestamp', 'the log has no date: no RMC or ZDA sentence gives one', e.origin);
        this.undated = [];
        this.merger.drain(batch, true);
        break;
      }
      const n = line.block.firstLine + line.index;
      this.sentence(
        line.text,
        { byteOffset: line.block.byteOffset(line.index), record: n - 1, raw: line.text, from: null, line: n },
        line.last,
      );
      if (this.merger.readyCount > 0) this.merger.drain(batch, false);
    }
    return batch.count ? batch : null;
  }

  private nextLine(): { text: string; block: LineBlock; index: number; last: boolean } | null {
    for (;;) {
      if (this.block && this.cursor < this.block.lines.length) {
        const index = this.cursor++;
        const last = this.block.lastLineUnterminated && index === this.block.lines.length - 1;
        return { text: this.block.lines[index] as string, block: this.block, index, last };
      }
      try {
        this.block = this.lines.next();
      } catch (e) {
        if (e instanceof LineTooLong) throw new SourceError(this.file, { byteOffset: e.byteOffset }, e.message);
        throw e;
      }
      this.cursor = 0;
      if (!this.block) return null;
    }
  }

  private defect(reason: QuarantineReason, detail: string, origin: RowOrigin): void {
    this.merger.addDefect(reason, detail, origin);
  }

  private sentence(raw: string, origin: RowOrigin, lastLine: boolean): void {
    const at = raw.search(/[$!][A-Z]{5},/u);
    if (at < 0) return; // not a sentence (blank line, logger banner)
    const text = raw.slice(at).trim();
    const star = text.lastIndexOf('*');
    let body = text.slice(1);
    if (star >= 0) {
      body = text.slice(1, star);
      const given = text.slice(star + 1, star + 3);
      if (!/^[0-9A-Fa-f]{2}$/u.test(given)) {
        this.defect(
          lastLine ? 'truncated_row' : 'malformed_row',
          `checksum field ${JSON.stringify(text.slice(star))} is not two hex digits`,
          origin,
        );
        return;
      }
      const want = nmeaChecksum(body);
      if (parseInt(given, 16) !== want) {
        this.defect(
          'bad_checksum',
          `checksum ${given.toUpperCase()} does not match the sentence (computed ${want.toString(16).toUpperCase().padStart(2, '0')})`,
          origin,
        );
        return;
      }
    } else if (lastLine) {
      this.defect('truncated_row', 'last line has no checksum and no line end: cut off', origin);
      return;
    }
    const f = body.split(',');
    const type = (f[0] as string).slice(2);
    origin.from = f[0] as string;
    switch (type) {
      case 'RMC':
        this.rmc(f, origin);
        return;
      case 'GGA':
        this.gga(f, origin);
        return;
      case 'VTG':
        this.vtg(f, origin);
        return;
      case 'GLL':
        this.gll(f, origin);
        return;
      case 'ZDA':
        this.zda(f, origin);
        return;
      default:
        return; // satellites, DOP, proprietary sentences: not samples
    }
  }

  /** The epoch for a time of day: the current one, or a new one (closing the current). */
  private epochAt(tod: number, origin: RowOrigin): Epoch {
    if (this.epoch && this.epoch.todMs === tod) {
      this.epoch.sentences.push(origin.from ?? '');
      return this.epoch;
    }
    this.closeEpoch();
    if (!Number.isNaN(this.dayMs) && this.lastTod >= 0 && tod < this.lastTod - 12 * 3600_000) this.dayMs += 86_400_000; // midnight
    this.lastTod = tod;
    this.epoch = {
      todMs: tod,
      dayMs: this.dayMs,
      lat: NaN,
      lon: NaN,
      speed: NaN,
      course: NaN,
      origin: { ...origin },
      sentences: [origin.from ?? ''],
      noFix: null,
    };
    return this.epoch;
  }

  private setDay(dayMs: number, tod: number): void {
    if (Number.isNaN(dayMs)) return;
    this.dayMs = dayMs;
    this.lastTod = tod;
    if (this.epoch && Number.isNaN(this.epoch.dayMs)) this.epoch.dayMs = dayMs;
    if (this.undated.length) {
      const held = this.undated;
      this.undated = [];
      for (const e of held) {
        e.dayMs = dayMs - (e.todMs > tod + 12 * 3600_000 ? 86_400_000 : 0);
        this.emit(e);
      }
    }
  }

  private closeEpoch(): void {
    const e = this.epoch;
    this.epoch = null;
    if (!e) return;
    if (Number.isNaN(e.dayMs)) {
      if (this.undated.length < MAX_UNDATED) {
        this.undated.push(e);
        return;
      }
      this.defect('bad_timestamp', 'no RMC or ZDA sentence dated this epoch', e.origin);
      return;
    }
    this.emit(e);
  }

  private emit(e: Epoch): void {
    if (Number.isNaN(e.lat) || Number.isNaN(e.lon)) {
      this.defect('missing_field', e.noFix ?? `no position in this epoch (${e.sentences.join(', ')})`, e.origin);
      return;
    }
    const tsUs = (e.dayMs + e.todMs) * 1000;
    e.origin.from = e.sentences.join('+');
    this.merger.addFix({ tsUs, logUs: tsUs, lat: e.lat, lon: e.lon, speed: e.speed, heading: e.course }, e.origin);
  }

  private timeOf(field: string | undefined, origin: RowOrigin, what: string): number | null {
    const tod = hhmmss((field ?? '').trim());
    if (Number.isNaN(tod)) {
      this.defect(
        field === undefined || field.trim() === '' ? 'missing_field' : 'bad_timestamp',
        `${what} time ${JSON.stringify(field ?? '')} is not hhmmss`,
        origin,
      );
      return null;
    }
    return tod;
  }

  private rmc(f: string[], origin: RowOrigin): void {
    if (f.length < 10)
      return this.defect('malformed_row', `RMC has ${f.length - 1} fields, at least 9 expected`, origin);
    const tod = this.timeOf(f[1], origin, 'RMC');
    if (tod === null) return;
    const day = ddmmyy((f[9] ?? '').trim());
    if (!Number.isNaN(day)) this.setDay(day, tod);
    const e = this.epochAt(tod, origin);
    if (Number.isNaN(e.dayMs) && !Number.isNaN(day)) e.dayMs = day;
    if (f[2] !== 'A' || f[12] === 'N') {
      if (Number.isNaN(e.lat) && e.noFix === null)
        e.noFix = `receiver reports no fix (RMC status ${JSON.stringify(f[2] ?? '')})`;
      return;
    }
    const lat = coordinate(f[3] ?? '', f[4] ?? '', 2);
    const lon = coordinate(f[5] ?? '', f[6] ?? '', 3);
    if (Number.isNaN(lat) || Number.isNaN(lon))
      return this.defect(
        'bad_number',
        `RMC position ${f.slice(3, 7).join(',')} is not ddmm.mmmm,N,dddmm.mmmm,E`,
        origin,
      );
    e.lat = lat;
    e.lon = lon;
    const knots = num(f[7]);
    if (!Number.isNaN(knots)) e.speed = knots * KNOT;
    const course = num(f[8]);
    if (!Number.isNaN(course)) e.course = course;
  }

  private gga(f: string[], origin: RowOrigin): void {
    if (f.length < 7)
      return this.defect('malformed_row', `GGA has ${f.length - 1} fields, at least 6 expected`, origin);
    const tod = this.timeOf(f[1], origin, 'GGA');
    if (tod === null) return;
    const e = this.epochAt(tod, origin);
    const quality = num(f[6]);
    if (!(quality > 0)) {
      if (Number.isNaN(e.lat) && e.noFix === null)
        e.noFix = `receiver reports no fix (GGA quality ${JSON.stringify(f[6] ?? '')})`;
      return;
    }
    if (!Number.isNaN(e.lat)) return; // RMC's position wins
    const lat = coordinate(f[2] ?? '', f[3] ?? '', 2);
    const lon = coordinate(f[4] ?? '', f[5] ?? '', 3);
    if (Number.isNaN(lat) || Number.isNaN(lon))
      return this.defect(
        'bad_number',
        `GGA position ${f.slice(2, 6).join(',')} is not ddmm.mmmm,N,dddmm.mmmm,E`,
        origin,
      );
    e.lat = lat;
    e.lon = lon;
    e.noFix = null;
  }

  private gll(f: string[], origin: RowOrigin): void {
    if (f.length < 7)
      return this.defect('malformed_row', `GLL has ${f.length - 1} fields, at least 6 expected`, origin);
    const tod = this.timeOf(f[5], origin, 'GLL');
    if (tod === null) return;
    const e = this.epochAt(tod, origin);
    if (f[6] !== 'A') {
      if (Number.isNaN(e.lat) && e.noFix === null)
        e.noFix = `receiver reports no fix (GLL status ${JSON.stringify(f[6] ?? '')})`;
      return;
    }
    if (!Number.isNaN(e.lat)) return;
    const lat = coordinate(f[1] ?? '', f[2] ?? '', 2);
    const lon = coordinate(f[3] ?? '', f[4] ?? '', 3);
    if (Number.isNaN(lat) || Number.isNaN(lon))
      return this.defect('bad_number', `GLL position ${f.slice(1, 5).join(',')} is not a coordinate`, origin);
    e.lat = lat;
    e.lon = lon;
    e.noFix = null;
  }

  /** VTG has no time: it belongs to the epoch being read. */
  private vtg(f: string[], origin: RowOrigin): void {
    const e = this.epoch;
    if (!e) return;
    e.sentences.push(origin.from ?? 'VTG');
    const kmh = num(f[7]);
    const knots = num(f[5]);
    if (Number.isNaN(e.speed)) e.speed = !Number.isNaN(kmh) ? kmh / 3.6 : !Number.isNaN(knots) ? knots * KNOT : NaN;
    const course = num(f[1]);
    if (Number.isNaN(e.course) && !Number.isNaN(course)) e.course = course;
  }

  private zda(f: string[], origin: RowOrigin): void {
    const tod = hhmmss((f[1] ?? '').trim());
    const d = Number(f[2]);
    const m = Number(f[3]);
    const y = Number(f[4]);
    if (Number.isNaN(tod) || !(d >= 1 && d <= 31 && m >= 1 && m <= 12 && y > 1980)) {
      return this.defect('bad_timestamp', `ZDA date ${f.slice(1, 5).join(',')} is not hhmmss,dd,mm,yyyy`, origin);
    }
    this.setDay(Date.UTC(y, m - 1, d), tod);
  }

  bytesRead(): number {
    return this.chunks.bytesRead;
  }

  get bytesTotal(): number {
    return this.chunks.size;
  }

  close(): void {
    this.chunks.close();
  }
}
