import { simulateDrive } from './seeds/drive.js';
import { embeddedRoads, graphmlRoads } from './seeds/index.js';
import { Rng } from './seeds/prng.js';
import { RoutePlanner } from './seeds/routes.js';
const gs = [embeddedRoads(), await graphmlRoads('/work/shared/data/shenzhen/futian-drive.graphml')];
for (const [gi, graph] of gs.entries()) {
  const planner = new RoutePlanner(graph, []);
  for (let i = 0; i < (gi ? 6 : 10); i++) {
    const rng = new Rng(gi + 1).fork(i);
    const route = planner.plan(rng.fork('route'), planner.randomNode(rng), rng.range(600, 2400));
    const d = simulateDrive({ graph, legs: route.legs, expectedSeconds: route.expectedSeconds, hz: 10, gpsNoise: 2, driverless: i % 3 === 0, eventScale: 0, rng: rng.fork('sim') });
    const t = d.trace;
    let lastMove = -1; for (let k = 0; k < t.n; k++) if (t.v[k]! > 0) lastMove = k;
    if (t.n - 1 - lastMove < 140) console.log(gi, i, t.n, lastMove, Array.from(t.v.subarray(lastMove - 5, lastMove + 2)).map(x => x.toFixed(3)).join(' '), d.events.map(e => e.kind + '@' + e.k).join(' '));
  }
}
