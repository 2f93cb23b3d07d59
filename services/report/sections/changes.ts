import { KIND_LABELS } from '../../vocabulary/labels.js';
import { DRIVEN_MODES } from '../../vocabulary/modes.js';
import { plural } from '../format.js';
import { FIGURES, PERIOD_WORDS, labelOf } from '../i18n.js';
import {
  type AccidentSection,
  type ChangeRow,
  type ChangesSection,
  type ComplianceSection,
  type Delta,
  type DisengagementSection,
  type ExposureSection,
  type FleetSection,
  type HeaderSection,
  type SafetyEventSection,
  type SectionId,
  type SystemHealthSection,
  type ViolationSection,
  delta,
} from '../model.js';
import type { BuildContext } from './build-context.js';

export interface SectionsSoFar {
  header: HeaderSection;
  fleet: FleetSection;
  exposure: ExposureSection;
  disengagements: DisengagementSection;
  accidents: AccidentSection;
  violations: ViolationSection;
  safety_events: SafetyEventSection;
  system_health: SystemHealthSection;
  data_compliance: ComplianceSection;
}

export function changesSection(ctx: BuildContext, s: SectionsSoFar): ChangesSection {
  const figures: ChangeRow[] = [];
  const add = (id: string, section: SectionId, d: Delta) => {
    const kind = labelOf(KIND_LABELS, id);
    const label = FIGURES[id] ?? { zh: kind?.zh ?? id, en: kind?.en ?? id, unit: '' };
    figures.push({ id, section, label_zh: label.zh, label_en: label.en, unit: label.unit, ...d });
  };
  for (const m of [...DRIVEN_MODES, 'total'] as const) add(`km_${m}`, 'exposure', s.exposure.km[m]);
  for (const m of [...DRIVEN_MODES, 'total'] as const) add(`h_${m}`, 'exposure', s.exposure.hours[m]);
  add('vehicles_active', 'fleet', s.fleet.vehicles_active);
  add('vehicle_days', 'fleet', s.fleet.vehicle_days);
  add('disengagements', 'disengagements', s.disengagements.count);
  add('disengagements_per_1000_km', 'disengagements', s.disengagements.per_1000_km);
  add('km_per_disengagement', 'disengagements', s.disengagements.km_per_disengagement);
  add('collisions', 'accidents', s.accidents.count);
  add('collisions_per_million_km', 'accidents', s.accidents.per_million_km);
  add('violations', 'violations', s.violations.recorded);
  add('speeding_episodes', 'violations', s.violations.speeding.episodes);
  add('speeding_share', 'violations', s.violations.speeding.share_over_limit);
  add('safety_events', 'safety_events', s.safety_events.total);
  add('safety_events_per_1000_km', 'safety_events', s.safety_events.per_1000_km);
  for (const r of s.safety_events.rows)
    if (r.count || r.previous) add(r.kind, 'safety_events', delta(r.count, r.previous));
  add('health_events', 'system_health', s.system_health.total);
  for (const r of s.system_health.rows)
    if (r.count || r.previous) add(r.kind, 'system_health', delta(r.count, r.previous));
  add('position_coverage', 'data_compliance', s.data_compliance.coverage_share);
  add('gaps', 'data_compliance', s.data_compliance.gaps.count);
  add('quarantined_rows', 'data_compliance', s.data_compliance.quarantine.rows);

  const notes: { zh: string; en: string }[] = [];
  const w = PERIOD_WORDS[ctx.inputs.period.kind];
  for (const v of s.header.ads_versions.filter((x) => x.new_this_period && ctx.prev.has_data)) {
    notes.push({
      zh: `新系统版本投入测试：${v.version}（${v.company_id}，${v.vehicles} 辆车）`,
      en: `New ADS version in use: ${v.version} (${v.company_id}, ${plural(v.vehicles, 'vehicle')})`,
    });
  }
  if (ctx.prev.has_data) {
    const added = [...ctx.cur.vehicles.keys()].filter((v) => !ctx.prev.vehicles.has(v)).sort();
    const gone = [...ctx.prev.vehicles.keys()].filter((v) => !ctx.cur.vehicles.has(v)).sort();
    if (added.length)
      notes.push({
        zh: `${w.this.zh}新增在测车辆：${added.join('、')}`,
        en: `Vehicles active ${w.this.en} but not in the ${w.previous.en}: ${added.join(', ')}`,
      });
    if (gone.length)
      notes.push({
        zh: `${w.previous.zh}在测、${w.this.zh}未测车辆：${gone.join('、')}`,
        en: `Vehicles active in the ${w.previous.en} but not ${w.this.en}: ${gone.join(', ')}`,
      });
  }
  const soon = new Date(Date.parse(`${ctx.inputs.period.lastDate}T00:00:00Z`) + 60 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  for (const p of s.header.permits ?? []) {
    if (p.expires !== null && p.expires > ctx.inputs.period.lastDate && p.expires <= soon)
      notes.push({ zh: `许可 ${p.number} 将于 ${p.expires} 到期`, en: `Permit ${p.number} expires on ${p.expires}` });
  }
  return { previous_period: ctx.inputs.previous.id, previous_has_data: ctx.prev.has_data, figures, notes };
}
