import type { DriveTrace } from '../trace.js';
import type { EventLine } from './events.js';
import { writeMcap, type McapCompression } from './mcap.js';
import type { DriveMeta } from './meta.js';
import { writeRosbag } from './rosbag.js';

/**
 * A drive as a robotics recording in the avlog MCAP profile (docs/mcap-profile.md): fix, odometry, IMU, driving
 * mode (Autoware OperationModeState, which has remote driving), JSON vehicle state and the vehicle's logged
 * events on `/avlog/events` — the recording is the drive's event log too.
 */
export type RecordingWriter = (file: string, trace: DriveTrace, meta: DriveMeta, events: readonly EventLine[]) => void;

/** MCAP as `ros2 bag record -s mcap` writes it: ROS 2 CDR messages in compressed chunks with a summary. */
export function mcapRecording(compression: Exclude<McapCompression, 'none'>): RecordingWriter {
  return (file, trace, meta, events) => writeMcap(file, trace, meta, { encoding: 'ros2', compression, events });
}

/** A ROS1 bag in lz4 chunks (`rosbag record --lz4`; bz2 compresses too slowly in JavaScript for a fleet). */
export const writeBagRecording: RecordingWriter = (file, trace, meta, events) =>
  writeRosbag(file, trace, meta, { compression: 'lz4', events });
