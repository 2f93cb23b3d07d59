import { generateFleet, seedOptions } from './seeds/index.js';
import { readFileSync, rmSync } from 'node:fs';
const need = ['disengagement', 'takeover_request', 'mrm_started', 'mrm_ended', 'harsh_brake', 'harsh_accel', 'harsh_lateral', 'speeding', 'collision', 'ads_failure', 'sensor_failure', 'recorder_fault', 'odd_exit', 'remote_command', 'emergency_manoeuvre', 'ads_activated', 'ads_deactivated', 'vehicle_failure'];
for (const es of [5, 6, 8]) for (const seed of [42, 1, 2]) {
  const out = `/tmp/seedwork/cov-${es}-${seed}`;
  const r = await generateFleet(seedOptions({ out, seed, companies: 3, vehicles: 6, days: 2, drivesPerDay: 2, eventScale: es }));
  const m = JSON.parse(readFileSync(`${out}/manifest.json`, 'utf8'));
  const kinds = new Set(m.events.map((e: any) => e.kind));
  const dis = m.events.filter((e: any) => e.kind === 'disengagement');
  const missing = need.filter((k) => !kinds.has(k));
  const inits = [...new Set(dis.map((e: any) => e.initiator))].sort().join('/');
  const tiers = [...new Set(m.events.filter((e: any) => e.kind === 'harsh_brake').map((e: any) => e.severity))].sort().join('/');
  console.log(es, seed, r.rows, r.seconds.toFixed(2), 'missing', missing.join(','), 'init', inits, 'unlogged', dis.filter((e: any) => !e.logged).length, 'tiers', tiers, 'formats', [...new Set(m.files.map((f: any) => f.format))].join(','));
  rmSync(out, { recursive: true });
}
