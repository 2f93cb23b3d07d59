import type { Role } from '../../state/tokens.js';

/**
 * Who may call a route. Data scoping follows the caller's role everywhere (engineer: own company, through
 * `LakeRepository`/the SQL sandbox; public: coarsened map only); `writes` routes also check each row's company
 * against the caller's (ingest).
 */
export interface RoutePolicy {
  readonly roles: readonly Role[];
  /** No credential needed (health). */
  readonly anonymous?: boolean;
  readonly writes?: boolean;
  readonly summary: string;
}

export const POLICIES = {
  health: { roles: [], anonymous: true, summary: 'anyone, no credential' },
  map: {
    roles: ['admin', 'engineer', 'regulator', 'public'],
    summary: 'every role; public viewers get coarsened positions and times only',
  },
  read: { roles: ['admin', 'engineer', 'regulator'], summary: 'admin and regulator: every company; engineer: own' },
  report: { roles: ['admin', 'engineer', 'regulator'], summary: 'reports and exports; engineer: own company' },
  sql: { roles: ['admin', 'engineer', 'regulator'], summary: 'sandboxed SQL; engineer: own company views' },
  triage: { roles: ['admin', 'engineer'], summary: 'incident triage: admin; engineer: own company' },
  ingest: { roles: ['admin', 'engineer'], writes: true, summary: 'admin; engineer: rows of its own company only' },
  audit: { roles: ['admin', 'regulator'], summary: 'admin: every entry; regulator: entries of its own calls' },
  admin: { roles: ['admin'], summary: 'admin only' },
} as const satisfies Record<string, RoutePolicy>;

export type PolicyName = keyof typeof POLICIES;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (`POLICIES`): every /api route declares one, or the app refuses to start. */
    policy?: PolicyName;
  }
}
