import { generateFleet, seedOptions } from './seeds/index.js';
await generateFleet(seedOptions({ out: '/tmp/seedwork/ev', seed: 1, companies: 3, vehicles: 6, days: 2, drivesPerDay: 2, eventScale: 8 }));
