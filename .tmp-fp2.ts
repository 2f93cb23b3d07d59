import { THRESHOLDS } from './seeds/index.js';
import { episodes, readManifest, readTelemetry, withAccel } from './test/seeds/helpers.js';
const out = '/tmp/seedwork/fp';
const m = readManifest(out);
for (const f of m.files) {
  const rows = readTelemetry(out, f);
  const { accel } = withAccel(rows);
  for (const ep of episodes(rows, accel, (a) => a <= -3, 0.3)) {
    const seg = accel.slice(ep.i0, ep.i1 + 1);
    const segRows = rows.slice(ep.i0, ep.i1 + 1);
    const tier = (['high', 'medium', 'low'] as const).find((t) => episodes(segRows, seg, (a) => a <= THRESHOLDS.harshBrakeTiers[t], 0.3).length > 0);
    const t0 = rows[ep.i0]!.ms;
    const e = m.events.find((e) => e.kind === 'harsh_brake' && e.drive_file === f.path && Math.abs(Date.parse(e.ts) - t0) < 400);
    if (!e || e.severity !== tier) console.log(f.path, f.format, new Date(t0).toISOString(), tier, e?.severity, e?.ts, e?.cause, seg.map(x => x.toFixed(2)).join(' '));
  }
}
