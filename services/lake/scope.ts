/**
 * Who is asking: a company's engineers see their company; regulators (no company) see every company; a public
 * map viewer sees only the map's coarsened, aggregated data (of one company when a company is given too).
 */
export interface Scope {
  readonly company?: string;
  readonly role: 'engineer' | 'regulator' | 'admin' | 'public';
}

export const UNSCOPED: Scope = { role: 'admin' };

/** High-precision tracks are "important data" under China's automotive data rules: public viewers get coarse data only. */
export const isPublic = (scope: Scope): boolean => scope.role === 'public';
