import { parse } from '@foxglove/rosmsg';
import { MessageWriter as Ros1Writer } from '@foxglove/rosmsg-serialization';
import { MessageWriter as Ros2Writer } from '@foxglove/rosmsg2-serialization';
import { describe, expect, it } from 'vitest';
import { decompressBlock } from '../../../services/ingest/readers/track/decompress.js';
import { cdrDecoder, ros1Decoder } from '../../../services/ingest/readers/track/ros-decoders.js';
import { selectiveDecoder, WANTED } from '../../../services/ingest/readers/track/selective-decoder.js';
import { bzip2Compress } from '../../../seeds/writers/codecs/bzip2.js';
import { zstdCompress } from '../../../seeds/writers/codecs/zstd.js';
import { compressChunk } from '../../../seeds/writers/mcap.js';
import { ROS1_DEFINITIONS, ROS2_DEFINITIONS, type RosType } from '../../../seeds/writers/rosbag.js';

function samples(): [string, Uint8Array][] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return [
    ['empty', new Uint8Array(0)],
    ['one byte', Uint8Array.of(42)],
    ['text', new TextEncoder().encode('the quick brown fox jumps over the lazy dog, '.repeat(500))],
    ['zeros', new Uint8Array(250_000)],
    ['random', Uint8Array.from({ length: 150_000 }, () => Math.floor(rnd() * 256))],
    ['periodic', Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251)],
    ['runs', Uint8Array.from({ length: 100_000 }, (_, i) => Math.floor(i / 300) % 3)],
  ];
}

describe('fixture compressors', () => {
  for (const [name, data] of samples()) {
    it(`zstd, bz2 and lz4 round-trip ${name} through the readers' decompressors`, () => {
      expect(Buffer.from(decompressBlock('zstd', zstdCompress(data), data.length)).equals(Buffer.from(data))).toBe(
        true,
      );
      expect(Buffer.from(decompressBlock('bz2', bzip2Compress(data), data.length)).equals(Buffer.from(data))).toBe(
        true,
      );
      if (data.length > 0)
        expect(
          Buffer.from(decompressBlock('lz4', compressChunk('lz4', data), data.length)).equals(Buffer.from(data)),
        ).toBe(true);
    });
  }

  it('compresses redundant data', () => {
    const text = new TextEncoder().encode('sensor_msgs/NavSatFix latitude longitude altitude '.repeat(2000));
    expect(zstdCompress(text).length).toBeLessThan(text.length / 20);
    expect(bzip2Compress(text).length).toBeLessThan(text.length / 20);
  });

  it('rejects a block that decodes to another size than declared', () => {
    const z = zstdCompress(new Uint8Array(1000));
    expect(() => decompressBlock('zstd', z, 999)).toThrow(/(declare|decodes to) 1000 bytes, the header says 999/u);
    expect(() => decompressBlock('lz4', Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 10)).toThrow(/no LZ4 frame magic/u);
    expect(() => decompressBlock('brotli', Uint8Array.of(1), 1)).toThrow(/unsupported compression "brotli"/u);
  });
});

describe('selective decoding', () => {
  const messages: [RosType, keyof typeof WANTED, Record<string, unknown>][] = [
    [
      'sensor_msgs/NavSatFix',
      'fix',
      {
        header: { stamp: { sec: 1700000000, nsec: 123456789 }, frame_id: 'gnss' },
        status: { status: -1, service: 1 },
        latitude: 22.54,
        longitude: 114.05,
        altitude: 3,
        position_covariance: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]),
        position_covariance_type: 2,
      },
    ],
    [
      'nav_msgs/Odometry',
      'odometry',
      {
        header: { stamp: { sec: 1700000000, nsec: 5 }, frame_id: 'enu' },
        child_frame_id: 'base_link',
        pose: {
          pose: { position: { x: 1, y: 2, z: 3 }, orientation: { x: 0, y: 0, z: 0.3, w: 0.95 } },
          covariance: new Float64Array(36),
        },
        twist: {
          twist: { linear: { x: 4.5, y: -0.5, z: 0 }, angular: { x: 0, y: 0, z: 0.1 } },
          covariance: new Float64Array(36),
        },
      },
    ],
    [
      'sensor_msgs/Imu',
      'imu',
      {
        header: { stamp: { sec: 1700000000, nsec: 7 }, frame_id: 'base_link' },
        orientation: { x: 0, y: 0, z: 0, w: 1 },
        orientation_covariance: new Float64Array(9),
        angular_velocity: { x: 0, y: 0, z: 0.2 },
        angular_velocity_covariance: new Float64Array(9),
        linear_acceleration: { x: -3.5, y: 0.25, z: 9.8 },
        linear_acceleration_covariance: new Float64Array(9),
      },
    ],
  ];
  const ros2 = (m: Record<string, unknown>): Record<string, unknown> => {
    const h = m.header as { stamp: { sec: number; nsec: number }; frame_id: string };
    return { ...m, header: { stamp: { sec: h.stamp.sec, nanosec: h.stamp.nsec }, frame_id: h.frame_id } };
  };

  for (const [type, role, message] of messages) {
    it(`reads the same ${role} fields as the full decoder (ROS 1 and CDR)`, () => {
      const r1 = new Ros1Writer(parse(ROS1_DEFINITIONS[type])).writeMessage({
        ...message,
        header: { seq: 3, ...(message.header as object) },
      });
      const full1 = ros1Decoder(ROS1_DEFINITIONS[type]);
      const fast1 = selectiveDecoder(ROS1_DEFINITIONS[type], WANTED[role] ?? {}, false, full1);
      const r2 = new Ros2Writer(parse(ROS2_DEFINITIONS[type], { ros2: true })).writeMessage(ros2(message));
      const full2 = cdrDecoder(ROS2_DEFINITIONS[type]);
      const fast2 = selectiveDecoder(ROS2_DEFINITIONS[type], WANTED[role] ?? {}, true, full2);
      for (const [fast, full, bytes] of [
        [fast1, full1, r1],
        [fast2, full2, r2],
      ] as const) {
        expect(fast).not.toBeNull();
        const a = fast?.(bytes) ?? {};
        const b = full(bytes);
        const pick = (o: Record<string, unknown>, want: Record<string, unknown>): unknown =>
          Object.fromEntries(
            Object.entries(want)
              .filter(([k]) => k in o)
              .map(([k, w]) => [
                k,
                w === true ? o[k] : pick(o[k] as Record<string, unknown>, w as Record<string, unknown>),
              ]),
          );
        expect(a).toEqual(pick(b, WANTED[role] as Record<string, unknown>));
        expect(() => fast?.(bytes.subarray(0, 30))).toThrow(RangeError);
      }
    });
  }
});
