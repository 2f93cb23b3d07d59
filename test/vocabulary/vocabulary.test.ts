import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, MODES, SEVERITIES } from '../../services/ingest/schema/vocab.js';
import { INITIATOR_TERMS, SEVERITY_TERMS, term } from '../../services/report/i18n.js';
import {
  BOOKKEEPING_KINDS,
  DETECTED_KINDS,
  KIND_GROUPS,
  kindsOf,
  MOTION_KINDS,
  RECORDABLE_KINDS,
  RECORDER_KINDS,
  TIERED_KINDS,
} from '../../services/vocabulary/event-kinds.js';
import { KIND_LABELS, MODE_LABELS, SEVERITY_LABELS } from '../../services/vocabulary/labels.js';
import { MODE_CODES, modeOfCode } from '../../services/vocabulary/modes.js';
import { INJURY_LEVELS, SEVERITY_RANK, TIERS } from '../../services/vocabulary/severities.js';
import { initiatorName, kindName, modeName, severityName } from '../../web/src/i18n/vocab-names.js';

describe('the vocabulary', () => {
  it('puts every event kind in exactly one group', () => {
    const grouped = KIND_GROUPS.flatMap((g) => kindsOf(g));
    expect([...grouped].sort()).toEqual([...EVENT_KINDS].sort());
    expect(BOOKKEEPING_KINDS).toEqual(['ads_activated', 'ads_deactivated', 'mrm_ended']);
  });

  it('nests the kind lists: tiered ⊂ motion ⊂ detected ⊂ kinds, recorder and recordable kinds are kinds', () => {
    const sub = (a: readonly string[], b: readonly string[]) => a.every((k) => b.includes(k));
    expect(sub(TIERED_KINDS, MOTION_KINDS)).toBe(true);
    expect(sub(MOTION_KINDS, DETECTED_KINDS)).toBe(true);
    for (const list of [DETECTED_KINDS, RECORDER_KINDS, RECORDABLE_KINDS]) expect(sub(list, EVENT_KINDS)).toBe(true);
    expect(RECORDABLE_KINDS.some((k) => BOOKKEEPING_KINDS.includes(k))).toBe(false);
  });

  it('codes each mode as its index in MODES, which the map and the report decode by', () => {
    MODES.forEach((m, i) => {
      expect(MODE_CODES[m]).toBe(i);
      expect(modeOfCode(i)).toBe(m);
    });
    expect(modeOfCode(200)).toBe('unknown');
  });

  it('ranks severities so that tiers rise and injuries fall in their lists, every severity ranked', () => {
    expect(Object.keys(SEVERITY_RANK).sort()).toEqual([...SEVERITIES].sort());
    const ranks = (list: readonly (keyof typeof SEVERITY_RANK)[]) => list.map((s) => SEVERITY_RANK[s]);
    expect(ranks(TIERS)).toEqual([...ranks(TIERS)].sort((a, b) => a - b));
    expect(ranks(INJURY_LEVELS)).toEqual([...ranks(INJURY_LEVELS)].sort((a, b) => b - a));
  });

  it('gives every kind, mode and severity its own term in each language', () => {
    for (const table of [KIND_LABELS, MODE_LABELS, SEVERITY_LABELS]) {
      const labels = Object.values(table);
      for (const lang of ['zh', 'en'] as const) {
        const terms = labels.map((l) => l[lang]);
        expect(new Set(terms).size, `${lang}: ${terms.join(', ')}`).toBe(terms.length);
        expect(terms.every((t) => t.length > 0)).toBe(true);
      }
      expect(labels.every((l) => /\p{Script=Han}/u.test(l.zh))).toBe(true);
    }
  });

  it('names a kind, a mode, a severity and an initiator the same on the map as in the report', () => {
    for (const kind of EVENT_KINDS) {
      expect(kindName(kind, 'zh'), kind).toBe(term(KIND_LABELS, kind, 'zh'));
      expect(kindName(kind, 'en').toLowerCase(), kind).toBe(term(KIND_LABELS, kind, 'en').toLowerCase());
    }
    for (const mode of MODES) expect(modeName(mode, 'zh')).toBe(MODE_LABELS[mode].zh);
    for (const severity of SEVERITIES) {
      expect(severityName(severity, 'zh'), severity).toBe(term(SEVERITY_TERMS, severity, 'zh'));
      expect(severityName(severity, 'en'), severity).toBe(term(SEVERITY_TERMS, severity, 'en'));
    }
    for (const initiator of ['system', 'driver', 'remote', 'passenger'])
      expect(initiatorName(initiator, 'zh')).toBe(term(INITIATOR_TERMS, initiator, 'zh'));
  });
});
