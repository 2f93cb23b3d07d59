import { benchIngest } from './ingest-bench.js';

/** `npm run bench`: figures and ratios against baselines run in the same process. AVLOG_BENCH_ROWS scales it. */
const rows = Number(process.env.AVLOG_BENCH_ROWS ?? 10_000_000);
process.stdout.write(`avlog bench — ${new Date().toISOString()} — ${rows.toLocaleString('en-US')} rows\n`);
await benchIngest(rows);
