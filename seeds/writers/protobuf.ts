import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';

/**
 * Protobuf schemas and messages the seeds write to MCAP: foxglove.LocationFix (Foxglove's field numbers) and an
 * Apollo-style apollo.canbus.Chassis, declared in .proto syntax and encoded by protobufjs. MCAP stores a
 * `protobuf` schema as a FileDescriptorSet, which protobufjs builds from the same declarations.
 */

const TIMESTAMP_PROTO = `syntax = "proto3"; package google.protobuf;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }`;

const LOCATION_FIX_PROTO = `syntax = "proto3"; package foxglove;
message LocationFix {
  enum PositionCovarianceType { UNKNOWN = 0; APPROXIMATED = 1; DIAGONAL_KNOWN = 2; KNOWN = 3; }
  double latitude = 1;
  double longitude = 2;
  double altitude = 3;
  repeated double position_covariance = 4;
  PositionCovarianceType position_covariance_type = 5;
  google.protobuf.Timestamp timestamp = 6;
  string frame_id = 7;
}`;

const HEADER_PROTO = `syntax = "proto3"; package apollo.common;
message Header { double timestamp_sec = 1; string module_name = 2; uint32 sequence_num = 3; }`;

const CHASSIS_PROTO = `syntax = "proto3"; package apollo.canbus;
message Chassis {
  enum DrivingMode { COMPLETE_MANUAL = 0; COMPLETE_AUTO_DRIVE = 1; AUTO_STEER_ONLY = 2; AUTO_SPEED_ONLY = 3; EMERGENCY_MODE = 4; }
  bool engine_started = 3;
  float speed_mps = 5;
  DrivingMode driving_mode = 21;
  apollo.common.Header header = 25;
}`;

function rootOf(...sources: string[]): protobuf.Root {
  const root = new protobuf.Root();
  for (const src of sources) protobuf.parse(src, root, { keepCase: true });
  root.resolveAll();
  return root;
}

function descriptorSet(root: protobuf.Root): Uint8Array {
  return descriptor.FileDescriptorSet.encode(root.toDescriptor('proto3')).finish();
}

const LOCATION_FIX = rootOf(TIMESTAMP_PROTO, LOCATION_FIX_PROTO);
const CHASSIS = rootOf(HEADER_PROTO, CHASSIS_PROTO);
const LocationFix = LOCATION_FIX.lookupType('foxglove.LocationFix');
const Chassis = CHASSIS.lookupType('apollo.canbus.Chassis');

export const LOCATION_FIX_DESCRIPTOR = descriptorSet(LOCATION_FIX);
export const APOLLO_CHASSIS_DESCRIPTOR = descriptorSet(CHASSIS);

/** Apollo Chassis.DrivingMode numbers (remote control logs as manual: Apollo has no remote mode). */
export const APOLLO_DRIVING_MODE = { manual: 0, autonomous: 1, remote: 0 } as const;

export function locationFixProto(stampNs: number, lat: number, lon: number): Uint8Array {
  const seconds = Math.floor(stampNs / 1e9);
  const nanos = Math.round(stampNs - seconds * 1e9);
  return LocationFix.encode({
    latitude: lat,
    longitude: lon,
    altitude: 0,
    timestamp: { seconds, nanos },
    frame_id: 'gnss',
  }).finish();
}

export function apolloChassisProto(stampNs: number, mode: keyof typeof APOLLO_DRIVING_MODE, speed: number): Uint8Array {
  return Chassis.encode({
    engine_started: true,
    speed_mps: speed,
    driving_mode: APOLLO_DRIVING_MODE[mode],
    header: { timestamp_sec: stampNs / 1e9, module_name: 'canbus' },
  }).finish();
}
