import type { RawSource } from '../raw-source.js';
import { TrackSource } from '../track/track-source.js';
import { McapStream, type McapReadMode } from './mcap-stream.js';

/**
 * MCAP (ROS 1, ROS 2/CDR, JSON and protobuf channels; chunks lz4, zstd or none): position fixes merged with
 * odometry, IMU, driving-mode and vehicle-state channels into one sample per fix; JSON event channels are the
 * event source. The log's identity comes from the `avlog` metadata record when it has one. See
 * docs/mcap-profile.md.
 */
export function openMcap(path: string, file: string, mode: McapReadMode = 'auto'): RawSource {
  return new TrackSource('mcap', new McapStream(path, file, mode), () => new McapStream(path, file, mode));
}
