import type { Migration } from '../migrations.js';

/** Incident triage: the current status and owner per event, and every change with its author and note. */
export const TRIAGE_MIGRATIONS: readonly Migration[] = [
  {
    id: 'triage-1',
    sql: `
      CREATE TABLE triage (
        event_id VARCHAR PRIMARY KEY,
        status VARCHAR NOT NULL,
        owner VARCHAR,
        updated_at TIMESTAMPTZ NOT NULL,
        updated_by VARCHAR NOT NULL
      );
      CREATE TABLE triage_history (
        event_id VARCHAR NOT NULL,
        noted_at TIMESTAMPTZ NOT NULL,
        author VARCHAR NOT NULL,
        status VARCHAR,
        owner VARCHAR,
        note VARCHAR
      );
      CREATE INDEX triage_history_event ON triage_history (event_id);
      CREATE INDEX triage_status ON triage (status);`,
  },
];
