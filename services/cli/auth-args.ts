import { UsageError } from '../core/usage-error.js';
import { AUTH_MODES, assertBindAllowed, type AuthOptions } from '../api/access/auth-options.js';
import { oneOf } from './args.js';

/** The access flags of `serve` and `start`. */
export const AUTH_ARGS = {
  auth: { type: 'string' },
  'trusted-proxy': { type: 'string' },
  'oidc-issuer': { type: 'string' },
  'oidc-audience': { type: 'string' },
  'oidc-jwks': { type: 'string' },
  'oidc-role-claim': { type: 'string' },
  'oidc-company-claim': { type: 'string' },
} as const;

export const AUTH_HELP = `  --auth none|tokens|oidc|proxy
                           none (default): one local admin, only on a loopback --host;
                           tokens: Authorization: Bearer <token> from \`avlog token create\`;
                           oidc: bearer JWTs of --oidc-issuer; proxy: x-avlog-* headers from --trusted-proxy
  --trusted-proxy ADDR[,ADDR]  with --auth proxy: the proxy addresses whose headers are believed
  --oidc-issuer URL --oidc-audience AUD [--oidc-jwks URL] [--oidc-role-claim C] [--oidc-company-claim C]
                           with --auth oidc (claims default avlog_role, avlog_company)`;

export type AuthArgValues = { [K in keyof typeof AUTH_ARGS]?: string | undefined };

/** `--auth …` and its companions → the app's access options; bad combinations are UsageErrors naming the flag. */
export function authOptionsOf(v: AuthArgValues, host: string): AuthOptions {
  const mode = oneOf('--auth', v.auth, AUTH_MODES) ?? 'none';
  const stray = (flags: (keyof AuthArgValues)[]) => {
    const given = flags.filter((f) => v[f] !== undefined);
    if (given.length)
      throw new UsageError(
        `--${given.join(', --')} only go with --auth ${flags[0]?.startsWith('oidc') ? 'oidc' : 'proxy'}`,
      );
  };
  if (mode !== 'proxy') stray(['trusted-proxy']);
  if (mode !== 'oidc') stray(['oidc-issuer', 'oidc-audience', 'oidc-jwks', 'oidc-role-claim', 'oidc-company-claim']);
  let auth: AuthOptions;
  if (mode === 'proxy') {
    const list = (v['trusted-proxy'] ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    if (!list.length) throw new UsageError("--auth proxy needs --trusted-proxy ADDR[,ADDR] (the proxy's address)");
    auth = { mode, trustedProxies: list };
  } else if (mode === 'oidc') {
    const issuer = v['oidc-issuer'];
    const audience = v['oidc-audience'];
    if (!issuer || !audience) throw new UsageError('--auth oidc needs --oidc-issuer URL and --oidc-audience AUD');
    auth = {
      mode,
      issuer,
      audience,
      jwksUrl: v['oidc-jwks'],
      roleClaim: v['oidc-role-claim'] ?? 'avlog_role',
      companyClaim: v['oidc-company-claim'] ?? 'avlog_company',
    };
  } else auth = { mode };
  assertBindAllowed(auth, host);
  return auth;
}
