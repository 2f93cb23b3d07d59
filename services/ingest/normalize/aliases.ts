/**
 * Column names real exports use, mapped to avlog's input fields. Matching ignores case, spaces, `-`, `_`, `.`
 * and a bracketed unit suffix, so `Speed (km/h)`, `speed_kmh` and `SPEED-KMH` are one name.
 * docs/log-formats.md lists these for users; keep the two in step.
 */
export const TELEMETRY_FIELDS = {
  ts: [
    'ts',
    'timestamp',
    'time',
    'datetime',
    'date_time',
    'gps_time',
    'gpstime',
    'utc_time',
    'stamp',
    '时间',
    '采集时间',
    '定位时间',
    'gps时间',
  ],
  ts_s: ['ts_s', 'unix_time', 'unixtime', 'epoch', 'epoch_s', 'time_s', 'timestamp_s'],
  ts_ms: ['ts_ms', 'timestamp_ms', 'time_ms', 'epoch_ms'],
  ts_us: ['ts_us', 'timestamp_us', 'time_us', 'epoch_us'],
  ts_ns: ['ts_ns', 'timestamp_ns', 'time_ns', 'epoch_ns', 'stamp_ns', 'log_time'],
  company_id: ['company_id', 'company', 'operator', 'fleet', 'test_entity', '公司', '企业', '测试主体'],
  vehicle_id: [
    'vehicle_id',
    'vehicle',
    'vehicle_num',
    'vehiclenum',
    'vin',
    'plate',
    'car_id',
    'id',
    'device_id',
    '车辆',
    '车牌',
    '车牌号',
    '车辆编号',
  ],
  lat: ['lat', 'latitude', 'gps_lat', 'y', '纬度'],
  lon: ['lon', 'lng', 'long', 'longitude', 'gps_lon', 'gps_lng', 'x', '经度'],
  lat_gcj02: ['lat_gcj02', 'gcj_lat', 'gcj02_lat'],
  lon_gcj02: ['lon_gcj02', 'lng_gcj02', 'gcj_lon', 'gcj_lng', 'gcj02_lon', 'gcj02_lng'],
  lat_bd09: ['lat_bd09', 'bd_lat', 'bd09_lat'],
  lon_bd09: ['lon_bd09', 'lng_bd09', 'bd_lon', 'bd_lng', 'bd09_lon', 'bd09_lng'],
  speed: ['speed', 'velocity', 'gps_speed', 'spd'],
  speed_mps: ['speed_mps', 'speed_ms', 'speed_m_s', 'velocity_mps', 'velocity_ms', 'v_mps', '速度_ms', '车速_ms'],
  speed_kmh: [
    'speed_kmh',
    'speed_kph',
    'speed_km_h',
    'velocity_kmh',
    'kmh',
    'kph',
    '速度',
    '车速',
    '速度_kmh',
    '车速_kmh',
    'gps_speed_kmh',
  ],
  heading_deg: [
    'heading_deg',
    'heading',
    'course',
    'bearing',
    'direction',
    'azimuth',
    'yaw_deg',
    '方向',
    '航向',
    '方向角',
  ],
  accel_lon_mps2: [
    'accel_lon_mps2',
    'accel_lon',
    'accel_x',
    'ax',
    'acc_x',
    'long_accel',
    'longitudinal_acceleration',
    'acceleration',
    '纵向加速度',
  ],
  accel_lat_mps2: [
    'accel_lat_mps2',
    'accel_lat',
    'accel_y',
    'ay',
    'acc_y',
    'lat_accel',
    'lateral_acceleration',
    '横向加速度',
  ],
  mode: [
    'mode',
    'driving_mode',
    'drive_mode',
    'autonomy_mode',
    'control_mode',
    'ads_mode',
    'ads_engaged',
    'autonomous',
    '驾驶模式',
    '模式',
  ],
  ads_version: ['ads_version', 'software_version', 'sw_version', 'version', 'ads_sw', '软件版本', '系统版本'],
} as const;

export const EVENT_FIELDS = {
  ts: TELEMETRY_FIELDS.ts,
  ts_s: TELEMETRY_FIELDS.ts_s,
  ts_ms: TELEMETRY_FIELDS.ts_ms,
  ts_us: TELEMETRY_FIELDS.ts_us,
  ts_ns: TELEMETRY_FIELDS.ts_ns,
  ts_end: ['ts_end', 'end_time', 'time_end', 'end_ts', 'end', '结束时间'],
  company_id: TELEMETRY_FIELDS.company_id,
  vehicle_id: TELEMETRY_FIELDS.vehicle_id,
  drive_id: ['drive_id', 'drive', 'trip_id', 'session_id'],
  kind: ['kind', 'event', 'event_type', 'type', 'event_kind', '事件', '事件类型'],
  severity: ['severity', 'level', 'injury', 'injury_severity', '严重程度', '等级'],
  initiator: ['initiator', 'initiated_by', 'by', 'trigger', '发起方', '接管方'],
  cause: ['cause', 'reason', 'description', '原因', '描述'],
  lat: TELEMETRY_FIELDS.lat,
  lon: TELEMETRY_FIELDS.lon,
  lat_gcj02: TELEMETRY_FIELDS.lat_gcj02,
  lon_gcj02: TELEMETRY_FIELDS.lon_gcj02,
  lat_bd09: TELEMETRY_FIELDS.lat_bd09,
  lon_bd09: TELEMETRY_FIELDS.lon_bd09,
  speed: TELEMETRY_FIELDS.speed,
  speed_mps: TELEMETRY_FIELDS.speed_mps,
  speed_kmh: TELEMETRY_FIELDS.speed_kmh,
  peak: ['peak', 'peak_value', 'peak_accel', 'value'],
  detail: ['detail', 'details', 'data', 'payload', 'note', '备注'],
} as const;

export type TelemetryField = keyof typeof TELEMETRY_FIELDS;
export type EventField = keyof typeof EVENT_FIELDS;

/** Folds a header cell to the form aliases are compared in. */
export function foldName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s*[([（【].*?[)\]）】]\s*$/u, (unit) => `_${unit.replace(/[()[\]（）【】\s/]/gu, '')}`)
    .replace(/[\s\-.]+/gu, '_')
    .replace(/_+$/u, '');
}

/**
 * Maps header names to fields. Returns field → column index; the first column matching a field wins.
 * Unit suffixes in brackets are folded into the name, so `speed (km/h)` becomes `speed_kmh`.
 */
export function mapHeader<F extends string>(
  header: readonly string[],
  fields: Record<F, readonly string[]>,
): Partial<Record<F, number>> {
  const lookup = new Map<string, F>();
  for (const [field, names] of Object.entries(fields) as [F, readonly string[]][]) {
    for (const n of names) if (!lookup.has(n)) lookup.set(n, field);
  }
  const out: Partial<Record<F, number>> = {};
  header.forEach((cell, index) => {
    const field = lookup.get(foldName(cell));
    if (field !== undefined && out[field] === undefined) out[field] = index;
  });
  return out;
}
