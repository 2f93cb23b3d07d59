import { generateFleet, seedOptions, THRESHOLDS } from './seeds/index.js';
import { episodes, readManifest, readTelemetry, withAccel } from './test/seeds/helpers.js';
const out = '/tmp/seedwork/fp';
await generateFleet(seedOptions({ out, companies: 3, vehicles: 6, days: 2, drivesPerDay: 2, eventScale: 6 }));
const m = readManifest(out);
for (const f of m.files) {
  const rows = readTelemetry(out, f);
  const { accel, accelLat } = withAccel(rows);
  const evs = m.events.filter((e) => e.drive_file === f.path);
  const check = (kind: string, eps: { i0: number; i1: number }[], series: number[]) => {
    for (const ep of eps) {
      const t0 = rows[ep.i0]!.ms, t1 = rows[ep.i1]!.ms;
      const match = evs.find((e) => e.kind === kind && Date.parse(e.ts) <= t1 + 300 && Date.parse(e.ts_end ?? e.ts) >= t0 - 300);
      if (!match) console.log('FP', kind, f.format, f.path, new Date(t0).toISOString(), ep.i1 - ep.i0, series.slice(ep.i0 - 3, ep.i1 + 3).map((x) => x.toFixed(2)).join(' '), rows.slice(ep.i0 - 3, ep.i1 + 3).map(r => r.speed.toFixed(2) + '/' + r.heading).join(' '));
    }
    for (const e of evs.filter((e) => e.kind === kind)) {
      const hit = eps.find((ep) => Date.parse(e.ts) <= rows[ep.i1]!.ms + 300 && Date.parse(e.ts_end ?? e.ts) >= rows[ep.i0]!.ms - 300);
      if (!hit) console.log('MISS', kind, e.id, e.severity, e.ts, e.ts_end, e.peak, (e as any).sustained_s, f.format);
    }
  };
  check('harsh_lateral', episodes(rows, accelLat.map(Math.abs), (a) => a >= THRESHOLDS.harshLateral, 0.3), accelLat);
  const hb = episodes(rows, accel, (a) => a <= -6, 0.3);
  check('harsh_brake', hb, accel);
  for (const e of evs.filter(e => e.kind === 'harsh_brake' && e.severity === 'high')) {
    const i0 = rows.findIndex(r => r.ms >= Date.parse(e.ts));
    const hit = hb.find((ep) => Date.parse(e.ts) <= rows[ep.i1]!.ms + 300 && Date.parse(e.ts_end ?? e.ts) >= rows[ep.i0]!.ms - 300);
    if (!hit) console.log('HIGHMISS', e.id, e.cause, f.format, accel.slice(i0 - 2, i0 + 12).map(x => x.toFixed(2)).join(' '));
  }
}
