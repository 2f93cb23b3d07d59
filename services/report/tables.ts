import type { Label } from '../vocabulary/label.js';
import { MODES } from '../ingest/schema/vocab.js';
import { KIND_LABELS, QUARANTINE_REASON_LABELS } from '../vocabulary/labels.js';
import { CAUSE_LABELS, causeTerm } from '../vocabulary/causes.js';
import { DRIVEN_MODES } from '../vocabulary/modes.js';
import {
  FIGURES,
  INITIATOR_TERMS,
  labelOf,
  MODE_TERMS,
  OPERATION_LABELS,
  PERIOD_WORDS,
  SECTION_TITLES,
  SEVERITY_TERMS,
  type PeriodWords,
} from './i18n.js';
import type { CountRow, Delta, ReportIncident, ReportModel, SectionId } from './model.js';

export type Cell = string | number | boolean | null;

export interface Column {
  key: string;
  label: Label;
  /** How renderers format it. */
  kind?: 'int' | 'num' | 'km' | 'h' | 'pct' | 'rate' | 'text' | 'bool' | 'delta' | 'share';
}

/** One table of the report: what CSV and JSON export, and what the HTML shows. */
export interface ReportTable {
  id: string;
  section: SectionId | 'appendix' | 'flags' | 'meta';
  title: Label;
  columns: Column[];
  rows: Record<string, Cell>[];
}

const L = (zh: string, en: string): Label => ({ zh, en });
const col = (key: string, zh: string, en: string, kind: Column['kind'] = 'text'): Column => ({
  key,
  label: L(zh, en),
  kind,
});

/** "This month" and "previous month" columns, named for the report's kind of period. */
const thisCol = (key: string, w: PeriodWords, kind: Column['kind']) => col(key, w.this.zh, w.this.en, kind);
const prevCol = (key: string, w: PeriodWords, kind: Column['kind']) => col(key, w.previous.zh, w.previous.en, kind);

const figureColumns = (w: PeriodWords): Column[] => [
  col('figure', '指标', 'figure'),
  col('label_zh', '指标', 'figure'),
  col('label_en', '指标', 'figure'),
  thisCol('value', w, 'num'),
  prevCol('previous', w, 'num'),
  col('delta', '变化', 'change', 'delta'),
  col('delta_pct', '变化率 %', 'change %', 'pct'),
];

function figureRow(id: string, d: Delta, label?: Label): Record<string, Cell> {
  const l = label ?? FIGURES[id] ?? { zh: id, en: id };
  return {
    figure: id,
    label_zh: l.zh,
    label_en: l.en,
    value: d.value,
    previous: d.previous,
    delta: d.delta,
    delta_pct: d.delta_pct,
  };
}

const plain = (d: number | null): Delta => ({ value: d, previous: null, delta: null, delta_pct: null });

function countTable(
  w: PeriodWords,
  id: string,
  section: ReportTable['section'],
  title: Label,
  keyLabel: Label,
  rows: CountRow[],
  dict: Readonly<Record<string, Label>> = CAUSE_LABELS,
): ReportTable {
  return {
    id,
    section,
    title,
    columns: [
      { key: 'key', label: keyLabel },
      { key: 'label_zh', label: keyLabel },
      { key: 'label_en', label: keyLabel },
      thisCol('count', w, 'int'),
      prevCol('previous', w, 'int'),
      col('delta', '变化', 'change', 'delta'),
    ],
    rows: rows.map((r) => ({
      key: r.key,
      label_zh: causeTerm(r.key, 'zh', dict),
      label_en: causeTerm(r.key, 'en', dict),
      count: r.count,
      previous: r.previous,
      delta: r.previous === null ? null : r.count - r.previous,
    })),
  };
}

export const INCIDENT_TABLE_COLUMNS: Column[] = [
  col('event_id', '事件编号', 'event id'),
  col('local_time', '时间（北京）', 'time (Beijing)'),
  col('company_id', '测试主体', 'company'),
  col('vehicle_id', '车辆', 'vehicle'),
  col('plate', '号牌', 'plate'),
  col('kind', '类型', 'kind'),
  col('severity', '严重程度', 'severity'),
  col('origin', '来源', 'origin'),
  col('mode', '驾驶模式', 'mode'),
  col('ads_version', '系统版本', 'ADS version'),
  col('initiator', '发起方', 'initiator'),
  col('cause', '原因', 'cause'),
  col('district', '区', 'district'),
  col('lat', '纬度', 'lat', 'num'),
  col('lon', '经度', 'lon', 'num'),
  col('speed_kmh', '车速 km/h', 'speed km/h', 'num'),
  col('window_complete', '事件记录完整', 'record complete', 'bool'),
  col('missing_before_s', '事前缺失 s', 'missing before, s', 'num'),
  col('missing_after_s', '事后缺失 s', 'missing after, s', 'num'),
  col('max_gap_s', '最大中断 s', 'longest gap, s', 'num'),
];

export function incidentCells(i: ReportIncident): Record<string, Cell> {
  return {
    event_id: i.event_id,
    local_time: i.local_time,
    company_id: i.company_id,
    vehicle_id: i.vehicle_id,
    plate: i.plate,
    kind: i.kind,
    severity: i.severity,
    origin: i.origin,
    mode: i.mode,
    ads_version: i.ads_version,
    initiator: i.initiator,
    cause: i.cause,
    district: i.district,
    lat: i.lat,
    lon: i.lon,
    speed_kmh: i.speed_kmh,
    window_complete: i.window ? i.window.complete : null,
    missing_before_s: i.window ? i.window.missing_before_s : null,
    missing_after_s: i.window ? i.window.missing_after_s : null,
    max_gap_s: i.window ? i.window.max_gap_s : null,
  };
}

const MODE_COLS = (prefix: string, zh: string, en: string, kind: Column['kind']): Column[] =>
  ([...DRIVEN_MODES, 'total'] as const).map((m) =>
    col(`${prefix}_${m}`, `${zh}（${MODE_TERMS[m]?.zh}）`, `${en} ${m}`, kind),
  );

function modeCells(prefix: string, b: Record<string, number>): Record<string, Cell> {
  return Object.fromEntries(([...DRIVEN_MODES, 'total'] as const).map((m) => [`${prefix}_${m}`, b[m] ?? 0]));
}

/** Every table of a report, in section order. */
export function reportTables(m: ReportModel): ReportTable[] {
  const T: ReportTable[] = [];
  const h = m.header;
  const w = PERIOD_WORDS[m.period_kind];
  const FIGURE_COLUMNS = figureColumns(w);
  T.push({
    id: 'report',
    section: 'meta',
    title: L('报告标识与输入指纹', 'Report identity and input fingerprint'),
    columns: [col('field', '项目', 'field'), col('value', '值', 'value')],
    rows: [
      { field: 'company', value: m.company },
      { field: 'period', value: m.period },
      { field: 'period_kind', value: m.period_kind },
      { field: 'period_from_utc', value: h.period.from },
      { field: 'period_to_utc', value: h.period.to },
      { field: 'previous_period', value: h.previous_period },
      { field: 'fingerprint_sha256', value: m.fingerprint.sha256 },
      { field: 'sources', value: m.fingerprint.sources },
      { field: 'thresholds_sha256', value: m.fingerprint.thresholds_sha256 },
      { field: 'fleet_reference_sha256', value: m.fingerprint.fleet_reference_sha256 },
      { field: 'fleet_reference', value: h.fleet_reference },
      { field: 'generated_at', value: h.generated_at },
      { field: 'thresholds', value: JSON.stringify(m.thresholds) },
    ],
  });
  T.push({
    id: 'flags',
    section: 'flags',
    title: SECTION_TITLES.flags,
    columns: [
      col('level', '级别', 'level'),
      col('code', '代码', 'code'),
      col('company_id', '测试主体', 'company'),
      col('event_id', '事件编号', 'event id'),
      col('message_zh', '说明', 'message (zh)'),
      col('message_en', '说明（英文）', 'message (en)'),
    ],
    rows: m.flags.map((f) => ({
      level: f.level,
      code: f.code,
      company_id: f.company_id,
      event_id: f.event_id,
      message_zh: f.message_zh,
      message_en: f.message_en,
    })),
  });
  // 1 header
  T.push({
    id: 'header.companies',
    section: 'header',
    title: L('测试主体', 'Companies'),
    columns: [col('company_id', '编号', 'id'), col('name', '名称', 'name'), col('name_en', '英文名称', 'name (en)')],
    rows: h.companies.map((c) => ({ company_id: c.id, name: c.name, name_en: c.name_en })),
  });
  if (h.scope === 'fleet') {
    T.push({
      id: 'header.company_summary',
      section: 'header',
      title: L('各测试主体概况', 'Companies compared'),
      columns: [
        col('company_id', '测试主体', 'company'),
        col('name', '名称', 'name'),
        col('vehicles_active', '在测车辆', 'vehicles active', 'int'),
        col('autonomous_km', '自动驾驶里程 km', 'autonomous km', 'km'),
        col('autonomous_h', '自动驾驶时长 h', 'autonomous h', 'h'),
        col('disengagements', '脱离', 'disengagements', 'int'),
        col('per_1000_km', '每千公里脱离', 'per 1,000 km', 'rate'),
        col('collisions', '碰撞', 'collisions', 'int'),
        col('red_flags', '暂停测试触发', 'stop-testing triggers', 'int'),
      ],
      rows: h.company_summary.map((c) => ({ ...c })),
    });
  }
  T.push({
    id: 'header.permits',
    section: 'header',
    title: L('测试许可', 'Test permits'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('number', '许可编号', 'number'),
      col('kind', '类型', 'kind'),
      col('issued', '签发', 'issued'),
      col('expires', '到期', 'expires'),
      col('districts', '区域', 'districts'),
      col('valid_for_period', '报告期内有效', 'valid for the whole period', 'bool'),
    ],
    rows: (h.permits ?? []).map((p) => ({ ...p, districts: p.districts.join(' ') })),
  });
  T.push({
    id: 'header.vehicles',
    section: 'header',
    title: L('车辆与号牌', 'Vehicles and plates'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('vehicle_id', '车辆', 'vehicle'),
      col('plate', '号牌', 'plate'),
      col('vin', '车架号', 'VIN'),
      col('model', '车型', 'model'),
      col('driverless', '无人化', 'driverless', 'bool'),
      col('permit', '许可', 'permit'),
      col('active', `${w.this.zh}在测`, `active ${w.this.en}`, 'bool'),
    ],
    rows: h.vehicles.map((v) => ({ ...v })),
  });
  T.push({
    id: 'header.ads_versions',
    section: 'header',
    title: L('在用自动驾驶系统版本', 'ADS software versions in use'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('version', '版本', 'version'),
      col('vehicles', '车辆数', 'vehicles', 'int'),
      col('autonomous_km', '自动驾驶里程 km', 'autonomous km', 'km'),
      col('autonomous_h', '自动驾驶时长 h', 'autonomous h', 'h'),
      col('approved', '批准日期', 'approved'),
      col('new_this_period', `${w.this.zh}新增`, `new ${w.this.en}`, 'bool'),
    ],
    rows: h.ads_versions.map((v) => ({ ...v })),
  });
  if (m.months.rows.length > 1) {
    // A month without data shows no figures (not zeros): "no data received" or "not yet ended".
    const monthCells = (r: (typeof m.months.rows)[number]): Record<string, Cell> =>
      r.status === 'no_data' || r.status === 'not_ended'
        ? { month: r.month, month_status: r.status }
        : {
            month: r.month,
            month_status: r.status,
            ...modeCells('km', r.km),
            ...modeCells('h', r.hours),
            vehicles_active: r.vehicles_active,
            disengagements: r.disengagements,
            per_1000_km: r.per_1000_km,
            collisions: r.collisions,
            violations: r.violations,
            speeding_episodes: r.speeding_episodes,
            safety_events: r.safety_events,
          };
    T.push({
      id: 'months',
      section: 'meta',
      title: SECTION_TITLES.months,
      columns: [
        col('month', '月份', 'month'),
        col('month_status', '数据状态', 'data status'),
        ...MODE_COLS('km', '里程 km', 'km', 'km'),
        ...MODE_COLS('h', '时长 h', 'hours', 'h'),
        col('vehicles_active', '在测车辆', 'vehicles active', 'int'),
        col('disengagements', '脱离', 'disengagements', 'int'),
        col('per_1000_km', '每千公里脱离', 'disengagements per 1,000 km', 'rate'),
        col('collisions', '碰撞', 'collisions', 'int'),
        col('violations', '交通违法', 'traffic violations', 'int'),
        col('speeding_episodes', '超速片段', 'speeding episodes', 'int'),
        col('safety_events', '安全关键事件', 'safety-critical events', 'int'),
      ],
      // the last row is the period: what the months sum to (rates and distinct vehicles recomputed, not summed)
      rows: [...m.months.rows.map(monthCells), monthCells(m.months.total)],
    });
  }
  // 2 fleet
  const f = m.fleet;
  T.push({
    id: 'fleet.summary',
    section: 'fleet',
    title: L('车队概况', 'Fleet summary'),
    columns: FIGURE_COLUMNS,
    rows: [
      figureRow('vehicles_registered', plain(f.vehicles_registered), L('登记车辆', 'vehicles registered')),
      figureRow('vehicles_active', f.vehicles_active),
      figureRow('active_driverless', plain(f.active_driverless), L('在测无人化车辆', 'active driverless')),
      figureRow(
        'active_with_safety_driver',
        plain(f.active_with_safety_driver),
        L('在测有安全员车辆', 'active with safety driver'),
      ),
      figureRow(
        'active_type_unknown',
        plain(f.active_type_unknown),
        L('在测未登记类型车辆', 'active, type not recorded'),
      ),
      figureRow('vehicle_days', f.vehicle_days),
      figureRow('officers_onboard', plain(f.officers?.onboard ?? null), L('车内安全员', 'onboard safety officers')),
      figureRow('officers_remote', plain(f.officers?.remote ?? null), L('远程安全员', 'remote safety officers')),
      figureRow('officers_total', plain(f.officers?.total ?? null), L('安全员合计', 'safety officers')),
      figureRow(
        'officers_per_vehicle',
        plain(f.officers_per_vehicle),
        L('人车比（安全员/在测车辆）', 'officers per active vehicle'),
      ),
      figureRow(
        'driverless_officer_ratio',
        plain(f.driverless_ratio?.ratio ?? null),
        L('无人化安全员配比（≥ 1:3）', 'driverless officers per vehicle (≥ 1 : 3)'),
      ),
    ],
  });
  T.push({
    id: 'fleet.by_company',
    section: 'fleet',
    title: L('各测试主体车队', 'Fleet by company'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('registered', '登记车辆', 'registered', 'int'),
      col('active', '在测车辆', 'active', 'int'),
      col('driverless', '无人化在测', 'driverless active', 'int'),
      col('officers', '安全员', 'safety officers', 'int'),
    ],
    rows: f.by_company.map((c) => ({ ...c })),
  });
  // 3 exposure
  const e = m.exposure;
  T.push({
    id: 'exposure.by_mode',
    section: 'exposure',
    title: L('按驾驶模式', 'By driving mode'),
    columns: [
      col('mode', '模式', 'mode'),
      col('km', '里程 km', 'km', 'km'),
      col('km_previous', `${w.previous.zh} km`, `${w.previous.en} km`, 'km'),
      col('km_delta_pct', '里程变化 %', 'km change %', 'pct'),
      col('hours', '时长 h', 'hours', 'h'),
      col('hours_previous', `${w.previous.zh} h`, `${w.previous.en} h`, 'h'),
      col('hours_delta_pct', '时长变化 %', 'hours change %', 'pct'),
    ],
    rows: ([...MODES, 'total'] as const).map((md) => ({
      mode: md,
      km: e.km[md].value,
      km_previous: e.km[md].previous,
      km_delta_pct: e.km[md].delta_pct,
      hours: e.hours[md].value,
      hours_previous: e.hours[md].previous,
      hours_delta_pct: e.hours[md].delta_pct,
    })),
  });
  T.push({
    id: 'exposure.by_operation',
    section: 'exposure',
    title: L('有安全员 / 无人化 / 远程', 'With safety driver / driverless / remote'),
    columns: [
      col('operation', '运行方式', 'operation'),
      col('label_zh', '名称', 'name (zh)'),
      col('km', '里程 km', 'km', 'km'),
      col('hours', '时长 h', 'hours', 'h'),
      col('previous_km', `${w.previous.zh} km`, `${w.previous.en} km`, 'km'),
    ],
    rows: e.by_operation.map((o) => ({
      operation: o.operation,
      label_zh: OPERATION_LABELS[o.operation]?.zh ?? o.operation,
      km: o.km,
      hours: o.hours,
      previous_km: o.previous_km,
    })),
  });
  T.push({
    id: 'exposure.by_vehicle',
    section: 'exposure',
    title: L('按车辆', 'By vehicle'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('vehicle_id', '车辆', 'vehicle'),
      col('plate', '号牌', 'plate'),
      col('driverless', '无人化', 'driverless', 'bool'),
      col('days_active', '测试天数', 'days active', 'int'),
      ...MODE_COLS('km', '里程 km', 'km', 'km'),
      ...MODE_COLS('h', '时长 h', 'hours', 'h'),
      col('previous_autonomous_km', `${w.previous.zh}自动驾驶 km`, `autonomous km, ${w.previous.en}`, 'km'),
    ],
    rows: e.by_vehicle.map((v) => ({
      company_id: v.company_id,
      vehicle_id: v.vehicle_id,
      plate: v.plate,
      driverless: v.driverless,
      days_active: v.days_active,
      ...modeCells('km', v.km),
      ...modeCells('h', v.hours),
      previous_autonomous_km: v.previous_autonomous_km,
    })),
  });
  T.push({
    id: 'exposure.by_district',
    section: 'exposure',
    title: L('按区', 'By district'),
    columns: [
      col('district', '区', 'district'),
      ...MODE_COLS('km', '里程 km', 'km', 'km'),
      ...MODE_COLS('h', '时长 h', 'hours', 'h'),
    ],
    rows: e.by_district.map((d) => ({ district: d.district, ...modeCells('km', d.km), ...modeCells('h', d.hours) })),
  });
  T.push({
    id: 'exposure.by_hour',
    section: 'exposure',
    title: L('按时段（北京时间）', 'By time of day (Beijing)'),
    columns: [
      col('hour', '时', 'hour', 'int'),
      ...MODE_COLS('km', '里程 km', 'km', 'km'),
      ...MODE_COLS('h', '时长 h', 'hours', 'h'),
    ],
    rows: e.by_hour.map((d) => ({ hour: d.hour, ...modeCells('km', d.km), ...modeCells('h', d.hours) })),
  });
  T.push({
    id: 'exposure.by_day',
    section: 'exposure',
    title: L('按日', 'By day'),
    columns: [
      col('date', '日期', 'date'),
      col('vehicles', '在测车辆', 'vehicles', 'int'),
      ...MODE_COLS('km', '里程 km', 'km', 'km'),
      ...MODE_COLS('h', '时长 h', 'hours', 'h'),
    ],
    rows: e.by_day.map((d) => ({
      date: d.date,
      vehicles: d.vehicles,
      ...modeCells('km', d.km),
      ...modeCells('h', d.hours),
    })),
  });
  T.push({
    id: 'exposure.by_ads_version',
    section: 'exposure',
    title: L('按系统版本', 'By ADS version'),
    columns: [
      col('version', '版本', 'version'),
      ...MODE_COLS('km', '里程 km', 'km', 'km'),
      ...MODE_COLS('h', '时长 h', 'hours', 'h'),
    ],
    rows: e.by_ads_version.map((d) => ({ version: d.version, ...modeCells('km', d.km), ...modeCells('h', d.hours) })),
  });
  if (h.scope === 'fleet') {
    T.push({
      id: 'exposure.by_company',
      section: 'exposure',
      title: L('按测试主体', 'By company'),
      columns: [
        col('company_id', '测试主体', 'company'),
        ...MODE_COLS('km', '里程 km', 'km', 'km'),
        ...MODE_COLS('h', '时长 h', 'hours', 'h'),
        col('previous_autonomous_km', `${w.previous.zh}自动驾驶 km`, `autonomous km, ${w.previous.en}`, 'km'),
      ],
      rows: e.by_company.map((d) => ({
        company_id: d.company_id,
        ...modeCells('km', d.km),
        ...modeCells('h', d.hours),
        previous_autonomous_km: d.previous_autonomous_km,
      })),
    });
  }
  // 4 gates
  T.push({
    id: 'gates.progress',
    section: 'gates',
    title: L('审批门槛进展（累计自动驾驶）', 'Approval gates (cumulative autonomous)'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('gate', '门槛', 'gate'),
      col('label', '说明', 'description'),
      col('target_hours', '目标 h', 'target h', 'h'),
      col('target_km', '目标 km', 'target km', 'km'),
      col('cumulative_hours', '累计 h', 'cumulative h', 'h'),
      col('cumulative_km', '累计 km', 'cumulative km', 'km'),
      col('progress_pct', '进度 %', 'progress %', 'pct'),
      col('previous_progress_pct', `${w.previous.zh}末进度 %`, `progress at the end of the ${w.previous.en}, %`, 'pct'),
      col('status', '状态', 'status'),
    ],
    rows: m.gates.gates.map((g) => ({
      company_id: g.company_id,
      gate: g.id,
      label: g.label_en,
      target_hours: g.target_hours,
      target_km: g.target_km,
      cumulative_hours: g.cumulative_hours,
      cumulative_km: g.cumulative_km,
      progress_pct: g.progress * 100,
      previous_progress_pct: g.previous_progress * 100,
      status: g.status,
    })),
  });
  T.push({
    id: 'gates.cumulative',
    section: 'gates',
    title: L('累计记录', 'Cumulative record'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('first_month', '首月', 'first month'),
      col('autonomous_km', '累计自动驾驶 km', 'autonomous km', 'km'),
      col('autonomous_hours', '累计自动驾驶 h', 'autonomous h', 'h'),
      col('violations', '违法', 'violations', 'int'),
      col('at_fault_accidents', '责任事故', 'at-fault accidents', 'int'),
      col('accidents_liability_unknown', '责任待定事故', 'accidents, liability not determined', 'int'),
    ],
    rows: m.gates.cumulative.map((c) => ({
      company_id: c.company_id,
      first_month: c.first_month,
      autonomous_km: c.autonomous_km,
      autonomous_hours: c.autonomous_hours,
      violations: c.violations,
      at_fault_accidents: c.at_fault_accidents,
      accidents_liability_unknown: c.accidents_liability_unknown,
    })),
  });
  T.push({
    id: 'gates.by_month',
    section: 'gates',
    title: L('逐月累计', 'Cumulative by month'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('month', '月份', 'month'),
      col('km', '累计 km', 'cumulative km', 'km'),
      col('hours', '累计 h', 'cumulative h', 'h'),
    ],
    rows: m.gates.cumulative.flatMap((c) =>
      c.by_month.map((b) => ({ company_id: c.company_id, month: b.month, km: b.km, hours: b.hours })),
    ),
  });
  // 5 disengagements
  const d = m.disengagements;
  T.push({
    id: 'disengagements.summary',
    section: 'disengagements',
    title: L('脱离概况', 'Disengagements summary'),
    columns: FIGURE_COLUMNS,
    rows: [
      figureRow('disengagements', d.count),
      figureRow('disengagements_per_1000_km', d.per_1000_km),
      figureRow('km_per_disengagement', d.km_per_disengagement),
      figureRow('autonomous_km', plain(d.autonomous_km), L('自动驾驶里程', 'autonomous km')),
      figureRow('logged', plain(d.logged), L('车端记录', 'logged by the vehicle')),
      figureRow(
        'detected_only',
        plain(d.detected_only),
        L('仅数据识别（车端未记录）', 'found in telemetry only (not logged)'),
      ),
    ],
  });
  T.push(
    countTable(
      w,
      'disengagements.by_initiator',
      'disengagements',
      L('按发起方', 'By initiator'),
      L('发起方', 'initiator'),
      d.by_initiator,
      INITIATOR_TERMS,
    ),
  );
  T.push(
    countTable(w, 'disengagements.by_cause', 'disengagements', L('按原因', 'By cause'), L('原因', 'cause'), d.by_cause),
  );
  T.push(
    countTable(
      w,
      'disengagements.by_district',
      'disengagements',
      L('按区', 'By location (district)'),
      L('区', 'district'),
      d.by_district,
    ),
  );
  T.push({
    id: 'disengagements.by_vehicle',
    section: 'disengagements',
    title: L('按车辆', 'By vehicle'),
    columns: [
      col('company_id', '测试主体', 'company'),
      col('vehicle_id', '车辆', 'vehicle'),
      col('plate', '号牌', 'plate'),
      col('count', '脱离', 'disengagements', 'int'),
      col('autonomous_km', '自动驾驶 km', 'autonomous km', 'km'),
      col('per_1000_km', '每千公里', 'per 1,000 km', 'rate'),
    ],
    rows: d.by_vehicle.map((v) => ({ ...v })),
  });
  T.push({
    id: 'disengagements.events',
    section: 'disengagements',
    title: L('脱离事件清单', 'Disengagement events'),
    columns: INCIDENT_TABLE_COLUMNS,
    rows: d.events.map(incidentCells),
  });
  // 6 accidents
  const a = m.accidents;
  T.push({
    id: 'accidents.summary',
    section: 'accidents',
    title: L('事故概况', 'Accidents summary'),
    columns: FIGURE_COLUMNS,
    rows: [
      figureRow('collisions', a.count),
      figureRow('collisions_per_million_km', a.per_million_km),
      figureRow('in_autonomous', plain(a.in_autonomous), L('自动驾驶模式下', 'in autonomous mode')),
      figureRow(
        'vulnerable_road_user',
        plain(a.vulnerable_road_user),
        L('涉及弱势道路使用者', 'vulnerable road user involved'),
      ),
      figureRow('stop_testing', plain(a.stop_testing ? 1 : 0), L('触发暂停测试', 'stop-testing trigger')),
    ],
  });
  T.push(
    countTable(
      w,
      'accidents.by_severity',
      'accidents',
      L('按伤情', 'By injury severity'),
      L('伤情', 'severity'),
      a.by_severity,
      SEVERITY_TERMS,
    ),
  );
  T.push({
    id: 'accidents.list',
    section: 'accidents',
    title: L('事故清单', 'Accident list'),
    columns: [
      ...INCIDENT_TABLE_COLUMNS.slice(0, 5),
      col('mode', '驾驶模式', 'mode'),
      col('district', '区', 'district'),
      col('lat', '纬度', 'lat', 'num'),
      col('lon', '经度', 'lon', 'num'),
      col('counterpart', '对方', 'counterpart'),
      col('injury', '伤情', 'injury'),
      col('damage', '车损', 'damage'),
      col('liability', '责任认定', 'liability'),
      col('vulnerable_road_user', '弱势道路使用者', 'vulnerable road user', 'bool'),
      col('record_90s', '事前90秒记录', '90 s record', 'bool'),
      col('stop_testing', '暂停测试', 'stop testing', 'bool'),
    ],
    rows: a.list.map((x) => ({
      ...incidentCells(x),
      counterpart: x.counterpart,
      injury: x.injury,
      damage: x.damage,
      liability: x.liability,
      vulnerable_road_user: x.vulnerable_road_user,
      record_90s: x.record_90s,
      stop_testing: x.stop_testing,
    })),
  });
  // 7 violations
  const v = m.violations;
  T.push({
    id: 'violations.summary',
    section: 'violations',
    title: L('违法与超速概况', 'Violations and speeding'),
    columns: FIGURE_COLUMNS,
    rows: [
      figureRow('violations', v.recorded),
      figureRow('speeding_episodes', v.speeding.episodes),
      figureRow('speeding_share', v.speeding.share_over_limit),
      figureRow(
        'autonomous_km_with_limit',
        plain(v.speeding.autonomous_km_with_limit),
        L('已知限速的自动驾驶里程', 'autonomous km with a known limit'),
      ),
      figureRow(
        'autonomous_km_over_limit',
        plain(v.speeding.autonomous_km_over_limit),
        L('超速里程（超出容差）', 'autonomous km above limit + tolerance'),
      ),
      figureRow(
        'max_excess_pct',
        plain(v.speeding.max_excess_pct),
        L('最大超速幅度 %', 'highest excess over the limit, %'),
      ),
    ],
  });
  T.push(
    countTable(
      w,
      'violations.by_cause',
      'violations',
      L('违法类型', 'Violations by type'),
      L('类型', 'type'),
      v.by_cause,
    ),
  );
  T.push(
    countTable(
      w,
      'violations.speeding_by_tier',
      'violations',
      L('超速片段按幅度', 'Speeding episodes by tier'),
      L('幅度', 'tier'),
      v.speeding.by_tier,
      SEVERITY_TERMS,
    ),
  );
  T.push({
    id: 'violations.list',
    section: 'violations',
    title: L('违法清单', 'Violation list'),
    columns: INCIDENT_TABLE_COLUMNS,
    rows: v.list.map(incidentCells),
  });
  // 8 safety-critical
  T.push({
    id: 'safety_events.by_kind',
    section: 'safety_events',
    title: L('安全关键事件', 'Safety-critical events by kind'),
    columns: [
      col('kind', '类型', 'kind'),
      col('label_zh', '名称', 'name (zh)'),
      thisCol('count', w, 'int'),
      prevCol('previous', w, 'int'),
      col('logged', '车端记录', 'logged', 'int'),
      col('detected', '数据识别', 'detected', 'int'),
      col('imported', '外部导入', 'imported', 'int'),
      col('per_1000_km', '每千公里', 'per 1,000 km', 'rate'),
      col('by_severity', '按严重程度', 'by severity'),
    ],
    rows: m.safety_events.rows.map((r) => ({
      kind: r.kind,
      label_zh: labelOf(KIND_LABELS, r.kind)?.zh ?? r.kind,
      count: r.count,
      previous: r.previous,
      logged: r.logged,
      detected: r.detected,
      imported: r.imported,
      per_1000_km: r.per_1000_km,
      by_severity: Object.entries(r.by_severity)
        .map(([k, n]) => `${k}:${n}`)
        .join(' '),
    })),
  });
  // 9 system health
  T.push({
    id: 'system_health.by_kind',
    section: 'system_health',
    title: L('系统健康事件', 'System health events'),
    columns: [
      col('kind', '类型', 'kind'),
      col('label_zh', '名称', 'name (zh)'),
      thisCol('count', w, 'int'),
      prevCol('previous', w, 'int'),
      col('by_cause', '原因', 'by cause'),
    ],
    rows: m.system_health.rows.map((r) => ({
      kind: r.kind,
      label_zh: labelOf(KIND_LABELS, r.kind)?.zh ?? r.kind,
      count: r.count,
      previous: r.previous,
      by_cause: Object.entries(r.by_cause)
        .map(([k, n]) => `${k}:${n}`)
        .join(' '),
    })),
  });
  // 10 data compliance
  const c = m.data_compliance;
  T.push({
    id: 'data_compliance.summary',
    section: 'data_compliance',
    title: L('数据合规概况', 'Data compliance summary'),
    columns: FIGURE_COLUMNS,
    rows: [
      figureRow('position_coverage', c.coverage_share),
      figureRow('autonomous_hours', plain(c.autonomous_hours), L('自动驾驶时长 h', 'autonomous hours')),
      figureRow(
        'covered_hours',
        plain(c.covered_hours),
        L(`定位 ≥ ${c.required_hz} Hz 的时长 h`, `hours at ≥ ${c.required_hz} Hz position rate`),
      ),
      figureRow('gaps', c.gaps.count),
      figureRow('gap_total_s', plain(c.gaps.total_s), L('中断总时长 s', 'total gap time, s')),
      figureRow('gap_longest_s', plain(c.gaps.longest_s), L('最长中断 s', 'longest gap, s')),
      figureRow(
        'incidents_with_record',
        plain(c.windows.incidents),
        L('需事件记录的事件', 'incidents needing a record'),
      ),
      figureRow('records_complete', plain(c.windows.complete), L('记录完整', 'records complete')),
      figureRow('records_incomplete', plain(c.windows.incomplete), L('记录不完整', 'records incomplete')),
      figureRow('detected_episodes', plain(c.windows.detected_incidents), L('数据识别片段', 'detected episodes')),
      figureRow(
        'detected_episodes_complete',
        plain(c.windows.detected_complete),
        L('数据识别片段记录完整', 'detected episodes with complete record'),
      ),
      figureRow('quarantined_rows', c.quarantine.rows),
      figureRow('telemetry_sources', plain(c.sources.telemetry), L('轨迹数据文件', 'telemetry files')),
      figureRow('event_sources', plain(c.sources.events), L('事件日志文件', 'event log files')),
      figureRow('rows_stored', plain(c.sources.rows_stored), L('入库记录', 'rows stored')),
      figureRow('retention_days_held', plain(c.retention.days_held), L('数据保存天数', 'days of records held')),
    ],
  });
  T.push(
    countTable(
      w,
      'data_compliance.quarantine_by_reason',
      'data_compliance',
      L('隔离原因', 'Quarantined rows by reason'),
      L('原因', 'reason'),
      c.quarantine.by_reason,
      QUARANTINE_REASON_LABELS,
    ),
  );
  // 11 map
  T.push({
    id: 'map.incidents',
    section: 'map',
    title: L('地图事件点', 'Incidents on the map'),
    columns: [
      col('event_id', '事件编号', 'event id'),
      col('kind', '类型', 'kind'),
      col('severity', '严重程度', 'severity'),
      col('lat', '纬度', 'lat', 'num'),
      col('lon', '经度', 'lon', 'num'),
    ],
    rows: m.map.incidents.map((i) => ({ ...i })),
  });
  T.push({
    id: 'map.routes',
    section: 'map',
    title: L('地图轨迹（抽稀）', 'Routes on the map (thinned)'),
    columns: [
      col('drive_id', '行程', 'drive'),
      col('vehicle_id', '车辆', 'vehicle'),
      col('points', '点数', 'points', 'int'),
    ],
    rows: m.map.routes.map((r) => ({ drive_id: r.drive_id, vehicle_id: r.vehicle_id, points: r.points.length })),
  });
  // 12 changes
  T.push({
    id: 'changes.figures',
    section: 'changes',
    title: w.changes,
    columns: [
      col('figure', '指标', 'figure'),
      col('section', '章节', 'section'),
      col('label_zh', '指标（中文）', 'figure (zh)'),
      col('label_en', '指标（英文）', 'figure (en)'),
      col('unit', '单位', 'unit'),
      thisCol('value', w, 'num'),
      prevCol('previous', w, 'num'),
      col('delta', '变化', 'change', 'delta'),
      col('delta_pct', '变化率 %', 'change %', 'pct'),
    ],
    rows: m.changes.figures.map((r) => ({
      figure: r.id,
      section: r.section,
      label_zh: r.label_zh,
      label_en: r.label_en,
      unit: r.unit,
      value: r.value,
      previous: r.previous,
      delta: r.delta,
      delta_pct: r.delta_pct,
    })),
  });
  T.push({
    id: 'changes.notes',
    section: 'changes',
    title: L('其他变化', 'Other changes'),
    columns: [col('zh', '说明', 'note (zh)'), col('en', '说明（英文）', 'note (en)')],
    rows: m.changes.notes.map((n) => ({ ...n })),
  });
  // appendix
  T.push({
    id: 'appendix.incidents',
    section: 'appendix',
    title: SECTION_TITLES.appendix,
    columns: INCIDENT_TABLE_COLUMNS,
    rows: m.appendix.incidents.map(incidentCells),
  });
  return T;
}
