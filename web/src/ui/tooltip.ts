import type { PickingInfo } from '@deck.gl/core';
import type { IncidentSet } from '../data/incident-set.js';
import type { RouteSet } from '../data/route-set.js';
import { label } from '../i18n/labels.js';
import { kindName, severityName } from '../i18n/vocab-names.js';
import { NO_CODE } from '../../../services/api/map/wire-format.js';
import type { Lang } from '../state/app-state.js';
import { localTime } from './time-format.js';

const escape = (s: string) => s.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);
const tip = (lines: string[]) => ({
  html: lines.map((l, i) => (i === 0 ? `<b>${escape(l)}</b>` : escape(l))).join('<br>'),
  className: 'deck-tooltip avlog-tooltip',
});

/** "vehicle · company", or the company alone for public callers (who get no vehicle ids). */
const vehicleLine = (v: { id: string; company: string } | undefined) =>
  !v ? '' : v.id ? `${v.id} · ${v.company}` : v.company;

/** Tooltips: an incident's kind, severity, time, vehicle and speed; a route's vehicle and drive; a hexagon's count; a road's name. */
export function tooltipOf(
  info: PickingInfo,
  lang: Lang,
  routes: RouteSet | null,
  incidents: IncidentSet | null,
): { html: string; className: string } | null {
  const id = info.layer?.id;
  if (info.index < 0 || !id) return null;
  if (id === 'incidents' && incidents) {
    const i = info.index;
    const kind = incidents.meta.kinds[incidents.kind[i] as number] ?? '';
    const sev = incidents.severity[i] === NO_CODE ? null : incidents.meta.severities[incidents.severity[i] as number];
    const vehicle = incidents.meta.vehicles[incidents.vehicle[i] as number];
    const speed = incidents.speed[i] as number;
    return tip(
      [
        `${kindName(kind, lang)}${sev ? ` · ${severityName(sev, lang)}` : ''}`,
        localTime(incidents.tsMs[i] as number, lang),
        vehicleLine(vehicle),
        Number.isNaN(speed) ? '' : `${label(lang, 'speed')} ${(speed * 3.6).toFixed(0)} km/h`,
      ].filter(Boolean),
    );
  }
  if (id === 'routes' && routes) {
    const drive = routes.meta.path_drives[info.index];
    if (drive === undefined) return null;
    const vehicle = routes.meta.vehicles[routes.meta.drive_vehicle[drive] ?? -1];
    const driveId = routes.meta.drives[drive];
    return tip([vehicleLine(vehicle), driveId ? `${label(lang, 'drive')} ${driveId}` : ''].filter(Boolean));
  }
  if (id === 'hexbin') {
    const count = (info.object as { count?: number } | undefined)?.count;
    return count === undefined ? null : tip([`${count} ${label(lang, 'hexCount')}`]);
  }
  if (id === 'roads') {
    const p = (info.object as { properties?: { name: string; name_en: string; limit_kmh: number } } | undefined)
      ?.properties;
    return p ? tip([lang === 'zh' ? p.name : p.name_en, `${p.limit_kmh} km/h`]) : null;
  }
  return null;
}
