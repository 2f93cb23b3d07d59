import { sqlString } from '../../ingest/lake/sql.js';
import { BOOKKEEPING_KINDS } from '../../vocabulary/event-kinds.js';
import { SEVERITY_RANK } from '../../vocabulary/severities.js';

/** SQL condition on `kind`: the event is an incident, not a bookkeeping kind. */
export const IS_INCIDENT_SQL = `kind NOT IN (${BOOKKEEPING_KINDS.map(sqlString).join(', ')})`;

/** SQL rank of `severity` across its scales (`SEVERITY_RANK`; 0 for none or an unknown value): higher is worse. */
export const SEVERITY_RANK_SQL = `CASE severity ${Object.entries(SEVERITY_RANK)
  .map(([s, r]) => `WHEN ${sqlString(s)} THEN ${r}`)
  .join(' ')} ELSE 0 END`;
