import { generateFleet, seedOptions } from './seeds/index.js';
const argv = process.argv.slice(2);
const o = seedOptions({ out: argv[0] ?? '/tmp/seedwork/out1', vehicles: Number(argv[1] ?? 12), days: Number(argv[2] ?? 61), eventScale: Number(argv[3] ?? 1) });
const r = await generateFleet(o);
console.log({ ...r, files: r.files.length });
