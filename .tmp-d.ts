import { embeddedRoads } from './seeds/roads/embedded.js';
import { RoutePlanner } from './seeds/routes.js';
import { Rng } from './seeds/prng.js';
import { simulateDrive } from './seeds/drive.js';
import { RoutePath } from './seeds/path.js';
const g = embeddedRoads();
const p = new RoutePlanner(g, []);
const rng = new Rng(1);
const r = p.plan(rng, p.randomNode(rng), 900);
console.log(r.legs.map(l => l.length), r.expectedSeconds);
const path = new RoutePath(g, r.legs, new Rng(2), { stopAtSignal: 0.4, stopAtJunction: 0.05, pickupDwell: [20, 90], endDwell: [15, 60] });
console.log('len', path.length, path.constraints.slice(0, 8));
const sim = simulateDrive({ graph: g, legs: r.legs, expectedSeconds: r.expectedSeconds, hz: 10, gpsNoise: 2, driverless: false, eventScale: 1, rng: new Rng(3) });
const t = sim.trace;
for (let k = 0; k < t.n; k += 300) console.log(k, t.s[k]?.toFixed(1), t.v[k]?.toFixed(2), t.a[k]?.toFixed(2), t.limit[k]?.toFixed(1), t.mode[k]);
for (const e of sim.events) console.log(e.kind, e.k, e.kEnd, e.initiator, e.cause, e.window);
let prev = -1; for (let k = 0; k < t.n; k++) { if (t.mode[k] !== prev) { console.log('mode', k, t.mode[k]); prev = t.mode[k] ?? -1; } }
