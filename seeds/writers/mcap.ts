import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import { McapChunkBuilder, McapRecordBuilder, type McapTypes } from '@mcap/core';
import { MessageWriter as Ros2Writer } from '@foxglove/rosmsg2-serialization';
import { parse } from '@foxglove/rosmsg';
import * as lz4 from 'lz4js';
import type { DriveTrace } from '../trace.js';
import { zstdCompress } from './codecs/zstd.js';
import type { DriveMeta } from './meta.js';
import {
  APOLLO_CHASSIS_DESCRIPTOR,
  LOCATION_FIX_DESCRIPTOR,
  apolloChassisProto,
  locationFixProto,
} from './protobuf.js';
import {
  driveMessages,
  Ros1Encoder,
  ROS1_DEFINITIONS,
  ROS2_DEFINITIONS,
  ros2Name,
  rosMessage,
  type DriveMessage,
  type ModeMessage,
  type RecordingOptions,
  type RosType,
} from './rosbag.js';

/* ------------------------------------------------------------------------------------------------------------
 * A synchronous MCAP writer on @mcap/core's record and chunk builders.
 * ---------------------------------------------------------------------------------------------------------- */

export type McapCompression = 'none' | 'lz4' | 'zstd';

export interface McapFileWriterOptions {
  readonly compression?: McapCompression;
  /** Uncompressed bytes per chunk. */
  readonly chunkSize?: number;
  /** Write the summary (schemas, channels, statistics, chunk and metadata indexes) and footer offsets. Default true. */
  readonly summary?: boolean;
  /** Write messages in chunks (default) or as top-level records. */
  readonly chunked?: boolean;
  readonly profile?: string;
}

/** Compresses one chunk's records. */
export function compressChunk(compression: McapCompression, data: Uint8Array): Uint8Array {
  if (compression === 'lz4') return lz4.compress(data);
  if (compression === 'zstd') return zstdCompress(data);
  return data;
}

/**
 * Writes an MCAP file synchronously (the seed writers are synchronous): header, chunks with message indexes,
 * data end, summary (schemas, channels, statistics, metadata and chunk indexes, summary offsets) and footer.
 */
export class McapFileWriter {
  private readonly fd: number;
  private readonly compression: McapCompression;
  private readonly chunkSize: number;
  private readonly summary: boolean;
  private readonly chunked: boolean;
  private readonly records = new McapRecordBuilder();
  private readonly chunk = new McapChunkBuilder({ useMessageIndex: true });
  private readonly schemas: McapTypes.Schema[] = [];
  private readonly schemaIds = new Map<string, number>();
  private readonly channels: McapTypes.Channel[] = [];
  private readonly channelIds = new Map<string, number>();
  private readonly inChunk = { schemas: new Set<number>(), channels: new Set<number>() };
  private readonly chunkIndexes: McapTypes.ChunkIndex[] = [];
  private readonly metadataIndexes: McapTypes.MetadataIndex[] = [];
  private readonly stats = {
    messages: 0n,
    start: 0n,
    end: 0n,
    perChannel: new Map<number, bigint>(),
    chunks: 0,
    metadata: 0,
  };
  private position = 0;

  constructor(file: string, options: McapFileWriterOptions = {}) {
    this.fd = fs.openSync(file, 'w+');
    this.compression = options.compression ?? 'zstd';
    this.chunkSize = options.chunkSize ?? 1 << 20;
    this.summary = options.summary !== false;
    this.chunked = options.chunked !== false;
    this.records.writeMagic();
    this.records.writeHeader({ profile: options.profile ?? '', library: 'avlog seeds' });
    this.flushRecords();
  }

  private flushRecords(): void {
    const b = this.records.buffer;
    if (b.length) {
      fs.writeSync(this.fd, b, 0, b.length, this.position);
      this.position += b.length;
    }
    this.records.reset();
  }

  /** Registers a schema (deduplicated by name and encoding) and returns its id. */
  schema(name: string, encoding: string, data: Uint8Array | string): number {
    const key = `${encoding}\u0000${name}`;
    const known = this.schemaIds.get(key);
    if (known !== undefined) return known;
    const id = this.schemas.length + 1;
    this.schemas.push({ id, name, encoding, data: typeof data === 'string' ? new TextEncoder().encode(data) : data });
    this.schemaIds.set(key, id);
    return id;
  }

  /** Registers a channel (deduplicated by topic) and returns its id. schemaId 0: schemaless. */
  channel(topic: string, schemaId: number, messageEncoding: string, metadata: Record<string, string> = {}): number {
    const known = this.channelIds.get(topic);
    if (known !== undefined) return known;
    const id = this.channels.length;
    this.channels.push({ id, schemaId, topic, messageEncoding, metadata: new Map(Object.entries(metadata)) });
    this.channelIds.set(topic, id);
    return id;
  }

  metadata(name: string, values: Record<string, string>): void {
    this.flushChunk();
    const offset = this.position;
    const length = this.records.writeMetadata({ name, metadata: new Map(Object.entries(values)) });
    this.flushRecords();
    this.metadataIndexes.push({ offset: BigInt(offset), length, name });
    this.stats.metadata++;
  }

  message(channelId: number, logNs: number, data: Uint8Array, publishNs = logNs): void {
    const ch = this.channels[channelId];
    if (!ch) throw new Error(`no channel ${channelId}`);
    const logTime = BigInt(Math.round(logNs));
    const s = this.stats;
    if (s.messages === 0n || logTime < s.start) s.start = logTime;
    if (s.messages === 0n || logTime > s.end) s.end = logTime;
    s.messages++;
    s.perChannel.set(channelId, (s.perChannel.get(channelId) ?? 0n) + 1n);
    const msg = { channelId, sequence: 0, logTime, publishTime: BigInt(Math.round(publishNs)), data };
    const schema = ch.schemaId === 0 ? undefined : this.schemas[ch.schemaId - 1];
    if (!this.chunked) {
      if (schema && !this.inChunk.schemas.has(schema.id)) {
        this.inChunk.schemas.add(schema.id);
        this.records.writeSchema(schema);
      }
      if (!this.inChunk.channels.has(channelId)) {
        this.inChunk.channels.add(channelId);
        this.records.writeChannel(ch);
      }
      this.records.writeMessage(msg);
      if (this.records.length > this.chunkSize) this.flushRecords();
      return;
    }
    if (schema && !this.inChunk.schemas.has(schema.id)) {
      this.inChunk.schemas.add(schema.id);
      this.chunk.addSchema(schema);
    }
    if (!this.inChunk.channels.has(channelId)) {
      this.inChunk.channels.add(channelId);
      this.chunk.addChannel(ch);
    }
    this.chunk.addMessage(msg);
    if (this.chunk.byteLength >= this.chunkSize) this.flushChunk();
  }

  /** Ends the current chunk (the next message starts a new one). */
  flushChunk(): void {
    if (!this.chunked) {
      this.flushRecords();
      return;
    }
    if (this.chunk.numMessages === 0) return;
    const raw = this.chunk.buffer;
    const compressed = compressChunk(this.compression, raw);
    const chunkStart = this.position;
    const chunkLength = this.records.writeChunk({
      messageStartTime: this.chunk.messageStartTime,
      messageEndTime: this.chunk.messageEndTime,
      uncompressedSize: BigInt(raw.length),
      uncompressedCrc: crc32(raw),
      compression: this.compression === 'none' ? '' : this.compression,
      records: compressed,
    });
    this.flushRecords();
    const messageIndexStart = this.position;
    const offsets = new Map<number, bigint>();
    let indexLength = 0n;
    for (const index of this.chunk.indices) {
      offsets.set(index.channelId, BigInt(messageIndexStart) + indexLength);
      indexLength += this.records.writeMessageIndex(index);
    }
    this.flushRecords();
    this.chunkIndexes.push({
      messageStartTime: this.chunk.messageStartTime,
      messageEndTime: this.chunk.messageEndTime,
      chunkStartOffset: BigInt(chunkStart),
      chunkLength,
      messageIndexOffsets: offsets,
      messageIndexLength: indexLength,
      compression: this.compression === 'none' ? '' : this.compression,
      compressedSize: BigInt(compressed.length),
      uncompressedSize: BigInt(raw.length),
    });
    this.stats.chunks++;
    this.chunk.reset();
    this.inChunk.schemas.clear();
    this.inChunk.channels.clear();
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.position;
  }

  /**
   * Finishes the file. `truncateAt` cuts the finished file to that many bytes (a recording cut off mid-write);
   * `summary: false` at construction writes no summary (a streaming recorder that was never closed cleanly still
   * has none; this one ends in a footer without summary).
   */
  close(): void {
    this.flushChunk();
    this.records.writeDataEnd({ dataSectionCrc: 0 });
    this.flushRecords();
    let summaryStart = 0;
    let summaryOffsetStart = 0;
    if (this.summary) {
      summaryStart = this.position;
      const groups: McapTypes.SummaryOffset[] = [];
      const group = (op: number, write: () => void) => {
        const start = this.position;
        write();
        this.flushRecords();
        if (this.position > start)
          groups.push({ groupOpcode: op, groupStart: BigInt(start), groupLength: BigInt(this.position - start) });
      };
      group(0x03, () => this.schemas.forEach((s) => this.records.writeSchema(s)));
      group(0x04, () => this.channels.forEach((c) => this.records.writeChannel(c)));
      group(0x0b, () =>
        this.records.writeStatistics({
          messageCount: this.stats.messages,
          schemaCount: this.schemas.length,
          channelCount: this.channels.length,
          attachmentCount: 0,
          metadataCount: this.stats.metadata,
          chunkCount: this.stats.chunks,
          messageStartTime: this.stats.start,
          messageEndTime: this.stats.end,
          channelMessageCounts: this.stats.perChannel,
        }),
      );
      group(0x0d, () => this.metadataIndexes.forEach((m) => this.records.writeMetadataIndex(m)));
      group(0x08, () => this.chunkIndexes.forEach((c) => this.records.writeChunkIndex(c)));
      summaryOffsetStart = this.position;
      for (const g of groups) this.records.writeSummaryOffset(g);
      this.flushRecords();
    }
    // Footer CRC covers the summary, the summary offsets and the footer up to the CRC field.
    const footerHead = Buffer.alloc(1 + 8 + 16);
    footerHead.writeUInt8(0x02, 0);
    footerHead.writeBigUInt64LE(20n, 1);
    footerHead.writeBigUInt64LE(BigInt(summaryStart), 9);
    footerHead.writeBigUInt64LE(BigInt(summaryOffsetStart), 17);
    let summaryCrc = 0;
    if (this.summary) {
      const summaryBytes = Buffer.alloc(this.position - summaryStart);
      fs.readSync(this.fd, summaryBytes, 0, summaryBytes.length, summaryStart);
      summaryCrc = crc32(footerHead, crc32(summaryBytes));
    }
    this.records.writeFooter({
      summaryStart: BigInt(summaryStart),
      summaryOffsetStart: BigInt(summaryOffsetStart),
      summaryCrc,
    });
    this.records.writeMagic();
    this.flushRecords();
    fs.closeSync(this.fd);
  }
}

/* ------------------------------------------------------------------------------------------------------------
 * A drive as MCAP, in the avlog MCAP profile (docs/mcap-profile.md).
 * ---------------------------------------------------------------------------------------------------------- */

/**
 * How messages are encoded: `ros2` CDR with ros2msg schemas (what `ros2 bag record -s mcap` writes), `ros1`
 * (ROS 1 serialization in MCAP), `json` (foxglove.LocationFix JSON and JSON vehicle state carrying speed,
 * course and acceleration), `protobuf` (foxglove.LocationFix and an Apollo-style Chassis in protobuf).
 * Vehicle state and events are JSON channels in every profile.
 */
export type McapEncoding = 'ros2' | 'ros1' | 'json' | 'protobuf';

export interface McapWriteOptions extends RecordingOptions, McapFileWriterOptions {
  readonly encoding?: McapEncoding;
  /** Write the `avlog` metadata record (vehicle, company, ADS version). Default true. */
  readonly identity?: boolean;
}

const VEHICLE_STATE_SCHEMA = JSON.stringify({
  title: 'avlog.VehicleState',
  type: 'object',
  properties: {
    ts_ns: { type: 'integer' },
    vehicle_id: { type: 'string' },
    company_id: { type: 'string' },
    ads_version: { type: 'string' },
    mode: { type: 'string', enum: ['autonomous', 'manual', 'remote'] },
    speed_mps: { type: 'number' },
    heading_deg: { type: 'number' },
    accel_lon_mps2: { type: 'number' },
    accel_lat_mps2: { type: 'number' },
  },
});

const EVENT_SCHEMA = JSON.stringify({
  title: 'avlog.Event',
  type: 'object',
  required: ['kind'],
  properties: {
    ts_ms: { type: 'integer' },
    ts_end: { type: 'string' },
    kind: { type: 'string' },
    initiator: { type: 'string' },
    cause: { type: 'string' },
    severity: { type: 'string' },
    lat: { type: 'number' },
    lon: { type: 'number' },
    speed_mps: { type: 'number' },
  },
});

const LOCATION_FIX_JSON_SCHEMA = JSON.stringify({
  title: 'foxglove.LocationFix',
  type: 'object',
  properties: {
    timestamp: { type: 'object' },
    frame_id: { type: 'string' },
    latitude: { type: 'number' },
    longitude: { type: 'number' },
    altitude: { type: 'number' },
  },
});

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** Encodes drive messages into an MCAP writer's channels, per encoding. */
export class DriveEncoder {
  private readonly ros1 = new Ros1Encoder();
  private readonly ros2 = new Map<RosType, Ros2Writer>();
  /** Channel ids by topic (ROS channels) or topic and schema (JSON channels), so messages skip the writer's lookups. */
  private readonly channelIds = new Map<string, number>();
  constructor(
    private readonly w: McapFileWriter,
    private readonly encoding: McapEncoding,
    private readonly modeMessage: ModeMessage,
  ) {}

  private jsonChannel(topic: string, schemaName: string, schema: string): number {
    const key = `${topic}\u0000${schemaName}`;
    let id = this.channelIds.get(key);
    if (id === undefined) {
      id = this.w.channel(topic, this.w.schema(schemaName, 'jsonschema', schema), 'json');
      this.channelIds.set(key, id);
    }
    return id;
  }

  write(m: DriveMessage): void {
    const w = this.w;
    if (m.kind === 'state') {
      w.message(
        this.jsonChannel('/avlog/vehicle_state', 'avlog.VehicleState', VEHICLE_STATE_SCHEMA),
        m.logNs,
        json(m.json),
      );
      return;
    }
    if (m.kind === 'event') {
      w.message(this.jsonChannel('/avlog/events', 'avlog.Event', EVENT_SCHEMA), m.logNs, json(m.json));
      return;
    }
    if (this.encoding === 'json' || this.encoding === 'protobuf') {
      this.writeFoxglove(m);
      return;
    }
    if (m.kind === 'mode' && this.modeMessage === 'apollo') {
      this.writeFoxglove(m);
      return;
    }
    const ros = this.encoding === 'ros1' ? 1 : 2;
    const r = rosMessage(m, ros, this.modeMessage === 'autoware-control' ? 'autoware-control' : 'autoware-operation');
    let channel = this.channelIds.get(r.topic);
    if (ros === 1) {
      channel ??= w.channel(r.topic, w.schema(r.type, 'ros1msg', ROS1_DEFINITIONS[r.type]), 'ros1');
      this.channelIds.set(r.topic, channel);
      w.message(channel, m.logNs, this.ros1.encode(r.type, r.message));
      return;
    }
    let writer = this.ros2.get(r.type);
    if (!writer) {
      writer = new Ros2Writer(parse(ROS2_DEFINITIONS[r.type], { ros2: true }));
      this.ros2.set(r.type, writer);
    }
    channel ??= w.channel(r.topic, w.schema(ros2Name(r.type), 'ros2msg', ROS2_DEFINITIONS[r.type]), 'cdr');
    this.channelIds.set(r.topic, channel);
    w.message(channel, m.logNs, writer.writeMessage(r.message));
  }

  private writeFoxglove(m: DriveMessage): void {
    const w = this.w;
    const proto = this.encoding === 'protobuf' || (this.modeMessage === 'apollo' && m.kind === 'mode');
    switch (m.kind) {
      case 'fix': {
        if (proto) {
          const ch = w.channel(
            '/avlog/fix',
            w.schema('foxglove.LocationFix', 'protobuf', LOCATION_FIX_DESCRIPTOR),
            'protobuf',
          );
          w.message(ch, m.logNs, locationFixProto(m.stampNs, m.lat, m.lon));
        } else {
          const sec = Math.floor(m.stampNs / 1e9);
          const body = {
            timestamp: { sec, nsec: Math.round(m.stampNs - sec * 1e9) },
            frame_id: 'gnss',
            latitude: m.lat,
            longitude: m.lon,
            altitude: 0,
          };
          w.message(
            this.jsonChannel('/avlog/fix', 'foxglove.LocationFix', LOCATION_FIX_JSON_SCHEMA),
            m.logNs,
            json(body),
          );
        }
        return;
      }
      case 'mode': {
        if (proto) {
          const ch = w.channel(
            '/avlog/chassis',
            w.schema('apollo.canbus.Chassis', 'protobuf', APOLLO_CHASSIS_DESCRIPTOR),
            'protobuf',
          );
          w.message(ch, m.logNs, apolloChassisProto(m.stampNs, m.mode, m.speed));
        } else {
          w.message(
            this.jsonChannel('/avlog/vehicle_state', 'avlog.VehicleState', VEHICLE_STATE_SCHEMA),
            m.logNs,
            json({ ts_ns: m.stampNs, mode: m.mode, speed_mps: m.speed }),
          );
        }
        return;
      }
      case 'odometry':
        if (!proto)
          w.message(
            this.jsonChannel('/avlog/vehicle_state', 'avlog.VehicleState', VEHICLE_STATE_SCHEMA),
            m.logNs,
            json({ ts_ns: m.stampNs, speed_mps: m.speed }),
          );
        return;
      case 'imu':
        w.message(
          this.jsonChannel('/avlog/vehicle_state', 'avlog.VehicleState', VEHICLE_STATE_SCHEMA),
          m.logNs,
          json({ ts_ns: m.stampNs, accel_lon_mps2: m.accelLon, accel_lat_mps2: m.accelLat }),
        );
        return;
      default:
        return;
    }
  }
}

/**
 * A drive as an MCAP file in the avlog profile: `avlog` metadata, /avlog/fix, /avlog/odom, /avlog/imu,
 * /avlog/control_mode (or /avlog/chassis), /avlog/vehicle_state and /avlog/events. zstd chunks by default.
 * Compatible with TelemetryWriter.
 */
export function writeMcap(file: string, trace: DriveTrace, meta: DriveMeta, options: McapWriteOptions = {}): void {
  const w = new McapFileWriter(file, {
    ...options,
    profile:
      options.profile ??
      (options.encoding === 'ros1'
        ? 'ros1'
        : options.encoding === 'ros2' || options.encoding === undefined
          ? 'ros2'
          : ''),
  });
  if (options.identity !== false)
    w.metadata('avlog', {
      vehicle_id: meta.vehicleId,
      company_id: meta.companyId,
      ads_version: meta.adsVersion,
      drive_id: meta.driveId,
    });
  const enc = new DriveEncoder(w, options.encoding ?? 'ros2', options.modeMessage ?? 'autoware-operation');
  for (const m of driveMessages(trace, meta, options)) enc.write(m);
  w.close();
}
