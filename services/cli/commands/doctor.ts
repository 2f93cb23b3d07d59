import { doctor } from '../../ingest/lake/doctor.js';
import { dataDirOf, parseCommandArgs } from '../args.js';

const HELP = `avlog doctor [--data DIR] [--repair] [--json]

Checks the lake against the catalog: every file the catalog lists is present and readable, no lake file is
unlisted (an orphan), no (vehicle, ts) is stored twice, no leftovers in staging, the sample index is complete.
--repair finishes interrupted commits, removes leftovers and moves unreadable and orphan files to <data>/damaged/
(recorded in catalog/damaged.json; nothing is deleted). Exit code 0 when nothing is left to fix, 1 otherwise.`;

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      repair: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const r = await doctor(dataDirOf(values.data), { repair: values.repair === true });
  const open = r.findings.filter((f) => !f.repaired);
  if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else {
    const lines = [
      `lake: ${r.sources} source(s), ${r.files} file(s), ${r.telemetry_rows} telemetry row(s)`,
      ...r.findings.map((f) => `${f.repaired ? 'repaired' : 'problem '} ${f.check}: ${f.detail}`),
      ...r.damaged.map((d) => `damaged  ${d.path} (source ${d.source_id ?? '?'}) → ${d.moved_to}: ${d.error}`),
      open.length ? `${open.length} problem(s) left${values.repair ? '' : ' (try --repair)'}` : 'ok',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return open.length ? 1 : 0;
}
