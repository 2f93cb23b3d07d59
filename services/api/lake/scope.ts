/** Who is asking: a company's engineers see their company; regulators (no company) see every company. */
export interface Scope {
  readonly company?: string;
  readonly role: 'engineer' | 'regulator' | 'admin';
}

export const UNSCOPED: Scope = { role: 'admin' };
