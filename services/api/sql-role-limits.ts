import type { Scope } from '../lake/scope.js';

/** What one SQL answer may hold, by the caller's role (the sandbox's own limits cap these again). */
export interface SqlRoleLimit {
  maxRows: number;
  maxBytes: number;
}

export const SQL_ROLE_LIMITS: Record<Exclude<Scope['role'], 'public'>, SqlRoleLimit> = {
  admin: { maxRows: 1_000_000, maxBytes: 256 << 20 },
  engineer: { maxRows: 1_000_000, maxBytes: 256 << 20 },
  regulator: { maxRows: 100_000, maxBytes: 32 << 20 },
};
