import type { Label, Lang } from '../vocabulary/label.js';
import { INITIATOR_LABELS, MODE_LABELS, SEVERITY_LABELS } from '../vocabulary/labels.js';
import type { SectionId } from './model.js';
import type { PeriodKind } from './period.js';

export const SECTION_TITLES: Record<SectionId | 'appendix' | 'flags' | 'months' | 'definitions' | 'signature', Label> =
  {
    header: { zh: '基本信息', en: 'Header' },
    fleet: { zh: '车队情况', en: 'Fleet' },
    exposure: { zh: '测试里程与时长', en: 'Exposure' },
    gates: { zh: '审批门槛进展', en: 'Progress toward approval gates' },
    disengagements: { zh: '脱离（人工接管）', en: 'Disengagements' },
    accidents: { zh: '交通事故', en: 'Accidents' },
    violations: { zh: '交通违法', en: 'Traffic violations' },
    safety_events: { zh: '安全关键事件', en: 'Safety-critical events' },
    system_health: { zh: '系统健康', en: 'System health' },
    data_compliance: { zh: '数据合规', en: 'Data compliance' },
    map: { zh: '路线与事件地图', en: 'Map of routes and incidents' },
    changes: { zh: '环比变化', en: 'Changes since last month' },
    appendix: { zh: '附录：事件清单', en: 'Appendix: incidents' },
    flags: { zh: '需关注事项', en: 'Flags' },
    months: { zh: '逐月构成', en: 'Month by month' },
    definitions: { zh: '指标定义与数据来源', en: 'Definitions and sources' },
    signature: { zh: '报送与签章', en: 'Submission and signature' },
  };

export const REPORT_TITLE: Label = {
  zh: '自动驾驶道路测试月度报告',
  en: 'Autonomous-driving road test: monthly report',
};
/** The reports of every kind (the list's title). */
export const REPORTS_TITLE: Label = { zh: '自动驾驶道路测试报告', en: 'Autonomous-driving road test reports' };

/** How a report names its period, the one it compares with, and itself: by the kind of period. */
export interface PeriodWords {
  title: Label;
  /** Short name of the kind: 月报 / monthly. */
  short: Label;
  /** 本月 / this month. */
  this: Label;
  /** 上月 / previous month. */
  previous: Label;
  /** The changes section's title. */
  changes: Label;
}

export const PERIOD_WORDS: Record<PeriodKind, PeriodWords> = {
  month: {
    title: REPORT_TITLE,
    short: { zh: '月度报告', en: 'monthly' },
    this: { zh: '本月', en: 'this month' },
    previous: { zh: '上月', en: 'previous month' },
    changes: { zh: '环比变化', en: 'Changes since last month' },
  },
  // Guangdong's stage report (阶段性报告), due each quarter.
  quarter: {
    title: { zh: '自动驾驶道路测试季度阶段报告', en: 'Autonomous-driving road test: quarterly stage report' },
    short: { zh: '季度阶段报告', en: 'quarterly' },
    this: { zh: '本季度', en: 'this quarter' },
    previous: { zh: '上季度', en: 'previous quarter' },
    changes: { zh: '较上季度变化', en: 'Changes since the previous quarter' },
  },
  // Guangdong's summary report (总结报告), due within a month after a test ends.
  range: {
    title: { zh: '自动驾驶道路测试总结报告', en: 'Autonomous-driving road test: summary report' },
    short: { zh: '测试总结报告', en: 'summary' },
    this: { zh: '本期', en: 'this period' },
    previous: { zh: '上期', en: 'previous period' },
    changes: { zh: '较前一等长期间变化', en: 'Changes since the preceding period of equal length' },
  },
};

export const FLEET_WIDE: Label = { zh: '全市汇总（所有测试主体）', en: 'Fleet-wide (all test companies)' };

/** Modes as the report's tables name them: the vocabulary's, and their total. */
export const MODE_TERMS: Readonly<Record<string, Label>> = { ...MODE_LABELS, total: { zh: '合计', en: 'total' } };

export const OPERATION_LABELS: Record<string, Label> = {
  autonomous_safety_driver: { zh: '自动驾驶（有安全员）', en: 'autonomous, safety driver aboard' },
  autonomous_driverless: { zh: '自动驾驶（无人）', en: 'autonomous, driverless' },
  autonomous_vehicle_type_unknown: { zh: '自动驾驶（车辆类型未登记）', en: 'autonomous, vehicle type not recorded' },
  remote: { zh: '远程驾驶', en: 'remote operation' },
  manual: { zh: '人工驾驶', en: 'manual (safety driver)' },
};

/** Severities, and the report's word for a collision whose injury the record does not give. */
export const SEVERITY_TERMS: Readonly<Record<string, Label>> = {
  ...SEVERITY_LABELS,
  unspecified: { zh: '未注明', en: 'unspecified' },
};

/** Initiators, and the report's word for a disengagement whose initiator the record does not give. */
export const INITIATOR_TERMS: Readonly<Record<string, Label>> = {
  ...INITIATOR_LABELS,
  unknown: { zh: '未记录', en: 'not recorded' },
};

export const GATE_STATUS: Record<string, Label> = {
  met: { zh: '已达到', en: 'met' },
  not_met: { zh: '未达到', en: 'not met' },
  blocked: {
    zh: '里程/时长已达到，但有违法或责任事故',
    en: 'distance/time reached, but violations or at-fault accidents',
  },
  pending_liability: { zh: '里程/时长已达到，事故责任待认定', en: 'distance/time reached, accident liability pending' },
};

/** Labels and units of the figures the changes section compares month over month. */
export const FIGURES: Record<string, Label & { unit: string }> = {
  km_autonomous: { zh: '自动驾驶里程', en: 'autonomous km', unit: 'km' },
  km_manual: { zh: '人工驾驶里程', en: 'manual km', unit: 'km' },
  km_remote: { zh: '远程驾驶里程', en: 'remote km', unit: 'km' },
  km_total: { zh: '总里程', en: 'total km', unit: 'km' },
  h_autonomous: { zh: '自动驾驶时长', en: 'autonomous hours', unit: 'h' },
  h_manual: { zh: '人工驾驶时长', en: 'manual hours', unit: 'h' },
  h_remote: { zh: '远程驾驶时长', en: 'remote hours', unit: 'h' },
  h_total: { zh: '总时长', en: 'total hours', unit: 'h' },
  vehicles_active: { zh: '在测车辆', en: 'vehicles active', unit: '' },
  vehicle_days: { zh: '车辆测试日', en: 'vehicle-days', unit: '' },
  disengagements: { zh: '脱离次数', en: 'disengagements', unit: '' },
  disengagements_per_1000_km: { zh: '每千公里脱离', en: 'disengagements per 1,000 km', unit: '/1000 km' },
  km_per_disengagement: { zh: '平均脱离间隔里程', en: 'km per disengagement', unit: 'km' },
  collisions: { zh: '碰撞事故', en: 'collisions', unit: '' },
  collisions_per_million_km: { zh: '每百万公里事故', en: 'collisions per million km', unit: '/1M km' },
  violations: { zh: '交通违法（记录）', en: 'traffic violations (recorded)', unit: '' },
  speeding_episodes: { zh: '超速片段', en: 'speeding episodes', unit: '' },
  speeding_share: { zh: '自动驾驶超速里程占比', en: 'autonomous km above limit', unit: '%' },
  safety_events: { zh: '安全关键事件', en: 'safety-critical events', unit: '' },
  safety_events_per_1000_km: {
    zh: '每千公里安全关键事件',
    en: 'safety-critical events per 1,000 km',
    unit: '/1000 km',
  },
  health_events: { zh: '系统健康事件', en: 'system health events', unit: '' },
  position_coverage: { zh: '定位数据达标时长占比', en: 'autonomous time at required position rate', unit: '%' },
  gaps: { zh: '数据中断次数', en: 'recording gaps', unit: '' },
  quarantined_rows: { zh: '隔离数据行', en: 'quarantined rows', unit: '' },
};

/** How a month of the period (or the period) stands: final, nothing received, or not yet over. */
export const MONTH_STATUS: Readonly<Record<string, Label>> = {
  complete: { zh: '完整', en: 'complete' },
  no_data: { zh: '未收到数据', en: 'no data received' },
  not_ended: { zh: '尚未开始或未收到数据', en: 'not yet ended, no data yet' },
  in_progress: { zh: '尚未结束（截至生成时间）', en: 'incomplete: not yet ended' },
};

/** Words the renderers need. */
export const UI: Record<string, Label> = {
  company: { zh: '测试主体', en: 'Company' },
  period: { zh: '报告期', en: 'Period' },
  previous: { zh: '上月', en: 'Previous month' },
  generated: { zh: '生成时间', en: 'Generated' },
  fingerprint: { zh: '输入指纹', en: 'Input fingerprint' },
  sources: { zh: '数据源文件', en: 'source files' },
  thresholds: { zh: '所用阈值', en: 'Thresholds used' },
  permits: { zh: '测试许可', en: 'Test permits' },
  plates: { zh: '车辆与号牌', en: 'Vehicles and plates' },
  ads_versions: { zh: '自动驾驶系统版本', en: 'ADS software versions in use' },
  not_recorded: { zh: '未登记', en: 'not recorded' },
  none: { zh: '无', en: 'none' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  value: { zh: '本月', en: 'This month' },
  delta: { zh: '变化', en: 'Change' },
  delta_pct: { zh: '变化率', en: 'Change %' },
  no_previous: { zh: '上月无数据', en: 'no data for the previous month' },
  no_data: { zh: '本月无数据', en: 'no data this month' },
  fleet_reference: { zh: '车队登记信息', en: 'Fleet reference' },
  no_fleet_reference: {
    zh: '未提供车队登记信息：许可、号牌、安全员等为"未登记"',
    en: 'No fleet reference: permits, plates and safety officers are "not recorded"',
  },
  stop_testing: {
    zh: '广东省规定：发生重伤、死亡或车辆报废事故须暂停测试',
    en: 'Guangdong: a serious injury, death or destroyed vehicle stops testing',
  },
  map_note: {
    zh: '路线按网格抽稀；底图为主干道示意，无在线瓦片',
    en: 'Routes thinned to a grid; base lines are the arterial roads, no tiles',
  },
  complete: { zh: '完整', en: 'complete' },
  incomplete: { zh: '不完整', en: 'incomplete' },
  page: { zh: '页', en: 'page' },
};

export function t(label: Label | undefined, lang: Lang, fallback = ''): string {
  return label ? label[lang] : fallback;
}

/** The term of a stored value, if the dictionary has one. */
export const labelOf = (dict: Readonly<Record<string, Label>>, key: string): Label | undefined => dict[key];

/** A vocabulary value in the language, else the value itself. */
export function term(dict: Readonly<Record<string, Label>>, key: string | null | undefined, lang: Lang): string {
  if (key === null || key === undefined) return t(UI.not_recorded, lang);
  return dict[key]?.[lang] ?? key;
}
