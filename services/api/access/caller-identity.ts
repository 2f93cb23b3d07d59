import type { Scope } from '../../lake/scope.js';

/** An authenticated caller: the scope the lake applies, and who it is for the audit log (never a credential). */
export interface Caller extends Scope {
  /** Token id, OIDC subject, proxy user or `local`. */
  readonly id: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access hook on every /api route whose policy needs a caller. */
    caller?: Caller;
  }
}
