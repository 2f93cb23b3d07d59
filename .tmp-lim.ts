import path from 'node:path';
import { simulateDrive } from './seeds/drive.js';
import { embeddedRoads, graphmlRoads } from './seeds/index.js';
import { Rng } from './seeds/prng.js';
import { RoutePlanner } from './seeds/routes.js';
for (const graph of [embeddedRoads(), await graphmlRoads('/work/shared/data/shenzhen/futian-drive.graphml')]) {
  const planner = new RoutePlanner(graph, []);
  let worst = 0; let at = '';
  for (let i = 0; i < 20; i++) {
    const rng = new Rng(7).fork(i);
    const route = planner.plan(rng.fork('route'), planner.randomNode(rng), rng.range(600, 2400));
    const { trace } = simulateDrive({ graph, legs: route.legs, expectedSeconds: route.expectedSeconds, hz: 10, gpsNoise: 2, driverless: i % 3 === 0, eventScale: 0, rng: rng.fork('sim') });
    for (let k = 0; k < trace.n; k++) { const r = trace.v[k]! / trace.limit[k]!; if (r > worst) { worst = r; at = `${i} k=${k} v=${trace.v[k]} lim=${trace.limit[k]} prev=${trace.limit[k-5]} a=${trace.a[k]} alat=${trace.aLat[k]}`; } }
  }
  console.log(graph.source, worst, at);
}
