import type { QuarantineReason } from '../../schema/vocab.js';
import { roleOf, schemaKey, type Role } from './message-roles.js';
import { cdrDecoder, jsonDecoder, jsonInString, ros1Decoder, type Decoder } from './ros-decoders.js';
import { protobufDecoder } from './protobuf.js';
import { selectiveDecoder, WANTED } from './selective-decoder.js';

/** A channel of a robotics log (MCAP channel + schema, bag connection). */
export interface StreamChannel {
  readonly id: number;
  readonly topic: string;
  /** `sensor_msgs/NavSatFix`, `sensor_msgs/msg/NavSatFix`, `foxglove.LocationFix`, … ('' for schemaless JSON). */
  readonly schemaName: string;
  /** `ros1`, `cdr`, `json`, `protobuf`, … */
  readonly messageEncoding: string;
  /** `ros1msg`, `ros2msg`, `jsonschema`, `protobuf`, '' */
  readonly schemaEncoding: string;
  readonly schema: Uint8Array;
}

export interface StreamMessage {
  readonly kind: 'message';
  readonly channel: StreamChannel;
  /** Recorder's clock, epoch ns (MCAP log_time, bag record time). */
  readonly logNs: number;
  readonly data: Uint8Array;
  readonly byteOffset: number;
  readonly index: number;
}

export interface StreamDefect {
  readonly kind: 'defect';
  readonly reason: QuarantineReason;
  readonly detail: string;
  readonly byteOffset: number;
  readonly raw: string;
  readonly index: number;
}

export type StreamItem = StreamMessage | StreamDefect;

/** Identity a log declares about itself (MCAP metadata `avlog`). */
export interface LogIdentity {
  vehicle: string | null;
  company: string | null;
  ads: string | null;
}

/** Messages of one robotics log in recorder-time order (as far as the format allows), plus damage as defects. */
export interface MessageStream {
  next(): StreamItem | null;
  /** Channels known before reading, from an index or summary; null when only reading reveals them. */
  readonly channelsUpFront: readonly StreamChannel[] | null;
  readonly identity: LogIdentity;
  /** Changes when the identity changes mid-stream (metadata found while reading). */
  readonly identityVersion: number;
  readonly bytesRead: number;
  readonly size: number;
  close(): void;
}

/**
 * A stream that can read ahead: items read while peeking are handed out again by `next`. Used to learn the
 * channels (and metadata) of a log that has no index before the first batch is asked for.
 */
export class PeekableStream implements MessageStream {
  private readonly held: StreamItem[] = [];
  private cursor = 0;
  private ended = false;
  constructor(private readonly inner: MessageStream) {}

  /** Reads ahead until `stop` says so, `max` items are held, or the end; returns the channels seen. */
  lookAhead(max: number, stop: (item: StreamItem) => boolean): StreamChannel[] {
    const seen = new Set<StreamChannel>();
    for (const item of this.held) if (item.kind === 'message') seen.add(item.channel);
    while (!this.ended && this.held.length < max) {
      const item = this.inner.next();
      if (item === null) {
        this.ended = true;
        break;
      }
      this.held.push(item);
      if (item.kind === 'message') seen.add(item.channel);
      if (stop(item)) break;
    }
    return [...seen];
  }

  next(): StreamItem | null {
    if (this.cursor < this.held.length) {
      const item = this.held[this.cursor++] as StreamItem;
      if (this.cursor === this.held.length) {
        this.held.length = 0;
        this.cursor = 0;
      }
      return item;
    }
    return this.ended ? null : this.inner.next();
  }

  get channelsUpFront(): readonly StreamChannel[] | null {
    return this.inner.channelsUpFront;
  }
  get identity(): LogIdentity {
    return this.inner.identity;
  }
  get identityVersion(): number {
    return this.inner.identityVersion;
  }
  get bytesRead(): number {
    return this.inner.bytesRead;
  }
  get size(): number {
    return this.inner.size;
  }
  close(): void {
    this.inner.close();
  }
}

export class UnknownSchema extends Error {
  override readonly name = 'UnknownSchema';
}

const text = new TextDecoder('utf-8');

/** The role a channel plays, or null. */
export function channelRole(ch: StreamChannel): Role | null {
  return roleOf(ch.schemaName, ch.topic);
}

/** A decoder for the channel's messages. Throws UnknownSchema when its encoding or schema cannot be decoded. */
export function decoderFor(ch: StreamChannel, role: Role): Decoder {
  const enc = ch.messageEncoding.toLowerCase();
  const schemaText = () => text.decode(ch.schema);
  let base: Decoder;
  try {
    if (enc === 'json') base = jsonDecoder();
    else if (enc === 'ros1' && (ch.schemaEncoding === 'ros1msg' || ch.schemaEncoding === ''))
      base = ros1Decoder(schemaText());
    else if (enc === 'cdr' && ch.schemaEncoding === 'ros2msg') base = cdrDecoder(schemaText());
    else if (enc === 'protobuf' && ch.schemaEncoding === 'protobuf') base = protobufDecoder(ch.schema, ch.schemaName);
    else
      throw new UnknownSchema(
        `message encoding ${JSON.stringify(ch.messageEncoding)} with schema encoding ${JSON.stringify(ch.schemaEncoding)} is not one avlog decodes (ros1/ros1msg, cdr/ros2msg, json, protobuf)`,
      );
  } catch (e) {
    if (e instanceof UnknownSchema) throw e;
    throw new UnknownSchema(
      `schema ${JSON.stringify(ch.schemaName)} (${ch.schemaEncoding}) does not parse: ${(e as Error).message}`,
      { cause: e },
    );
  }
  if ((role === 'vehicle_state' || role === 'event') && schemaKey(ch.schemaName) === 'std_msgs/string')
    return jsonInString(base);
  const want = WANTED[role];
  if (want && (enc === 'ros1' || enc === 'cdr'))
    return selectiveDecoder(schemaText(), want, enc === 'cdr', base) ?? base;
  return base;
}
