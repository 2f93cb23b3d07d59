import { UsageError } from '../../core/usage-error.js';
import { LakeDb } from '../../lake/lake-db.js';
import { LakeRepository } from '../../lake/repository.js';
import { UNSCOPED } from '../../lake/scope.js';
import { disengagements } from '../../lake/metrics/disengagements.js';
import { eventCounts } from '../../lake/metrics/event-counts.js';
import { exposure } from '../../lake/metrics/exposure.js';
import { GROUP_KEYS, type GroupKey } from '../../lake/metrics/filters.js';
import { metricArgs } from '../../lake/metrics/metric-args.js';
import { EVENT_KINDS } from '../../ingest/schema/vocab.js';
import { dataDirOf, parseCommandArgs } from '../args.js';

const METRICS = ['exposure', 'disengagements', 'events', 'collisions'] as const;

const HELP = `usage: avlog metrics <${METRICS.join('|')}> [--data DIR] [--group-by ${GROUP_KEYS.join(',')}]
                     [--from T] [--to T] [--company IDS] [--vehicle IDS] [--district NAMES] [--ads-version V] [--kind K]

The same figures as GET /api/metrics/<metric>, as JSON on stdout. --kind (events) takes event kinds,
comma-separated: ${EVENT_KINDS.join(', ')}.`;

export async function metricsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string' },
    'group-by': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    company: { type: 'string' },
    vehicle: { type: 'string' },
    district: { type: 'string' },
    'ads-version': { type: 'string' },
    kind: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const metric = positionals[0];
  if (!metric || !(METRICS as readonly string[]).includes(metric))
    throw new UsageError(`name a metric: ${METRICS.join(', ')}`);
  const bad = (values['group-by'] ?? '').split(',').filter((k) => k && !(GROUP_KEYS as readonly string[]).includes(k));
  if (bad.length) throw new UsageError(`--group-by: unknown key ${bad.join(', ')} (use ${GROUP_KEYS.join(', ')})`);
  const unknownKinds = (values.kind ?? '')
    .split(',')
    .filter((k) => k && !(EVENT_KINDS as readonly string[]).includes(k));
  if (unknownKinds.length)
    throw new UsageError(`--kind: unknown event kind ${unknownKinds.join(', ')} (use ${EVENT_KINDS.join(', ')})`);
  for (const flag of ['from', 'to'] as const) {
    const v = values[flag];
    if (v !== undefined && Number.isNaN(Date.parse(v)))
      throw new UsageError(`--${flag} must be an ISO-8601 date or instant (got "${v}")`);
  }
  const { groupBy, filter } = metricArgs({
    ...(values['group-by'] ? { group_by: values['group-by'] } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(values.company ? { company: values.company } : {}),
    ...(values.vehicle ? { vehicle: values.vehicle } : {}),
    ...(values.district ? { district: values.district } : {}),
    ...(values['ads-version'] ? { ads_version: values['ads-version'] } : {}),
  });
  const db = await LakeDb.open(dataDirOf(values.data), { connections: 1 });
  try {
    const repo = new LakeRepository(db);
    const keys = groupBy as GroupKey[];
    const rows =
      metric === 'exposure'
        ? await exposure(repo, UNSCOPED, keys, filter)
        : metric === 'disengagements'
          ? await disengagements(repo, UNSCOPED, keys, filter)
          : await eventCounts(
              repo,
              UNSCOPED,
              keys,
              filter,
              metric === 'collisions' ? ['collision'] : values.kind?.split(','),
            );
    process.stdout.write(`${JSON.stringify({ metric, group_by: keys, rows }, null, values.json ? 0 : 2)}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
