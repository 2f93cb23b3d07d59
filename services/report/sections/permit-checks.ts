import type { Flag } from '../model.js';
import type { BuildContext } from './build-context.js';

const fmt1 = (km: number) => km.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * The period's driving checked against the fleet reference's permits: every active vehicle is registered under a
 * permit of its company; it drove only on days the permit was valid; its autonomous km lie in the permit's
 * districts (rows without a district — ingest without `--districts` — cannot be checked and are not flagged).
 */
export function permitFlags(ctx: BuildContext): Flag[] {
  const { fleet, cur } = ctx;
  if (!fleet.ref) return [];
  const flags: Flag[] = [];
  const outside = new Map<
    string,
    { company: string; vehicle: string; permit: string; allowed: string[]; km: number; district: string }
  >();
  const offDays = new Map<
    string,
    {
      company: string;
      vehicle: string;
      permit: string;
      days: Set<string>;
      issued: string | null;
      expires: string | null;
    }
  >();
  const unregistered = new Map<string, string>();
  for (const r of cur.rows) {
    const v = fleet.vehicles.get(r.vehicle_id);
    const permits = fleet.companies.get(r.company_id)?.permits ?? [];
    const pm = v?.permit ? permits.find((p) => p.number === v.permit) : undefined;
    if (!pm) {
      unregistered.set(r.vehicle_id, r.company_id);
      continue;
    }
    if ((pm.issued !== null && r.day < pm.issued) || (pm.expires !== null && r.day > pm.expires)) {
      const key = r.vehicle_id;
      let o = offDays.get(key);
      if (!o)
        offDays.set(
          key,
          (o = {
            company: r.company_id,
            vehicle: r.vehicle_id,
            permit: pm.number,
            days: new Set(),
            issued: pm.issued,
            expires: pm.expires,
          }),
        );
      o.days.add(r.day);
    }
    if (
      r.mode === 'autonomous' &&
      r.district !== null &&
      pm.districts.length > 0 &&
      !pm.districts.includes(r.district)
    ) {
      const key = `${r.vehicle_id}\u0000${r.district}`;
      let o = outside.get(key);
      if (!o)
        outside.set(
          key,
          (o = {
            company: r.company_id,
            vehicle: r.vehicle_id,
            permit: pm.number,
            allowed: pm.districts,
            km: 0,
            district: r.district,
          }),
        );
      o.km += r.m / 1000;
    }
  }
  for (const [vehicle, company] of unregistered)
    flags.push({
      level: 'amber',
      code: 'permit_missing',
      company_id: company,
      event_id: null,
      message_zh: `车辆 ${vehicle} 在测，但车队登记信息中没有其测试许可`,
      message_en: `Vehicle ${vehicle} tested but has no permit of its company in the fleet reference`,
    });
  for (const o of offDays.values()) {
    const days = [...o.days].sort();
    const span = days.length === 1 ? days[0] : `${days[0]} – ${days[days.length - 1]}`;
    flags.push({
      level: 'amber',
      code: 'permit_dates',
      company_id: o.company,
      event_id: null,
      message_zh: `车辆 ${o.vehicle} 于 ${span} 测试（${days.length} 天），不在许可 ${o.permit} 有效期（${o.issued ?? '—'} 至 ${o.expires ?? '—'}）内`,
      message_en: `Vehicle ${o.vehicle} tested on ${days.length === 1 ? '1 day' : `${days.length} days`} (${span}) outside permit ${o.permit}'s validity (${o.issued ?? '—'} to ${o.expires ?? '—'})`,
    });
  }
  for (const o of [...outside.values()].sort((a, b) => b.km - a.km))
    flags.push({
      level: 'amber',
      code: 'permit_district',
      company_id: o.company,
      event_id: null,
      message_zh: `车辆 ${o.vehicle} 在${o.district}自动驾驶 ${fmt1(o.km)} km，许可 ${o.permit} 仅限 ${o.allowed.join('、')}`,
      message_en: `Vehicle ${o.vehicle} drove ${fmt1(o.km)} autonomous km in ${o.district}; permit ${o.permit} covers ${o.allowed.join(', ')} only`,
    });
  return flags;
}
