import type { FastifyReply } from 'fastify';

/** JSON bodies up to this size are parsed to count their rows; larger ones are logged without a count. */
const MAX_PARSE_BYTES = 4 << 20;
const ROW_KEYS = ['rows', 'items', 'incidents', 'sources', 'entries', 'tokens', 'reports'];

/**
 * Rows a response carried, for the audit log: the SQL result's `x-avlog-row-count`, else the length of a JSON
 * body's array (or of its first array-valued row field); undefined when it cannot be told cheaply (Arrow, PDF).
 */
export function rowsOfPayload(reply: FastifyReply, payload: unknown): number | undefined {
  const counted = reply.getHeader('x-avlog-row-count');
  if (counted !== undefined) return Number(counted);
  const type = String(reply.getHeader('content-type') ?? '');
  if (!type.includes('json') || reply.statusCode >= 400) return undefined;
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
  if (text === undefined || text.length > MAX_PARSE_BYTES) return undefined;
  try {
    const body: unknown = JSON.parse(text);
    if (Array.isArray(body)) return body.length;
    if (body && typeof body === 'object') {
      const record = body as Record<string, unknown>;
      for (const k of ROW_KEYS) {
        const v = record[k];
        if (Array.isArray(v)) return v.length;
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
