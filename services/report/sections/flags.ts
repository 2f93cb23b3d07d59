import { causeTerm } from '../../vocabulary/causes.js';
import { plural } from '../format.js';
import { PERIOD_WORDS, SEVERITY_TERMS } from '../i18n.js';
import type { AppendixSection, Flag } from '../model.js';
import type { BuildContext } from './build-context.js';
import { permitFlags } from './permit-checks.js';
import type { SectionsSoFar } from './changes.js';

const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}%`);

export function flagsOf(ctx: BuildContext, s: SectionsSoFar, appendix: AppendixSection): Flag[] {
  const flags: Flag[] = [];
  for (const a of s.accidents.list.filter((x) => x.stop_testing)) {
    flags.push({
      level: 'red',
      code: 'stop_testing',
      company_id: a.company_id,
      event_id: a.event_id,
      message_zh: `${a.local_time} ${a.vehicle_id}${a.plate ? `（${a.plate}）` : ''} 发生碰撞，伤情：${causeTerm(a.severity ?? 'unspecified', 'zh', SEVERITY_TERMS)}${a.damage ? `，车损：${causeTerm(a.damage, 'zh')}` : ''}——按广东省规定须暂停测试`,
      message_en: `${a.local_time} ${a.vehicle_id}${a.plate ? ` (${a.plate})` : ''}: collision, injury ${causeTerm(a.severity ?? 'unspecified', 'en', SEVERITY_TERMS)}${a.damage ? `, damage ${causeTerm(a.damage, 'en')}` : ''} — Guangdong stops testing`,
    });
  }
  for (const a of s.accidents.list.filter((x) => x.record_90s === false)) {
    flags.push({
      level: 'amber',
      code: 'incomplete_record',
      company_id: a.company_id,
      event_id: a.event_id,
      message_zh: `${a.local_time} ${a.vehicle_id} 碰撞前后记录不完整（要求事前 ${ctx.t.window.beforeS} 秒）`,
      message_en: `${a.local_time} ${a.vehicle_id}: collision record incomplete (${ctx.t.window.beforeS} s before required)`,
    });
  }
  const otherIncomplete = appendix.incidents.filter((i) => i.kind !== 'collision' && i.window && !i.window.complete);
  if (otherIncomplete.length) {
    flags.push({
      level: 'amber',
      code: 'incomplete_record',
      company_id: ctx.company,
      event_id: null,
      message_zh: `${otherIncomplete.length} 起其他事件的事前 ${ctx.t.window.beforeS} 秒 / 事后 ${ctx.t.window.afterS} 秒记录不完整（见附录）`,
      message_en: `${plural(otherIncomplete.length, 'other incident')} ${otherIncomplete.length === 1 ? 'lacks' : 'lack'} a complete −${ctx.t.window.beforeS} s … +${ctx.t.window.afterS} s record (see the appendix)`,
    });
  }
  const r = s.fleet.driverless_ratio;
  if (r && !r.compliant) {
    flags.push({
      level: 'amber',
      code: 'officer_ratio',
      company_id: ctx.company,
      event_id: null,
      message_zh: `无人化测试安全员配比 ${r.officers}:${r.vehicles}，低于 1:${Math.round(1 / r.required)} 要求`,
      message_en: `Driverless safety officers ${r.officers} for ${r.vehicles} vehicles, below the required 1 : ${Math.round(1 / r.required)}`,
    });
  }
  const cov = s.data_compliance.coverage_share.value;
  if (cov !== null && cov < 100 - 1e-9) {
    flags.push({
      level: 'amber',
      code: 'position_coverage',
      company_id: ctx.company,
      event_id: null,
      message_zh: `自动驾驶时段定位频率达标（≥ ${ctx.t.positionHz} Hz）占比 ${pct(cov)}，低于 100%`,
      message_en: `Autonomous time at ≥ ${ctx.t.positionHz} Hz position rate: ${pct(cov)}, below 100 %`,
    });
  }
  const p = ctx.inputs.period;
  for (const pm of s.header.permits ?? []) {
    if (
      pm.expires !== null &&
      pm.expires < p.lastDate &&
      s.header.vehicles.some((v) => v.active && v.permit === pm.number)
    ) {
      flags.push({
        level: 'amber',
        code: 'permit_expired',
        company_id: pm.company_id,
        event_id: null,
        message_zh: `许可 ${pm.number} 已于 ${pm.expires} 到期，但有车辆在测`,
        message_en: `Permit ${pm.number} expired on ${pm.expires} while vehicles under it were testing`,
      });
    }
  }
  flags.push(...permitFlags(ctx));
  if (s.disengagements.detected_only > 0) {
    flags.push({
      level: 'amber',
      code: 'unlogged_disengagement',
      company_id: ctx.company,
      event_id: null,
      message_zh: `${s.disengagements.detected_only} 次脱离仅由数据识别，车端事件日志未记录`,
      message_en: `${plural(s.disengagements.detected_only, 'disengagement')} ${s.disengagements.detected_only === 1 ? 'appears' : 'appear'} only as ${s.disengagements.detected_only === 1 ? 'a mode change' : 'mode changes'} in telemetry, not in the vehicle's event log`,
    });
  }
  const qr = s.data_compliance.quarantine.rows.value ?? 0;
  const w = PERIOD_WORDS[p.kind];
  if (qr > 0)
    flags.push({
      level: 'amber',
      code: 'quarantine',
      company_id: ctx.company,
      event_id: null,
      message_zh: `${w.this.zh}数据源有 ${qr} 行被隔离（格式或校验错误）`,
      message_en: `${plural(qr, 'row')} of the sources of ${w.this.en} ${qr === 1 ? 'was' : 'were'} quarantined (malformed or failed validation)`,
    });
  return flags;
}
