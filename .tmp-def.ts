import { generateFleet, parseSeedArgs } from './seeds/index.js';
const o = parseSeedArgs(['--out', process.argv[2] ?? '/tmp/seedwork/def']);
const r = await generateFleet(o);
console.log({ ...r, files: r.files.length });
