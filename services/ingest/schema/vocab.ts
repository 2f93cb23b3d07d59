/** Driving modes as stored. `unknown` is for logs that do not record the mode. */
export const MODES = ['autonomous', 'manual', 'remote', 'unknown'] as const;
export type Mode = (typeof MODES)[number];

/** Event kinds: GB 44497-2024 (DSSAD) / UN R157 recorder events, then the ones avlog derives or imports. */
export const EVENT_KINDS = [
  'ads_activated',
  'ads_deactivated',
  'disengagement',
  'takeover_request',
  'mrm_started',
  'mrm_ended',
  'ads_failure',
  'vehicle_failure',
  'sensor_failure',
  'recorder_fault',
  'collision',
  'emergency_manoeuvre',
  'odd_exit',
  'remote_command',
  'traffic_violation',
  'harsh_brake',
  'harsh_accel',
  'harsh_lateral',
  'harsh_jerk',
  'speeding',
  'near_miss',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const INITIATORS = ['system', 'driver', 'remote', 'passenger'] as const;
export type Initiator = (typeof INITIATORS)[number];

/** `logged` by the vehicle, `detected` from telemetry, `imported` from a regulator file. */
export const EVENT_ORIGINS = ['logged', 'detected', 'imported'] as const;
export type EventOrigin = (typeof EVENT_ORIGINS)[number];

/**
 * Severity is kind-specific: braking tiers (`low` ≤ −3, `medium` ≤ −4, `high` ≤ −6 m/s²), injury levels for
 * collisions (`none` … `fatal`), speeding tiers by excess over the limit.
 */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'none', 'minor', 'moderate', 'serious', 'fatal'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Why a row was quarantined. Each is a class of real-log defect a user can act on. */
export const QUARANTINE_REASONS = {
  malformed_row: 'the line does not parse as a record (wrong field count, bad quoting, invalid JSON)',
  truncated_row: 'the last line of the file ends mid-record',
  missing_field: 'a required field is empty or absent',
  bad_number: 'a numeric field is not a finite number',
  bad_timestamp: 'the timestamp cannot be read in any supported form',
  lat_out_of_range: 'latitude outside −90…90',
  lon_out_of_range: 'longitude outside −180…180',
  null_island: 'position is (0, 0): the receiver had no fix',
  lat_lon_swapped: 'latitude and longitude are swapped (the pair is only plausible the other way round)',
  speed_out_of_range: 'speed is negative or above 100 m/s',
  position_jump: 'distance from the previous sample implies a speed no car can reach',
  duplicate_timestamp: 'the vehicle already has a sample at this instant',
  timestamp_backwards: 'the timestamp is earlier than the vehicle’s previous sample',
  duplicate_sample:
    'the lake already holds this vehicle’s sample at this instant, from another file (the detail names it): identity is (vehicle, ts)',
  timestamp_out_of_range:
    'the timestamp is before the earliest plausible date (--earliest, default 2000-01-01) or after now + 1 day',
  overlap: 'an earlier file of the same drive already holds this instant (split recordings that overlap)',
  unknown_mode: 'the driving-mode value is not one avlog knows',
  bad_identifier: 'company or vehicle id contains characters that cannot name a partition',
  unknown_event_kind: 'the event kind is not one avlog knows',
  bad_enum: 'an initiator or severity value is not one avlog knows',
  bad_checksum: 'the record’s checksum does not match its bytes (NMEA checksum, GB/T 32960 BCC, MCAP chunk CRC)',
  corrupt_chunk:
    'a compressed block (MCAP chunk, ROS bag chunk) does not decompress or parse: the messages in it are lost',
  unknown_schema: 'a channel avlog would use has a schema or encoding it cannot decode (one row per channel)',
  undecodable_message: 'a message does not decode with its channel’s schema, or lacks the fields its type must have',
  superseded_version:
    'a regulator report row that a later version of the same report in the file replaces (NHTSA SGO: only the latest version counts)',
} as const;
export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

/** `empty`: read, but it yields no telemetry and no events (and holds none already stored): not remembered as ingested. */
export const SOURCE_STATUSES = ['ingested', 'failed', 'empty'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

export const SOURCE_FORMATS = [
  'csv',
  'jsonl',
  'arrow-ipc',
  'mcap',
  'rosbag',
  'nmea',
  'gbt32960',
  'ca-dmv-mileage',
  'ca-dmv-disengagement',
  'nhtsa-sgo',
] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** What a source holds: a telemetry track or an event log. */
export const SOURCE_KINDS = ['telemetry', 'events'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const CRSES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRSES)[number];

export const ENCODINGS = ['utf-8', 'gbk', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];
