import { EVENT_KINDS, INITIATORS, SEVERITIES, type EventKind, type Initiator, type Severity } from '../schema/vocab.js';

const fold = (v: string) =>
  v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/gu, '_');

const KIND_WORDS: Record<string, EventKind> = {
  ...Object.fromEntries(EVENT_KINDS.map((k) => [k, k])),
  takeover: 'disengagement',
  manual_takeover: 'disengagement',
  接管: 'disengagement',
  人工接管: 'disengagement',
  脱离: 'disengagement',
  ads_engaged: 'ads_activated',
  激活: 'ads_activated',
  ads_disengaged: 'ads_deactivated',
  退出: 'ads_deactivated',
  tor: 'takeover_request',
  接管请求: 'takeover_request',
  mrm: 'mrm_started',
  minimal_risk_manoeuvre: 'mrm_started',
  minimal_risk_maneuver: 'mrm_started',
  最小风险策略: 'mrm_started',
  crash: 'collision',
  accident: 'collision',
  碰撞: 'collision',
  事故: 'collision',
  ads_fault: 'ads_failure',
  system_failure: 'ads_failure',
  系统故障: 'ads_failure',
  车辆故障: 'vehicle_failure',
  sensor_fault: 'sensor_failure',
  传感器故障: 'sensor_failure',
  记录仪故障: 'recorder_fault',
  emergency_maneuver: 'emergency_manoeuvre',
  紧急避险: 'emergency_manoeuvre',
  驶出设计运行范围: 'odd_exit',
  远程指令: 'remote_command',
  violation: 'traffic_violation',
  违章: 'traffic_violation',
  交通违法: 'traffic_violation',
  hard_brake: 'harsh_brake',
  急刹车: 'harsh_brake',
  急加速: 'harsh_accel',
  急转弯: 'harsh_lateral',
  超速: 'speeding',
};

const INITIATOR_WORDS: Record<string, Initiator> = {
  ...Object.fromEntries(INITIATORS.map((k) => [k, k])),
  ads: 'system',
  av_system: 'system',
  software: 'system',
  vehicle: 'system',
  系统: 'system',
  自动驾驶系统: 'system',
  safety_driver: 'driver',
  test_driver: 'driver',
  test_drive: 'driver',
  av: 'system',
  automated_driving_system: 'system',
  safety_officer: 'driver',
  operator: 'driver',
  human: 'driver',
  安全员: 'driver',
  驾驶员: 'driver',
  人工: 'driver',
  remote_operator: 'remote',
  teleoperator: 'remote',
  远程: 'remote',
  远程安全员: 'remote',
  rider: 'passenger',
  乘客: 'passenger',
};

const SEVERITY_WORDS: Record<string, Severity> = {
  ...Object.fromEntries(SEVERITIES.map((k) => [k, k])),
  no_injury: 'none',
  property_damage: 'none',
  无伤亡: 'none',
  轻微: 'minor',
  轻伤: 'minor',
  中等: 'moderate',
  重伤: 'serious',
  死亡: 'fatal',
  warning: 'info',
  提示: 'info',
  低: 'low',
  中: 'medium',
  高: 'high',
};

export function parseEventKind(value: string): EventKind | null {
  return KIND_WORDS[fold(value)] ?? null;
}

/** Free-text initiators ("Test Driver", "AV System - emergency stop") are matched on their leading words. */
export function parseInitiator(value: string): Initiator | null {
  const f = fold(value);
  const exact = INITIATOR_WORDS[f];
  if (exact) return exact;
  if (/driver|(^|_)test_drive(_|$)|operator|安全员/u.test(f)) return /remote|远程/u.test(f) ? 'remote' : 'driver';
  if (/system|ads|software|自动驾驶/u.test(f)) return 'system';
  if (/remote|远程/u.test(f)) return 'remote';
  if (/passenger|乘客/u.test(f)) return 'passenger';
  return null;
}

export function parseSeverity(value: string): Severity | null {
  return SEVERITY_WORDS[fold(value)] ?? null;
}
