import { generateFleet, seedOptions } from './seeds/index.js';
import { readFileSync, rmSync } from 'node:fs';
for (const [v, d, dpd, es] of [[6, 2, 2, 4], [6, 2, 2, 6], [4, 2, 2, 8]] as const) {
  const out = `/tmp/seedwork/cov-${v}-${d}-${dpd}-${es}`;
  const r = await generateFleet(seedOptions({ out, companies: 3, vehicles: v, days: d, drivesPerDay: dpd, eventScale: es }));
  const m = JSON.parse(readFileSync(`${out}/manifest.json`, 'utf8'));
  const kinds = Object.entries(m.totals.by_kind).filter(([, x]: any) => x.total > 0).map(([k, x]: any) => `${k}:${x.total}${Object.keys(x.by_severity).length ? JSON.stringify(x.by_severity) : ''}`);
  console.log(v, d, dpd, es, r.rows, r.seconds.toFixed(2), kinds.join(' '), m.files.map((f: any) => f.format).join(','));
  rmSync(out, { recursive: true });
}
