import { embeddedRoads } from './seeds/roads/embedded.js';
import { RoutePlanner } from './seeds/routes.js';
import { Rng } from './seeds/prng.js';
import { RoutePath } from './seeds/path.js';
import { Driver, driverTraits } from './seeds/kinematics.js';
const g = embeddedRoads();
const p = new RoutePlanner(g, []);
const rng = new Rng(1);
const r = p.plan(rng, p.randomNode(rng), 900);
const path = new RoutePath(g, r.legs, new Rng(2), { stopAtSignal: 0.4, stopAtJunction: 0.05, pickupDwell: [20, 90], endDwell: [15, 60] });
const d = new Driver(path, driverTraits(new Rng(4)), 10, new Rng(5));
const smp = path.emptySample();
for (let k = 1; k < 3000; k++) { path.at(d.s, smp); d.step(k, k / 10, smp.limit); if (k % 100 === 0) console.log(k, d.s.toFixed(1), d.v.toFixed(2), d.a.toFixed(2), smp.limit.toFixed(1), smp.kappa, smp.road, JSON.stringify(path.constraints.find(c => !c.served && (c.stop || c.sEnd >= d.s)))); }
