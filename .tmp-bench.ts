import { generateFleet, seedOptions } from './seeds/index.js';
const o = seedOptions({ out: '/tmp/seedwork/bench', vehicles: 10, days: 61, drivesPerDay: 1.5, formats: ['csv'], maxRows: Number(process.argv[2] ?? 3_000_000) });
const r = await generateFleet(o);
console.log({ ...r, files: r.files.length });
