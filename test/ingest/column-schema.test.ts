import { Value } from '@sinclair/typebox/value';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { columnSchemas } from '../../services/ingest/schema/column-schema.js';
import { EVENTS, SOURCES, TELEMETRY } from '../../services/ingest/schema/tables.js';
import { Incident, INCIDENT_COLUMNS } from '../../services/lake/incidents/incident.js';

describe('API schemas derived from the table declarations', () => {
  it('keeps the columns in the order given, with their JSON types, nullability and docs', () => {
    const s = Type.Object(columnSchemas(SOURCES, ['source_id', 'bytes', 'ts_min', 'encoding']));
    expect(Object.keys(s.properties)).toEqual(['source_id', 'bytes', 'ts_min', 'encoding']);
    expect(s.properties.bytes.description).toBe(SOURCES.bytes.doc);
    expect(Value.Check(s, { source_id: 'a', bytes: 12, ts_min: null, encoding: 'gbk' })).toBe(true);
    expect(Value.Check(s, { source_id: 'a', bytes: 1.5, ts_min: null, encoding: null })).toBe(false);
    expect(Value.Check(s, { source_id: null, bytes: 12, ts_min: '2026-09-01T00:00:00Z', encoding: null })).toBe(false);
  });

  it('makes every column nullable when asked (a join may leave them empty)', () => {
    const s = Type.Object(columnSchemas(TELEMETRY, ['mode'], { nullable: true }));
    expect(Value.Check(s, { mode: null })).toBe(true);
    expect(Value.Check(Type.Object(columnSchemas(TELEMETRY, ['mode'])), { mode: null })).toBe(false);
  });

  it('gives an incident the event columns as declared, plus the vehicle’s mode and ADS version', () => {
    const events = INCIDENT_COLUMNS.filter((c) => c !== 'mode' && c !== 'ads_version');
    expect(events.every((c) => c in EVENTS)).toBe(true);
    for (const c of events) {
      const nullable = 'anyOf' in Incident.properties[c];
      expect(nullable, c).toBe(EVENTS[c as keyof typeof EVENTS].nullable);
    }
  });
});
