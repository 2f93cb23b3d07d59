import { UsageError } from '../../core/usage-error.js';

export const AUTH_MODES = ['none', 'tokens', 'oidc', 'proxy'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** OIDC: bearer JWTs signed by the issuer's keys (its JWKS), with role and company read from claims. */
export interface OidcOptions {
  issuer: string;
  audience: string;
  /** Default `${issuer}/.well-known/jwks.json`… as the issuer's discovery document names it. */
  jwksUrl?: string | undefined;
  /** Claim holding the avlog role (default `avlog_role`) and the company id (default `avlog_company`). */
  roleClaim: string;
  companyClaim: string;
}

/**
 * How callers prove who they are. `none`: everyone is the single local admin (allowed only on a loopback bind);
 * `tokens`: bearer tokens from `avlog token create`; `oidc`: JWTs of an identity provider; `proxy`: the
 * `x-avlog-*` headers, believed only from the listed proxy addresses.
 */
export type AuthOptions =
  | { mode: 'none' }
  | { mode: 'tokens' }
  | { mode: 'proxy'; trustedProxies: readonly string[] }
  | ({ mode: 'oidc' } & OidcOptions);

export const NO_AUTH: AuthOptions = { mode: 'none' };

/** 127.0.0.0/8, ::1, localhost: only this machine's users can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/gu, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/u.test(h) || /^::ffff:127(?:\.\d{1,3}){3}$/u.test(h)
  );
}

/** Refuses to serve without authentication anywhere but loopback. */
export function assertBindAllowed(auth: AuthOptions, host: string): void {
  if (auth.mode === 'none' && !isLoopback(host))
    throw new UsageError(
      `refusing to listen on ${host} without authentication: --auth none (the default) is only for a loopback ` +
        'address (127.0.0.1, ::1); choose --auth tokens, --auth oidc or --auth proxy --trusted-proxy ADDR',
    );
}

/** `ADDR[,ADDR]` of `--trusted-proxy`, IPv4-mapped IPv6 written as IPv4. */
export function normalAddress(addr: string): string {
  return addr.trim().replace(/^::ffff:(?=\d+\.)/u, '');
}
