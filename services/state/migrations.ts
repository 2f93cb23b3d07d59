import { ACCESS_MIGRATIONS } from './migrations/access.js';
import { TRIAGE_MIGRATIONS } from './migrations/triage.js';

/**
 * One step of the state database's schema. `id` is a stable name (`<module>-<n>`, e.g. `tokens-1`), never
 * reused or edited once released: a changed schema is a new migration. Ids are names rather than numbers so that
 * modules built on separate branches can each append theirs; each is applied once, in list order.
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/**
 * Every migration avlog knows, in the order they are applied. A module that keeps state declares its
 * migrations in a file of its own (`services/state/migrations/<module>.ts`) and appends them here.
 */
export const MIGRATIONS: readonly Migration[] = [...ACCESS_MIGRATIONS, ...TRIAGE_MIGRATIONS];
