/**
 * What avlog takes from each kind of robotics message, by schema name. ROS 1 (`pkg/Type`), ROS 2
 * (`pkg/msg/Type`) and dotted protobuf/JSON-schema names (`foxglove.LocationFix`) are folded to one key.
 * docs/mcap-profile.md lists these for users; keep the two in step.
 */
export type Role =
  /** A position: sensor_msgs/NavSatFix, foxglove LocationFix, gps_common/GPSFix. */
  | 'fix'
  /** Speed from the twist: nav_msgs/Odometry. */
  | 'odometry'
  /** Acceleration: sensor_msgs/Imu. */
  | 'imu'
  /** Ground velocity in ENU (a GNSS receiver's): geometry_msgs/TwistStamped on a `…vel…` topic. */
  | 'gnss_velocity'
  /** Driving mode: Autoware ControlModeReport / OperationModeState, Apollo Chassis. */
  | 'mode'
  /** JSON vehicle state (avlog.VehicleState): mode, speed, ADS version, identity. */
  | 'vehicle_state'
  /** JSON events (avlog.Event). */
  | 'event';

const ROLE_BY_SCHEMA: Record<string, Role> = {
  'sensor_msgs/navsatfix': 'fix',
  'foxglove/locationfix': 'fix',
  'foxglove_msgs/locationfix': 'fix',
  'gps_common/gpsfix': 'fix',
  'gps_msgs/gpsfix': 'fix',
  'nav_msgs/odometry': 'odometry',
  'sensor_msgs/imu': 'imu',
  'autoware_auto_vehicle_msgs/controlmodereport': 'mode',
  'autoware_vehicle_msgs/controlmodereport': 'mode',
  'autoware_adapi_v1_msgs/operationmodestate': 'mode',
  'apollo/canbus/chassis': 'mode',
  'pb_msgs/chassis': 'mode',
  'avlog/vehiclestate': 'vehicle_state',
  'avlog/event': 'event',
};

/** Topics whose JSON (or std_msgs/String JSON text) is vehicle state or events without a schema name. */
const VEHICLE_STATE_TOPICS = new Set(['/avlog/vehicle_state', '/vehicle/state', '/vehicle_state']);
const EVENT_TOPICS = new Set(['/avlog/events', '/events', '/avlog/event']);

/** `sensor_msgs/msg/NavSatFix`, `sensor_msgs/NavSatFix`, `foxglove.LocationFix` → one lowercase key. */
export function schemaKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\./gu, '/')
    .replace(/\/msg\//u, '/');
}

/** The role of a channel, or null when avlog does not use it. `text` channels carry JSON in std_msgs/String. */
export function roleOf(schemaName: string, topic: string): Role | null {
  const key = schemaKey(schemaName);
  const byName = ROLE_BY_SCHEMA[key];
  if (byName) return byName;
  if (key === 'geometry_msgs/twiststamped' || key === 'geometry_msgs/twistwithcovariancestamped') {
    return /(gps|gnss|navsat|fix).*vel|^\/vel(ocity)?$/iu.test(topic) ? 'gnss_velocity' : null;
  }
  const t = topic.toLowerCase();
  if (key === '' || key === 'std_msgs/string' || key.startsWith('avlog/')) {
    if (VEHICLE_STATE_TOPICS.has(t)) return 'vehicle_state';
    if (EVENT_TOPICS.has(t)) return 'event';
  }
  return null;
}

/** The topic a fleet should use for a role, in the avlog MCAP profile; picked first when several exist. */
export const PROFILE_TOPICS: Readonly<Record<Role, string>> = {
  fix: '/avlog/fix',
  odometry: '/avlog/odom',
  imu: '/avlog/imu',
  gnss_velocity: '/avlog/gnss_vel',
  mode: '/avlog/control_mode',
  vehicle_state: '/avlog/vehicle_state',
  event: '/avlog/events',
};

/** Autoware ControlModeReport.mode. Partial automation (steer or speed only) leaves the driver in charge. */
const AUTOWARE_CONTROL_MODE: Record<number, string> = {
  0: 'unknown', // NO_COMMAND
  1: 'autonomous', // AUTONOMOUS
  2: 'manual', // AUTONOMOUS_STEER_ONLY
  3: 'manual', // AUTONOMOUS_VELOCITY_ONLY
  4: 'manual', // MANUAL
  5: 'manual', // DISENGAGED
  6: 'manual', // NOT_READY
};

/** Autoware AD API OperationModeState.mode, when Autoware control is enabled. */
const AUTOWARE_OPERATION_MODE: Record<number, string> = {
  0: 'unknown', // UNKNOWN
  1: 'autonomous', // STOP (Autoware holds the vehicle)
  2: 'autonomous', // AUTONOMOUS
  3: 'manual', // LOCAL (joystick)
  4: 'remote', // REMOTE
};

/** Apollo canbus Chassis.DrivingMode, by number and by enum name. */
const APOLLO_DRIVING_MODE: Record<string, string> = {
  0: 'manual',
  1: 'autonomous',
  2: 'manual',
  3: 'manual',
  4: 'manual',
  complete_manual: 'manual',
  complete_auto_drive: 'autonomous',
  auto_steer_only: 'manual',
  auto_speed_only: 'manual',
  emergency_mode: 'manual',
};

/** The avlog mode (`autonomous manual remote unknown`) of a mode message, or null when it has none. */
export function modeOf(schemaName: string, msg: Record<string, unknown>): string | null {
  const key = schemaKey(schemaName);
  if (key.endsWith('/controlmodereport')) {
    const m = Number(msg.mode);
    return AUTOWARE_CONTROL_MODE[m] ?? null;
  }
  if (key.endsWith('/operationmodestate')) {
    const m = Number(msg.mode);
    if (msg.is_autoware_control_enabled === false) return 'manual';
    return AUTOWARE_OPERATION_MODE[m] ?? null;
  }
  const dm = msg.driving_mode ?? msg.drivingMode;
  if (dm === undefined || dm === null) return null;
  return APOLLO_DRIVING_MODE[String(dm).trim().toLowerCase()] ?? String(dm);
}
