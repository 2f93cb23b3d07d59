import { SOURCE_COMPANIES } from './views.js';

/** The views a company-scoped caller reads in place of the lake's. */
export const SCOPED_VIEWS = ['telemetry', 'events', 'rollup', 'mileage', 'quarantine', 'sources'] as const;
export type ScopedView = (typeof SCOPED_VIEWS)[number];

/**
 * What one company may see, the one rule for the API (`repository.ts`) and the SQL sandbox (`sql/lake-views.ts`):
 * its own rows of the partitioned tables; the sources that wrote any of them; and the quarantined lines only of
 * sources that wrote nothing but its rows — a rejected line of a source mixing companies may hold another company's
 * data, so no company sees it (regulators and unscoped callers see every line).
 *
 * `company` is a SQL expression (a parameter or a literal); `base(view)` names the unscoped view. Returns each
 * scoped view's SELECT.
 */
export function companyScopedViews(company: string, base: (view: string) => string): Record<ScopedView, string> {
  const own = (view: ScopedView) =>
    `SELECT * FROM ${base(view)} WHERE company = ${company} AND company_id = ${company}`;
  const wrote = `SELECT source_id FROM ${base(SOURCE_COMPANIES)} WHERE company = ${company}`;
  const wroteOnly = `SELECT source_id FROM ${base(SOURCE_COMPANIES)} GROUP BY source_id HAVING bool_and(company = ${company})`;
  return {
    telemetry: own('telemetry'),
    events: own('events'),
    rollup: own('rollup'),
    mileage: own('mileage'),
    sources: `SELECT * FROM ${base('sources')} WHERE source_id IN (${wrote})`,
    quarantine: `SELECT * FROM ${base('quarantine')} WHERE source_id IN (${wroteOnly})`,
  };
}
