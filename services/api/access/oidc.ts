import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import type { OidcOptions } from './auth-options.js';
import { bearerOf, callerOfGrant, unauthorized, type Authenticator } from './authenticate.js';

/** The issuer's JWKS address: `jwksUrl`, else `jwks_uri` from its discovery document. */
async function jwksUrlOf(opts: OidcOptions): Promise<URL> {
  if (opts.jwksUrl) return new URL(opts.jwksUrl);
  const discovery = `${opts.issuer.replace(/\/$/u, '')}/.well-known/openid-configuration`;
  const res = await fetch(discovery);
  if (!res.ok) throw new Error(`OIDC discovery ${discovery} answered ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string') throw new Error(`OIDC discovery ${discovery} names no jwks_uri`);
  return new URL(doc.jwks_uri);
}

/**
 * `oidc`: a bearer JWT signed by a key of the issuer's JWKS (fetched once, refreshed by `jose` when a new key id
 * appears), with this issuer and audience, not expired; the caller's role and company come from the configured
 * claims and the id is `oidc:<sub>`.
 */
export function oidcAuthenticator(opts: OidcOptions): Authenticator {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  return async (req) => {
    const token = bearerOf(req);
    if (token === undefined) throw unauthorized('no credential: send Authorization: Bearer <OIDC access token>');
    keys ??= createRemoteJWKSet(await jwksUrlOf(opts));
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: opts.issuer, audience: opts.audience }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw unauthorized('the OIDC token has expired');
      if (e instanceof joseErrors.JOSEError) throw unauthorized(`the OIDC token is not valid (${e.code})`);
      throw e;
    }
    if (typeof payload.sub !== 'string' || !payload.sub) throw unauthorized('the OIDC token has no subject');
    return callerOfGrant(
      `oidc:${payload.sub}`,
      payload[opts.roleClaim],
      payload[opts.companyClaim],
      `OIDC claims ${opts.roleClaim}/${opts.companyClaim}`,
    );
  };
}
