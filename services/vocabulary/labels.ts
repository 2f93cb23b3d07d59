import type { EventKind, EventOrigin, Initiator, Mode, QuarantineReason, Severity } from '../ingest/schema/vocab.js';
import type { KindGroup } from './event-kinds.js';
import type { Label } from './label.js';

/**
 * Every stored value a person reads, in Chinese and English: one term per concept, the same on the map and in the
 * report. Tables are `Record`s over the value lists, so a value added without its term (or a term for
 * no value) fails to compile. English terms are lower case, as they read inside a sentence; a list or a heading
 * capitalises them. Chinese terms follow the national standards where they name the concept: GB/T 40429-2021
 * 汽车驾驶自动化分级 (介入请求, 最小风险策略, 设计运行范围), GB 44497-2024 自动驾驶数据记录系统 and UN R157
 * (自动驾驶系统激活/退出, 严重失效, 紧急操作), and the injury grades of 人体损伤程度鉴定标准 (轻微伤, 轻伤, 重伤).
 */
export const KIND_LABELS = {
  ads_activated: { zh: '自动驾驶系统激活', en: 'ADS activated' },
  ads_deactivated: { zh: '自动驾驶系统退出', en: 'ADS deactivated' },
  disengagement: { zh: '脱离', en: 'disengagement' },
  takeover_request: { zh: '介入请求', en: 'takeover request' },
  mrm_started: { zh: '最小风险策略开始', en: 'minimal-risk manoeuvre' },
  mrm_ended: { zh: '最小风险策略结束', en: 'minimal-risk manoeuvre ended' },
  ads_failure: { zh: '自动驾驶系统严重失效', en: 'ADS failure' },
  vehicle_failure: { zh: '车辆故障', en: 'vehicle failure' },
  sensor_failure: { zh: '传感器故障', en: 'sensor failure' },
  recorder_fault: { zh: '记录系统故障', en: 'recorder fault' },
  collision: { zh: '碰撞', en: 'collision' },
  emergency_manoeuvre: { zh: '紧急操作', en: 'emergency manoeuvre' },
  odd_exit: { zh: '驶出设计运行范围', en: 'ODD exit' },
  remote_command: { zh: '远程指令', en: 'remote command' },
  traffic_violation: { zh: '交通违法', en: 'traffic violation' },
  harsh_brake: { zh: '急减速', en: 'harsh braking' },
  harsh_accel: { zh: '急加速', en: 'harsh acceleration' },
  harsh_lateral: { zh: '急转弯', en: 'harsh lateral' },
  harsh_jerk: { zh: '急动度超限', en: 'harsh jerk' },
  speeding: { zh: '超速', en: 'speeding' },
  near_miss: { zh: '险情', en: 'near miss' },
} as const satisfies Record<EventKind, Label>;

export const KIND_GROUP_LABELS = {
  collision: { zh: '碰撞、险情', en: 'collision, near miss' },
  takeover: { zh: '接管、脱离', en: 'takeover, disengagement' },
  system_fault: { zh: '系统故障', en: 'system fault' },
  harsh_driving: { zh: '急加减速、超速、违法', en: 'harsh driving, speeding, violations' },
  bookkeeping: { zh: '系统状态', en: 'ADS state' },
} as const satisfies Record<KindGroup, Label>;

export const MODE_LABELS = {
  autonomous: { zh: '自动驾驶', en: 'autonomous' },
  manual: { zh: '人工驾驶', en: 'manual' },
  remote: { zh: '远程驾驶', en: 'remote' },
  unknown: { zh: '未知', en: 'unknown' },
} as const satisfies Record<Mode, Label>;

export const SEVERITY_LABELS = {
  info: { zh: '提示', en: 'info' },
  low: { zh: '低', en: 'low' },
  medium: { zh: '中', en: 'medium' },
  high: { zh: '高', en: 'high' },
  none: { zh: '无伤', en: 'no injury' },
  minor: { zh: '轻微伤', en: 'minor' },
  moderate: { zh: '轻伤', en: 'moderate' },
  serious: { zh: '重伤', en: 'serious' },
  fatal: { zh: '死亡', en: 'fatal' },
} as const satisfies Record<Severity, Label>;

export const INITIATOR_LABELS = {
  system: { zh: '系统', en: 'system' },
  driver: { zh: '安全员', en: 'safety driver' },
  remote: { zh: '远程安全员', en: 'remote operator' },
  passenger: { zh: '乘客', en: 'passenger' },
} as const satisfies Record<Initiator, Label>;

export const ORIGIN_LABELS = {
  logged: { zh: '车端记录', en: 'logged' },
  detected: { zh: '数据识别', en: 'detected' },
  imported: { zh: '外部导入', en: 'imported' },
} as const satisfies Record<EventOrigin, Label>;

/** Why a row was quarantined (the reasons' meanings are in `QUARANTINE_REASONS`). */
export const QUARANTINE_REASON_LABELS = {
  malformed_row: { zh: '记录格式错误', en: 'malformed row' },
  truncated_row: { zh: '末行截断', en: 'truncated last row' },
  missing_field: { zh: '必填字段缺失', en: 'missing field' },
  bad_number: { zh: '数值无效', en: 'invalid number' },
  bad_timestamp: { zh: '时间戳无法识别', en: 'unreadable timestamp' },
  lat_out_of_range: { zh: '纬度超出范围', en: 'latitude out of range' },
  lon_out_of_range: { zh: '经度超出范围', en: 'longitude out of range' },
  null_island: { zh: '无定位（0, 0）', en: 'no fix (0, 0)' },
  lat_lon_swapped: { zh: '经纬度颠倒', en: 'latitude and longitude swapped' },
  speed_out_of_range: { zh: '车速超出范围', en: 'speed out of range' },
  position_jump: { zh: '位置跳变', en: 'position jump' },
  duplicate_timestamp: { zh: '时间戳重复', en: 'duplicate timestamp' },
  timestamp_backwards: { zh: '时间倒退', en: 'timestamp going backwards' },
  overlap: { zh: '与前一文件重叠', en: 'overlaps an earlier file' },
  unknown_mode: { zh: '驾驶模式未知', en: 'unknown driving mode' },
  bad_identifier: { zh: '主体或车辆编号无效', en: 'invalid company or vehicle id' },
  unknown_event_kind: { zh: '事件类型未知', en: 'unknown event kind' },
  bad_enum: { zh: '发起方或程度取值无效', en: 'invalid initiator or severity' },
  bad_checksum: { zh: '校验和不符', en: 'checksum mismatch' },
  corrupt_chunk: { zh: '数据块损坏', en: 'corrupt block' },
  unknown_schema: { zh: '通道格式无法解码', en: 'undecodable channel schema' },
  undecodable_message: { zh: '消息无法解码', en: 'undecodable message' },
  superseded_version: { zh: '已被新版本取代', en: 'superseded by a later version' },
  duplicate_sample: { zh: '样本已入库（重复上传）', en: 'sample already stored (re-upload)' },
  timestamp_out_of_range: { zh: '时间戳超出合理范围', en: 'timestamp outside the plausible range' },
  oversize_record: { zh: '数据块超出解压上限', en: 'block larger than the decompression ceiling' },
} as const satisfies Record<QuarantineReason, Label>;

/** A term with its first letter capitalised, for lists and headings. */
export const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
