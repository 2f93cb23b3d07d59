import { UsageError } from '../../core/usage-error.js';
import { StateDb } from '../../state/state-db.js';
import { ROLES, TokenStore, type TokenInfo } from '../../state/tokens.js';
import { dataDirOf, oneOf, parseCommandArgs, positiveNumber } from '../args.js';

const HELP = `usage: avlog token create --role admin|engineer|regulator|public [--company ID] [--name TEXT] [--expires DAYS] [--json]
       avlog token list [--json]
       avlog token revoke ID [--json]
  (each takes --data DIR)

Bearer tokens for \`avlog serve --auth tokens\`. create prints the token once; only a salted hash is kept, in the
state database (<data>/state/avlog.duckdb). An engineer token needs --company; admin and regulator see every
company. A running server holds the state database: stop it, or use POST/GET/DELETE /api/tokens with an admin token.`;

const line = (t: TokenInfo) =>
  `${t.id}  ${t.role.padEnd(9)} ${(t.company ?? '-').padEnd(10)} ${t.revoked ? `revoked ${t.revoked}` : t.expires ? `expires ${t.expires}` : 'no expiry'}  ${t.name ?? ''}`.trimEnd();

export async function tokenCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string' },
    role: { type: 'string' },
    company: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [action, id, ...rest] = positionals;
  if (rest.length || !(action === 'create' || action === 'list' || action === 'revoke'))
    throw new UsageError('give `create --role ROLE`, `list` or `revoke ID`');
  if (action === 'revoke' && id === undefined)
    throw new UsageError('revoke needs the token id (see `avlog token list`)');
  const role = action === 'create' ? oneOf('--role', values.role, ROLES) : undefined;
  if (action === 'create' && role === undefined) throw new UsageError(`create needs --role ${ROLES.join('|')}`);
  const days = positiveNumber('--expires', values.expires);
  const out = (json: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  const db = await StateDb.open(dataDirOf(values.data));
  try {
    const tokens = new TokenStore(db);
    if (action === 'list') {
      const all = await tokens.list();
      out(all, all.map(line).join('\n') || 'no tokens');
    } else if (action === 'revoke') {
      if (!(await tokens.revoke(id ?? ''))) throw new UsageError(`no token ${id}`);
      out({ revoked: id }, `revoked ${id}`);
    } else if (role !== undefined) {
      const { token, info } = await tokens.create({
        role,
        company: values.company,
        name: values.name,
        expiresDays: days,
      });
      out(
        { token, id: info.id, role: info.role, company: info.company, expires: info.expires },
        `${token}\n(token ${info.id}, ${info.role}${info.company ? ` of ${info.company}` : ''}, ${info.expires ? `expires ${info.expires}` : 'no expiry'}: shown once, keep it)`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}
