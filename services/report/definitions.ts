import { poissonInterval } from '../core/stats/poisson.js';
import { DEFAULT_INGEST_OPTIONS, LIMITS } from '../ingest/options.js';
import type { Label } from '../vocabulary/label.js';
import { KIND_LABELS, MODE_LABELS, SEVERITY_LABELS } from '../vocabulary/labels.js';
import { DEFAULT_THRESHOLDS, type DetectThresholds } from '../vocabulary/thresholds.js';
import { HEALTH_KINDS, SAFETY_ORDER } from './kind-sections.js';
import type { ReportThresholds } from './thresholds.js';

/** One entry of the report's definitions: what a figure is, how it is measured, and where it comes from. */
export interface Definition {
  id: string;
  term: Label;
  text: Label;
  source: Label;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}`;
const kinds = (ks: readonly string[], lang: 'zh' | 'en') =>
  ks.map((k) => (KIND_LABELS as Readonly<Record<string, Label>>)[k]?.[lang] ?? k).join(lang === 'zh' ? '、' : ', ');
const TELEMETRY: Label = { zh: '车端遥测（定位、车速、驾驶模式）', en: 'vehicle telemetry (position, speed, mode)' };
const EVENT_LOG: Label = {
  zh: '车端事件记录；外部导入的监管记录',
  en: 'the vehicle’s event log; imported regulator records',
};

/**
 * The definitions section, rendered as text in both languages: every figure, threshold, tolerance and unit the
 * report uses, from the report's thresholds and the detection defaults of `vocabulary/thresholds.ts`.
 */
export function reportDefinitions(t: ReportThresholds, d: DetectThresholds = DEFAULT_THRESHOLDS): Definition[] {
  const auto = MODE_LABELS.autonomous;
  const sp = d.speeding;
  const hb = d.harshBrake;
  const gap = DEFAULT_INGEST_OPTIONS.driveGapS;
  const few = poissonInterval(t.rateCaveat.minEvents, 0.95);
  const fewCi = `${few.lower.toFixed(1)}–${few.upper.toFixed(1)}`;
  return [
    {
      id: 'time',
      term: { zh: '时间与报告期', en: 'Time and period' },
      text: {
        zh: '所有日期与时刻均为北京时间（UTC+8）；报告期为北京时间的整月（季度、期间为连续整月）。',
        en: 'Every date and time is Beijing time (UTC+8); a period is whole Beijing-time months (a quarter or span is consecutive whole months).',
      },
      source: { zh: '遥测与事件的 UTC 时间戳换算', en: 'UTC timestamps of telemetry and events, converted' },
    },
    {
      id: 'km',
      term: { zh: '里程（km）', en: 'Distance (km)' },
      text: {
        zh: `同一行程中相邻两个定位点之间的大圆距离（haversine，地球半径 6,371 km）之和，按该点记录的驾驶模式（${auto.zh} / ${MODE_LABELS.manual.zh} / ${MODE_LABELS.remote.zh}）归类；间隔超过 ${gap} 秒即为新行程，间隔期间不计里程；被隔离的数据行不计入。`,
        en: `The sum of great-circle (haversine, Earth radius 6,371 km) distances between consecutive position samples of a drive, counted in the driving mode logged with the sample (${auto.en} / ${MODE_LABELS.manual.en} / ${MODE_LABELS.remote.en}); a gap over ${gap} s starts a new drive and adds no distance; quarantined rows are not counted.`,
      },
      source: TELEMETRY,
    },
    {
      id: 'hours',
      term: { zh: '时长（h）', en: 'Time (h)' },
      text: {
        zh: '同一行程中相邻定位点时间间隔之和，按驾驶模式归类。',
        en: 'The sum of the intervals between consecutive samples of a drive, by driving mode.',
      },
      source: TELEMETRY,
    },
    {
      id: 'vehicles',
      term: { zh: '在测车辆、车辆测试日', en: 'Vehicles active, vehicle-days' },
      text: {
        zh: '报告期内有遥测数据的车辆数；每辆车有数据的北京日期数之和。',
        en: 'Vehicles with telemetry in the period; the number of Beijing dates on which each vehicle has telemetry, summed.',
      },
      source: {
        zh: `${TELEMETRY.zh}；车队登记信息（fleet.json）`,
        en: `${TELEMETRY.en}; the fleet reference (fleet.json)`,
      },
    },
    {
      id: 'disengagement',
      term: { zh: '脱离（人工接管）', en: 'Disengagement' },
      text: {
        zh: `自动驾驶模式切换为人工驾驶或远程驾驶：车端记录的脱离事件，或遥测中未被记录的模式切换（数据识别，单独计数并列入需关注事项）。比率为每千公里${auto.zh}里程的次数。`,
        en: `A change from autonomous to manual or remote driving: a disengagement the vehicle logged, or a mode change in telemetry with none logged (detected; counted separately and flagged). The rate is per 1,000 ${auto.en} km.`,
      },
      source: EVENT_LOG,
    },
    {
      id: 'collision',
      term: { zh: '碰撞事故', en: 'Collision' },
      text: {
        zh: `车端记录或外部导入的碰撞；伤情分级（${SEVERITY_LABELS.minor.zh} / ${SEVERITY_LABELS.moderate.zh} / ${SEVERITY_LABELS.serious.zh} / ${SEVERITY_LABELS.fatal.zh}）依《人体损伤程度鉴定标准》；比率为每百万公里（全部模式）的起数。${t.stopTestingSeverities.map((s) => (SEVERITY_LABELS as Readonly<Record<string, Label>>)[s]?.zh ?? s).join('、')}或车辆报废须暂停测试（广东省）。`,
        en: `A collision the vehicle logged or a regulator record imported; injury grades (${SEVERITY_LABELS.minor.en} / ${SEVERITY_LABELS.moderate.en} / ${SEVERITY_LABELS.serious.en} / ${SEVERITY_LABELS.fatal.en}) as the Chinese injury-assessment standard; the rate is per million km in all modes. A ${t.stopTestingSeverities.map((s) => (SEVERITY_LABELS as Readonly<Record<string, Label>>)[s]?.en ?? s).join(' or ')} injury or a destroyed vehicle stops testing (Guangdong).`,
      },
      source: EVENT_LOG,
    },
    {
      id: 'harsh_brake',
      term: KIND_LABELS.harsh_brake,
      text: {
        zh: `纵向加速度持续 ≥ ${d.sustainS} 秒不高于 ${hb.low} m/s²（低）、${hb.medium} m/s²（中）、${hb.high} m/s²（高），取持续达到的最深一级。`,
        en: `Longitudinal acceleration at or below ${hb.low} m/s² (low), ${hb.medium} m/s² (medium) or ${hb.high} m/s² (high) for at least ${d.sustainS} s; an episode takes the deepest tier held.`,
      },
      source: { zh: `${TELEMETRY.zh}，数据识别`, en: `${TELEMETRY.en}, detected` },
    },
    {
      id: 'harsh_other',
      term: {
        zh: `${KIND_LABELS.harsh_accel.zh}、${KIND_LABELS.harsh_lateral.zh}、${KIND_LABELS.harsh_jerk.zh}`,
        en: `${KIND_LABELS.harsh_accel.en}, ${KIND_LABELS.harsh_lateral.en}, ${KIND_LABELS.harsh_jerk.en}`,
      },
      text: {
        zh: `纵向加速度 ≥ ${d.harshAccel} m/s²、横向加速度绝对值 ≥ ${d.harshLateral} m/s²（均持续 ≥ ${d.sustainS} 秒）；经 ${LIMITS.jerkFilterTauS} 秒时间常数低通滤波后的急动度 ≤ ${d.harshJerk} m/s³。`,
        en: `Longitudinal acceleration ≥ ${d.harshAccel} m/s², |lateral acceleration| ≥ ${d.harshLateral} m/s² (each for ≥ ${d.sustainS} s); jerk of the acceleration low-passed with τ = ${LIMITS.jerkFilterTauS} s ≤ ${d.harshJerk} m/s³.`,
      },
      source: { zh: `${TELEMETRY.zh}，数据识别`, en: `${TELEMETRY.en}, detected` },
    },
    {
      id: 'speeding',
      term: KIND_LABELS.speeding,
      text: {
        zh: `车速超过道路限速的 ${pct(sp.low)}%（容差）并持续 ≥ ${d.speedingSustainS} 秒为一个超速片段；超出 ${pct(sp.medium)}% 为中、${pct(sp.high)}% 为高。超速里程占比 = 车速高于限速 × ${1 + t.speedingTolerance} 的${auto.zh}里程 ÷ 已知限速的${auto.zh}里程。无匹配道路时不判定超速。超速为数据识别，未经执法认定。`,
        en: `Speed above the posted limit by more than ${pct(sp.low)} % (the tolerance) for ≥ ${d.speedingSustainS} s is one episode; more than ${pct(sp.medium)} % is medium, ${pct(sp.high)} % high. Share of km above the limit = ${auto.en} km driven faster than the limit × ${1 + t.speedingTolerance} ÷ ${auto.en} km with a known limit. Without a matched road there is no limit and no speeding. Detected, not adjudicated.`,
      },
      source: {
        zh: `${TELEMETRY.zh}；道路限速（路网参考数据中的限速）`,
        en: `${TELEMETRY.en}; posted limits (the road reference’s limits)`,
      },
    },
    {
      id: 'violations',
      term: KIND_LABELS.traffic_violation,
      text: {
        zh: '车端记录或外部导入（交警）的交通违法，不含数据识别的超速片段。',
        en: 'Traffic violations as logged or imported (police records); detected speeding episodes are not included.',
      },
      source: EVENT_LOG,
    },
    {
      id: 'safety_events',
      term: { zh: '安全关键事件', en: 'Safety-critical events' },
      text: {
        zh: `${kinds(SAFETY_ORDER, 'zh')}；比率为每千公里（全部模式）的次数。`,
        en: `${kinds(SAFETY_ORDER, 'en')}; the rate is per 1,000 km in all modes.`,
      },
      source: { zh: `${EVENT_LOG.zh}；数据识别`, en: `${EVENT_LOG.en}; detected` },
    },
    {
      id: 'system_health',
      term: { zh: '系统健康事件', en: 'System health events' },
      text: { zh: `${kinds(HEALTH_KINDS, 'zh')}。`, en: `${kinds(HEALTH_KINDS, 'en')}.` },
      source: EVENT_LOG,
    },
    {
      id: 'rates',
      term: { zh: '比率与 95% 置信区间', en: 'Rates and 95 % intervals' },
      text: {
        zh: `事件数除以里程；区间为泊松分布精确区间（Garwood），覆盖真实比率的概率不低于 95%。事件少于 ${t.rateCaveat.minEvents} 起或里程不足比率单位（如每千公里比率而里程不足 1,000 km）时标注"样本量小"：此时区间很宽（${t.rateCaveat.minEvents} 起时为 ${fewCi} 起），比率不宜比较。`,
        en: `Events divided by distance; the interval is the exact (Garwood) Poisson interval, which covers the true rate at least 95 % of the time. Fewer than ${t.rateCaveat.minEvents} events, or less distance than the rate's unit (a per-1,000-km rate from under 1,000 km), carries a "small exposure" caveat: the interval is then wide (${t.rateCaveat.minEvents} events: ${fewCi}) and the rate should not be compared.`,
      },
      source: { zh: '本报告的事件数与里程', en: 'this report’s counts and distances' },
    },
    {
      id: 'position_coverage',
      term: { zh: '定位数据达标', en: 'Position rate' },
      text: {
        zh: `${auto.zh}时段中，相邻定位点间隔不超过 1/${t.positionHz} 秒的时长占比；相邻定位点间隔超过 ${t.gapS} 秒计为一次数据中断。`,
        en: `Share of ${auto.en} time whose samples are at most 1/${t.positionHz} s apart; samples more than ${t.gapS} s apart are a recording gap.`,
      },
      source: TELEMETRY,
    },
    {
      id: 'event_record',
      term: { zh: '事件记录完整', en: 'Complete event record' },
      text: {
        zh: `事件前 ${t.window.beforeS} 秒至后 ${t.window.afterS} 秒均有遥测（两端误差 ≤ ${t.windowTolerance.edgeS} 秒，内部中断 ≤ ${t.windowTolerance.maxGapS} 秒）；依据深圳经济特区智能网联汽车管理条例及 2022 年交通运输部征求意见稿。`,
        en: `Telemetry covers ${t.window.beforeS} s before to ${t.window.afterS} s after the event (ends within ${t.windowTolerance.edgeS} s, no gap inside over ${t.windowTolerance.maxGapS} s): Shenzhen's ICV regulation and the 2022 national draft.`,
      },
      source: TELEMETRY,
    },
    {
      id: 'quarantine',
      term: { zh: '隔离数据行', en: 'Quarantined rows' },
      text: {
        zh: '入库时因格式或校验错误未写入数据湖的行，每行保留原因、文件与行号。',
        en: 'Rows not stored because they were malformed or failed validation at ingest; each is kept with its reason, file and line.',
      },
      source: { zh: '入库隔离记录', en: 'the ingest quarantine' },
    },
    {
      id: 'officers',
      term: { zh: '安全员配比', en: 'Safety officer ratio' },
      text: {
        zh: `无人化测试每名远程安全员负责的车辆不超过 ${Math.round(1 / t.officersPerDriverless)} 辆（南山区无人化试点）。`,
        en: `Driverless testing: at most ${Math.round(1 / t.officersPerDriverless)} vehicles per remote safety officer (Nanshan's driverless pilot).`,
      },
      source: { zh: '车队登记信息（fleet.json）', en: 'the fleet reference (fleet.json)' },
    },
    {
      id: 'permits',
      term: { zh: '测试许可核对', en: 'Permit checks' },
      text: {
        zh: '在测车辆须登记在有效期覆盖测试日期的许可下，自动驾驶里程须在许可列明的区内；不符者列入需关注事项。',
        en: 'An active vehicle must be registered under a permit valid on the days it tested, and its autonomous km must lie in the permit’s districts; anything else is flagged.',
      },
      source: {
        zh: '车队登记信息（fleet.json）；遥测所在区划',
        en: 'the fleet reference (fleet.json); districts of the telemetry',
      },
    },
    {
      id: 'retention',
      term: { zh: '数据保存', en: 'Retention' },
      text: {
        zh: `测试数据至少保存 ${t.retentionDays} 天。`,
        en: `Test records are kept at least ${t.retentionDays} days.`,
      },
      source: { zh: '数据湖最早记录', en: 'the earliest record in the lake' },
    },
    ...t.gates.map((g): Definition => ({
      id: `gate.${g.id}`,
      term: { zh: '审批门槛', en: 'Approval gate' },
      text: { zh: g.label_zh, en: g.label_en },
      source: {
        zh: '累计自动驾驶里程与时长；违法与责任事故记录',
        en: 'cumulative autonomous km and hours; violations and at-fault accidents',
      },
    })),
  ];
}
