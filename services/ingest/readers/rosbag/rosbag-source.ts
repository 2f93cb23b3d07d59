import type { RawSource } from '../raw-source.js';
import { type LogIdentity, type MessageStream, type StreamChannel, type StreamItem } from '../track/message-stream.js';
import { TrackSource } from '../track/track-source.js';
import { BagReader, type BagConnection } from './bag-reader.js';

const encoder = new TextEncoder();

/** A ROS1 bag as a message stream: connections become channels (encoding ros1, schema = message definition). */
class BagStream implements MessageStream {
  readonly channelsUpFront: readonly StreamChannel[] | null;
  readonly identity: LogIdentity = { vehicle: null, company: null, ads: null };
  readonly identityVersion = 0;
  private readonly reader: BagReader;
  private readonly channels = new Map<number, StreamChannel>();

  constructor(path: string, file: string) {
    this.reader = new BagReader(path, file);
    const indexed = this.reader.indexedConnections();
    this.channelsUpFront = indexed ? indexed.map((c) => this.channel(c)) : null;
  }

  private channel(c: BagConnection): StreamChannel {
    let ch = this.channels.get(c.id);
    if (!ch) {
      ch = {
        id: c.id,
        topic: c.topic,
        schemaName: c.type,
        messageEncoding: 'ros1',
        schemaEncoding: 'ros1msg',
        schema: encoder.encode(c.definition),
      };
      this.channels.set(c.id, ch);
    }
    return ch;
  }

  next(): StreamItem | null {
    const item = this.reader.next();
    if (item === null || item.kind === 'defect') return item;
    return {
      kind: 'message',
      channel: this.channel(item.connection),
      logNs: item.timeNs,
      data: item.data,
      byteOffset: item.byteOffset,
      index: item.index,
    };
  }

  get bytesRead(): number {
    return this.reader.bytesRead;
  }

  get size(): number {
    return this.reader.size;
  }

  close(): void {
    this.reader.close();
  }
}

/**
 * ROS1 bag v2.0 (chunks none, bz2, lz4): NavSatFix/GPSFix fixes merged with Odometry, Imu, Autoware/Apollo
 * mode messages and std_msgs/String JSON vehicle state into one sample per fix; std_msgs/String JSON on an
 * events topic is the event source. Bags carry no identity: company and vehicle come from the options unless a
 * vehicle-state topic is recorded.
 */
export function openRosbag(path: string, file: string): RawSource {
  return new TrackSource('rosbag', new BagStream(path, file), () => new BagStream(path, file));
}
