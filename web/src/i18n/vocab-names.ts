import type { Lang } from '../state/app-state.js';

/** Event kinds in both languages (GB 44497 terms in Chinese). */
const KINDS: Record<string, [en: string, zh: string]> = {
  ads_activated: ['ADS activated', '自动驾驶系统激活'],
  ads_deactivated: ['ADS deactivated', '自动驾驶系统退出'],
  disengagement: ['Disengagement', '脱离/人工接管'],
  takeover_request: ['Takeover request', '接管请求'],
  mrm_started: ['Minimal-risk manoeuvre', '最小风险策略开始'],
  mrm_ended: ['Minimal-risk manoeuvre ended', '最小风险策略结束'],
  ads_failure: ['ADS failure', '自动驾驶系统故障'],
  vehicle_failure: ['Vehicle failure', '车辆故障'],
  sensor_failure: ['Sensor failure', '传感器故障'],
  recorder_fault: ['Recorder fault', '记录系统故障'],
  collision: ['Collision', '碰撞'],
  emergency_manoeuvre: ['Emergency manoeuvre', '紧急操作'],
  odd_exit: ['ODD exit', '驶出设计运行范围'],
  remote_command: ['Remote command', '远程指令'],
  traffic_violation: ['Traffic violation', '交通违法'],
  harsh_brake: ['Harsh braking', '急刹车'],
  harsh_accel: ['Harsh acceleration', '急加速'],
  harsh_lateral: ['Harsh lateral', '急转向'],
  harsh_jerk: ['Harsh jerk', '急冲击'],
  speeding: ['Speeding', '超速'],
  near_miss: ['Near miss', '险情'],
};

const SEVERITIES: Record<string, [string, string]> = {
  info: ['info', '提示'],
  low: ['low', '低'],
  medium: ['medium', '中'],
  high: ['high', '高'],
  none: ['no injury', '无伤'],
  minor: ['minor', '轻微'],
  moderate: ['moderate', '中度'],
  serious: ['serious', '严重'],
  fatal: ['fatal', '死亡'],
};

const INITIATORS: Record<string, [string, string]> = {
  system: ['system', '系统'],
  driver: ['safety driver', '安全员'],
  remote: ['remote operator', '远程安全员'],
  passenger: ['passenger', '乘客'],
};

/** Shenzhen's districts (区), Chinese → English, for files that only carry Chinese names. */
const DISTRICTS: Record<string, string> = {
  福田: 'Futian',
  罗湖: 'Luohu',
  南山: 'Nanshan',
  盐田: 'Yantian',
  宝安: "Bao'an",
  龙岗: 'Longgang',
  龙华: 'Longhua',
  坪山: 'Pingshan',
  光明: 'Guangming',
  大鹏: 'Dapeng',
  深汕: 'Shenshan',
};

const pick = (table: Record<string, [string, string]>, key: string, lang: Lang) =>
  table[key]?.[lang === 'zh' ? 1 : 0] ?? key.replaceAll('_', ' ');

export const kindName = (kind: string, lang: Lang) => pick(KINDS, kind, lang);
export const severityName = (severity: string, lang: Lang) => pick(SEVERITIES, severity, lang);
export const initiatorName = (initiator: string, lang: Lang) => pick(INITIATORS, initiator, lang);

/** A district's name in the UI language: files name them in Chinese, with or without the 区 suffix. */
export function districtName(name: string, lang: Lang): string {
  if (lang === 'zh') return name;
  const bare = name.replace(/(新)?区$/u, '');
  return DISTRICTS[bare] ?? name;
}
