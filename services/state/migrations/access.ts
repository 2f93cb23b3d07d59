import type { Migration } from '../migrations.js';

/** Access tokens (only a salted hash of each secret) and the audit log of API calls. */
export const ACCESS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'tokens-1',
    sql: `CREATE TABLE tokens (
  id VARCHAR PRIMARY KEY,
  name VARCHAR,
  role VARCHAR NOT NULL,
  company VARCHAR,
  salt VARCHAR NOT NULL,
  hash VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
)`,
  },
  {
    id: 'audit-1',
    sql: `CREATE TABLE audit (
  at_time TIMESTAMPTZ NOT NULL,
  day DATE NOT NULL,
  caller VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  company VARCHAR,
  method VARCHAR NOT NULL,
  route VARCHAR NOT NULL,
  params VARCHAR NOT NULL,
  status INTEGER NOT NULL,
  rows INTEGER,
  sql VARCHAR
);
CREATE TABLE audit_dropped (day DATE PRIMARY KEY, entries INTEGER NOT NULL)`,
  },
];
