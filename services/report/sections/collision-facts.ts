import type { ReportThresholds } from '../thresholds.js';

const VRU = /pedestrian|scooter|bicycl|cycl|tricycle|motorcycl|moped|e_bike|ebike|行人|非机动车|电动车|自行车|三轮/iu;
const NOT_AT_FAULT = new Set(['not_at_fault', 'no_fault', 'none', 'not_liable', '无责']);

interface CollisionFacts {
  counterpart: string | null;
  damage: string | null;
  liability: string | null;
  vru: boolean | null;
  at_fault: boolean | null;
}

function parseDetail(detail: string | null): Record<string, unknown> {
  if (!detail) return {};
  try {
    const d = JSON.parse(detail) as unknown;
    return d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What the record says about a collision: counterpart, damage, liability (from an imported record's detail), vulnerable road user. */
export function collisionFacts(e: { cause: string | null; detail: string | null }): CollisionFacts {
  const d = parseDetail(e.detail);
  const s = (k: string[]): string | null => {
    for (const key of k) {
      const v = d[key];
      if (typeof v === 'string' && v) return v;
      if (typeof v === 'boolean') return key === 'at_fault' ? (v ? 'at_fault' : 'not_at_fault') : String(v);
    }
    return null;
  };
  const counterpart = s(['counterpart', 'other_party']) ?? e.cause;
  const liability = s(['liability', 'at_fault', 'fault', 'responsibility']);
  const vruRaw = d.vru ?? d.vulnerable_road_user;
  const vru = typeof vruRaw === 'boolean' ? vruRaw : counterpart === null ? null : VRU.test(counterpart);
  const pending = liability === null || /pending|unknown|undetermined|待/iu.test(liability);
  return {
    counterpart,
    damage: s(['damage', 'vehicle_damage']),
    liability,
    vru,
    at_fault: pending ? null : !NOT_AT_FAULT.has(liability.toLowerCase()),
  };
}

/** Guangdong's stop-testing triggers: a serious injury, a death, or a destroyed vehicle. */
export function stopTesting(
  e: { severity: string | null; cause: string | null; detail: string | null },
  t: ReportThresholds,
): boolean {
  if (e.severity !== null && t.stopTestingSeverities.includes(e.severity)) return true;
  const damage = collisionFacts(e).damage;
  return damage !== null && t.stopTestingDamage.includes(damage.toLowerCase());
}
