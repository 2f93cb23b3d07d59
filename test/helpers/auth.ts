import type { AuthOptions } from '../../services/api/access/auth-options.js';

/** `--auth proxy` trusting `app.inject()` and local browsers: the x-avlog-* headers then say who the caller is. */
export const PROXY_AUTH: AuthOptions = { mode: 'proxy', trustedProxies: ['127.0.0.1'] };
export const ADMIN = { 'x-avlog-role': 'admin' } as const;
