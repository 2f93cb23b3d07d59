import type { SourceFormat } from '../../schema/vocab.js';
import { ValueAccessors } from '../generic-accessors.js';
import type { RawBatch, RawSource, RecordDefect } from '../raw-source.js';
import { foldName, EVENT_FIELDS, type EventField } from '../../normalize/aliases.js';
import {
  channelRole,
  decoderFor,
  PeekableStream,
  UnknownSchema,
  type LogIdentity,
  type MessageStream,
  type StreamChannel,
  type StreamItem,
} from './message-stream.js';
import type { Role } from './message-roles.js';
import type { Decoded, Decoder } from './ros-decoders.js';
import { SAMPLE_COLUMNS, SampleBatch, type RowOrigin } from './sample-batch.js';
import { TrackBuilder, type TrackChannel } from './track-builder.js';

const BATCH = 8192;
/** Items read ahead at most, in a log without an index, to learn its channels before the first fix. */
const LOOK_AHEAD = 4096;

interface ChannelEntry {
  readonly track: TrackChannel | null;
  decoder: Decoder | null;
  /** Set when the channel's schema cannot be decoded: its messages are skipped (one defect reported). */
  broken: boolean;
}

/** Columns a source exposes: identity columns only when the log can supply them (else options must). */
export function sampleColumns(identity: { vehicle: boolean; company: boolean }): string[] {
  return SAMPLE_COLUMNS.map((c) =>
    (c === 'vehicle_id' && !identity.vehicle) || (c === 'company_id' && !identity.company)
      ? `${c} (not in this log)`
      : c,
  );
}

/**
 * Channel bookkeeping shared by the telemetry and event passes: role, decoder (built on first use), and one
 * `unknown_schema` defect per channel whose schema avlog cannot decode.
 */
class Channels {
  private readonly entries = new Map<StreamChannel, ChannelEntry>();

  /** The channels seen so far: topic, type, and what avlog reads from it. */
  describe(): string {
    const seen = [...this.entries.entries()].map(
      ([ch, e]) => `${ch.topic} (${ch.schemaName || 'no schema'}): ${e.track ? `read as ${e.track.role}` : 'not read'}`,
    );
    return seen.length ? `topics: ${seen.join('; ')}` : 'no messages';
  }

  entry(ch: StreamChannel): ChannelEntry {
    let e = this.entries.get(ch);
    if (!e) {
      const role = channelRole(ch);
      e = {
        track: role === null ? null : { id: ch.id, topic: ch.topic, schemaName: ch.schemaName, role },
        decoder: null,
        broken: false,
      };
      this.entries.set(ch, e);
    }
    return e;
  }

  /** The decoder, or the reason the channel cannot be decoded (reported once: later calls return null). */
  decoder(ch: StreamChannel, e: ChannelEntry, role: Role): Decoder | string | null {
    if (e.decoder) return e.decoder;
    if (e.broken) return null;
    try {
      e.decoder = decoderFor(ch, role);
      return e.decoder;
    } catch (err) {
      if (!(err instanceof UnknownSchema)) throw err;
      e.broken = true;
      return `channel ${ch.topic} (${ch.schemaName || 'no schema'}): ${err.message}; its messages are skipped`;
    }
  }
}

function origin(item: StreamItem, from: string | null, raw: string | null = null): RowOrigin {
  return { byteOffset: item.byteOffset, record: item.index, raw, from };
}

/**
 * Telemetry of a robotics log (MCAP, ROS bag): messages in recorder-time order → one sample per position fix
 * with the latest speed, course, acceleration and mode (TrackMerger's policy).
 */
export class TrackSource implements RawSource {
  readonly format: SourceFormat;
  readonly encoding = null;
  readonly columns: readonly string[];
  readonly timestampScale = new Map<number, number>();
  private readonly stream: PeekableStream;
  private readonly builder = new TrackBuilder();
  private readonly channels = new Channels();
  private readonly openEvents: () => MessageStream;
  private ended = false;
  private identityVersion: number;

  /**
   * Identity columns exist when the log names its vehicle/company (metadata) or records vehicle state that may;
   * otherwise the options must. A log without an index is read ahead (up to its first fix) to learn its
   * channels and metadata first.
   */
  constructor(format: SourceFormat, stream: MessageStream, openEvents: () => MessageStream) {
    this.format = format;
    const peekable = new PeekableStream(stream);
    this.stream = peekable;
    this.openEvents = openEvents;
    let channels = stream.channelsUpFront;
    if (channels === null)
      channels = peekable.lookAhead(
        LOOK_AHEAD,
        (item) => item.kind === 'message' && channelRole(item.channel) === 'fix',
      );
    const state = channels.some((c) => channelRole(c) === 'vehicle_state');
    const id = stream.identity;
    this.columns = sampleColumns({ vehicle: id.vehicle !== null || state, company: id.company !== null || state });
    this.builder.merger.setIdentity(id);
    this.identityVersion = stream.identityVersion;
    if (stream.channelsUpFront) {
      this.builder.chooseFixChannel(stream.channelsUpFront.flatMap((c) => this.channels.entry(c).track ?? []));
    }
  }

  next(): RawBatch | null {
    const batch = new SampleBatch(BATCH);
    const merger = this.builder.merger;
    merger.drain(batch, this.ended);
    while (!batch.full && !this.ended) {
      const item = this.stream.next();
      if (item === null) {
        this.ended = true;
        merger.drain(batch, true);
        break;
      }
      if (this.stream.identityVersion !== this.identityVersion) {
        this.identityVersion = this.stream.identityVersion;
        merger.setIdentity(this.stream.identity);
      }
      this.handle(item);
      if (merger.readyCount > 0) merger.drain(batch, false);
    }
    return batch.count ? batch : null;
  }

  private handle(item: StreamItem): void {
    const merger = this.builder.merger;
    if (item.kind === 'defect') {
      merger.addDefect(item.reason, item.detail, origin(item, null, item.raw));
      return;
    }
    const ch = item.channel;
    const e = this.channels.entry(ch);
    const track = e.track;
    if (!track || !this.builder.uses(track)) return;
    const decoder = this.channels.decoder(ch, e, track.role);
    if (decoder === null) return;
    if (typeof decoder === 'string') {
      merger.addDefect('unknown_schema', decoder, origin(item, ch.topic, hexOf(item.data)));
      return;
    }
    let msg: Decoded;
    try {
      msg = decoder(item.data);
    } catch (err) {
      this.builder.undecodable(
        track,
        `does not decode: ${(err as Error).message}`,
        origin(item, ch.topic, hexOf(item.data)),
      );
      return;
    }
    this.builder.message(track, msg, item.logNs, origin(item, ch.topic));
  }

  bytesRead(): number {
    return this.stream.bytesRead;
  }

  get bytesTotal(): number {
    return this.stream.size;
  }

  close(): void {
    this.stream.close();
  }

  describe(): string {
    return `${this.channels.describe()}; avlog reads position fixes (sensor_msgs/NavSatFix, foxglove LocationFix, gps_common/GPSFix) with odometry, IMU, mode and avlog events (docs/mcap-profile.md)`;
  }

  /** Event channels (avlog.Event JSON) as an event source: a second pass over the file. Null when there are none. */
  events(): RawSource | null {
    const stream = this.openEvents();
    const known = stream.channelsUpFront;
    if (known && !known.some((c) => channelRole(c) === 'event')) {
      stream.close();
      return null;
    }
    return new TrackEventsSource(this.format, stream);
  }
}

function hexOf(bytes: Uint8Array): string {
  const n = Math.min(bytes.length, 128);
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('hex');
  return bytes.length > n ? `${hex}… (${bytes.length} bytes)` : hex;
}

/** Event columns: EVENT_FIELDS names (timestamps in µs). */
export const EVENT_COLUMNS = [
  'ts_us',
  'ts_end',
  'kind',
  'initiator',
  'cause',
  'severity',
  'lat',
  'lon',
  'speed_mps',
  'peak',
  'drive_id',
  'detail',
  'vehicle_id',
  'company_id',
] as const;
type EventColumn = (typeof EVENT_COLUMNS)[number];
const EVENT_COL = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, i])) as Record<EventColumn, number>;

const EVENT_ALIAS = new Map<string, EventField>();
for (const [field, names] of Object.entries(EVENT_FIELDS) as [EventField, readonly string[]][]) {
  for (const n of names) if (!EVENT_ALIAS.has(n)) EVENT_ALIAS.set(n, field);
}

/**
 * Events a robotics log recorded on its event channels (JSON objects with EVENT_FIELDS keys: kind, initiator,
 * cause, severity, ts…). Position and speed default to the latest fix and speed at the event's time.
 */
export class TrackEventsSource implements RawSource {
  readonly format: SourceFormat;
  readonly encoding = null;
  readonly columns: readonly string[] = EVENT_COLUMNS;
  readonly timestampScale = new Map<number, number>();
  private readonly stream: MessageStream;
  private readonly builder = new TrackBuilder();
  private readonly channels = new Channels();
  /** Identity from vehicle-state messages, over the stream's (metadata, which may arrive mid-stream). */
  private readonly stateIdentity: LogIdentity = { vehicle: null, company: null, ads: null };
  private lat = NaN;
  private lon = NaN;
  private lastFixLogNs = -Infinity;

  constructor(format: SourceFormat, stream: MessageStream) {
    this.format = format;
    this.stream = stream;
    const known = stream.channelsUpFront;
    if (known) this.builder.chooseFixChannel(known.flatMap((c) => this.channels.entry(c).track ?? []));
  }

  next(): RawBatch | null {
    const batch = new EventBatch();
    while (batch.count < BATCH) {
      const item = this.stream.next();
      if (item === null) break;
      if (item.kind === 'defect') continue; // reported by the telemetry pass
      const ch = item.channel;
      const e = this.channels.entry(ch);
      const track = e.track;
      if (!track) continue;
      const isFix =
        track.role === 'fix' && (this.builder.fixChannelId === null || this.builder.fixChannelId === track.id);
      if (track.role !== 'event' && !isFix && track.role !== 'vehicle_state') continue;
      const decoder = this.channels.decoder(ch, e, track.role);
      if (decoder === null) continue;
      if (typeof decoder === 'string') {
        if (track.role === 'event') batch.pushDefect('unknown_schema', decoder, item);
        continue;
      }
      let msg: Decoded;
      try {
        msg = decoder(item.data);
      } catch (err) {
        if (track.role === 'event')
          batch.pushDefect('undecodable_message', `${ch.topic}: ${(err as Error).message}`, item);
        continue;
      }
      if (track.role === 'event') {
        this.event(batch, msg, item);
        continue;
      }
      if (track.role === 'vehicle_state') {
        const f = this.fields(msg);
        const text = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
        this.stateIdentity.vehicle = text(f.vehicle_id) ?? this.stateIdentity.vehicle;
        this.stateIdentity.company = text(f.company_id) ?? this.stateIdentity.company;
        continue;
      }
      if (this.builder.fixChannelId === null) this.builder.chooseFixChannel([track]);
      const lat = Number(msg.latitude);
      const lon = Number(msg.longitude);
      if (Number.isFinite(lat) && Number.isFinite(lon)) {
        this.lat = lat;
        this.lon = lon;
        this.lastFixLogNs = item.logNs;
      }
    }
    return batch.count ? batch : null;
  }

  private fields(msg: Decoded): Partial<Record<EventField, unknown>> {
    const f: Partial<Record<EventField, unknown>> = {};
    for (const [k, v] of Object.entries(msg)) {
      const field = EVENT_ALIAS.get(foldName(k));
      if (field !== undefined && f[field] === undefined) f[field] = v;
    }
    return f;
  }

  private event(batch: EventBatch, msg: Decoded, item: StreamItem & { kind: 'message' }): void {
    const f = this.fields(msg);
    const own = this.builder.jsonTime(f as Parameters<TrackBuilder['jsonTime']>[0]);
    const tsUs = Number.isFinite(own) ? own : item.logNs / 1000;
    let tsEnd: number | null = null;
    if (f.ts_end !== undefined && f.ts_end !== null) {
      const end = this.builder.jsonTime({ ts: f.ts_end });
      tsEnd = Number.isFinite(end) ? end : null;
    }
    // The last fix stands for the event's position when it is recent (within 2 s of recorder time).
    const fresh = item.logNs - this.lastFixLogNs <= 2e9;
    const row: unknown[] = new Array(EVENT_COLUMNS.length).fill(null);
    row[EVENT_COL.ts_us] = Math.round(tsUs);
    row[EVENT_COL.ts_end] = tsEnd === null ? null : Math.round(tsEnd);
    row[EVENT_COL.kind] = f.kind ?? null;
    row[EVENT_COL.initiator] = f.initiator ?? null;
    row[EVENT_COL.cause] = f.cause ?? null;
    row[EVENT_COL.severity] = f.severity ?? null;
    row[EVENT_COL.lat] = f.lat ?? (fresh && Number.isFinite(this.lat) ? this.lat : null);
    row[EVENT_COL.lon] = f.lon ?? (fresh && Number.isFinite(this.lon) ? this.lon : null);
    row[EVENT_COL.speed_mps] =
      f.speed_mps ?? (f.speed_kmh !== undefined ? Number(f.speed_kmh) / 3.6 : (f.speed ?? null));
    row[EVENT_COL.peak] = f.peak ?? null;
    row[EVENT_COL.drive_id] = f.drive_id ?? null;
    row[EVENT_COL.detail] =
      f.detail === undefined || f.detail === null
        ? null
        : typeof f.detail === 'string'
          ? f.detail
          : JSON.stringify(f.detail);
    row[EVENT_COL.vehicle_id] = f.vehicle_id ?? this.stateIdentity.vehicle ?? this.stream.identity.vehicle;
    row[EVENT_COL.company_id] = f.company_id ?? this.stateIdentity.company ?? this.stream.identity.company;
    batch.push(row, item, JSON.stringify({ topic: item.channel.topic, log_time_ns: item.logNs, ...msg }));
  }

  bytesRead(): number {
    return this.stream.bytesRead;
  }

  get bytesTotal(): number {
    return this.stream.size;
  }

  close(): void {
    this.stream.close();
  }
}

class EventBatch extends ValueAccessors implements RawBatch {
  count = 0;
  private readonly rows: unknown[][] = [];
  private readonly offsets: number[] = [];
  private readonly records: number[] = [];
  private readonly raws: string[] = [];
  private readonly defects: (RecordDefect | null)[] = [];

  push(row: unknown[], item: StreamItem, raw: string): void {
    this.rows.push(row);
    this.offsets.push(item.byteOffset);
    this.records.push(item.index);
    this.raws.push(raw);
    this.defects.push(null);
    this.count++;
  }

  pushDefect(reason: RecordDefect['reason'], detail: string, item: StreamItem & { kind: 'message' }): void {
    this.push(new Array(EVENT_COLUMNS.length).fill(null), item, hexOf(item.data));
    this.defects[this.count - 1] = { reason, detail };
  }

  override value(row: number, column: number): unknown {
    return this.rows[row]?.[column] ?? null;
  }
  line(): null {
    return null;
  }
  byteOffset(row: number): number | null {
    return this.offsets[row] ?? null;
  }
  recordIndex(row: number): number {
    return this.records[row] ?? 0;
  }
  raw(row: number): string {
    return this.raws[row] ?? '';
  }
  defect(row: number): RecordDefect | null {
    return this.defects[row] ?? null;
  }
}
