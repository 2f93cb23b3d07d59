import { describe, expect, it } from 'vitest';
import { foldName, mapHeader, TELEMETRY_FIELDS } from '../../services/ingest/normalize/aliases.js';
import { parseDecimal } from '../../services/ingest/normalize/decimal.js';
import { parseEventKind, parseInitiator } from '../../services/ingest/normalize/event-vocab.js';
import { parseMode } from '../../services/ingest/normalize/mode.js';
import { MISSING } from '../../services/ingest/normalize/numbers.js';
import { epochToMicros, TimestampParser } from '../../services/ingest/normalize/timestamp.js';
import { detectEncoding } from '../../services/ingest/readers/encoding.js';
import iconv from 'iconv-lite';

const US = (iso: string) => Date.parse(iso) * 1000;

describe('timestamps', () => {
  const auto = new TimestampParser('auto');
  it('reads ISO-8601 with zone, fraction and T or space', () => {
    expect(auto.parse('2026-09-01T01:02:03.456Z')).toBe(US('2026-09-01T01:02:03.456Z'));
    expect(auto.parse('2026-09-01 09:02:03+08:00')).toBe(US('2026-09-01T01:02:03Z'));
    expect(auto.parse('2026-09-01T09:02:03.5+0800')).toBe(US('2026-09-01T01:02:03.500Z'));
    expect(auto.parse('2026-09-01T01:02:03.123456Z')).toBe(US('2026-09-01T01:02:03Z') + 123456);
  });
  it('reads zone-less strings as Beijing time', () => {
    expect(auto.parse('2026-09-01 08:00:00')).toBe(US('2026-09-01T00:00:00Z'));
    expect(auto.parse('2026/9/1 8:00')).toBe(US('2026-09-01T00:00:00Z'));
    expect(new TimestampParser('auto', 0).parse('2026-09-01 08:00:00')).toBe(US('2026-09-01T08:00:00Z'));
  });
  it('reads dotted regulator dates', () => {
    expect(auto.parse('2021.12.06. 10:39:23')).toBe(US('2021-12-06T02:39:23Z'));
  });
  it('guesses epoch units by magnitude and honours a named unit', () => {
    const s = 1_788_220_800;
    expect(auto.parse(s)).toBe(s * 1e6);
    expect(auto.parse(s * 1e3)).toBe(s * 1e6);
    expect(auto.parse(String(s * 1e6))).toBe(s * 1e6);
    expect(auto.parse(BigInt(s) * 1_000_000_000n)).toBe(s * 1e6);
    expect(epochToMicros(5, 'ms')).toBe(5000);
  });
  it('rejects impossible dates rather than rolling them over', () => {
    expect(auto.parse('2026-02-30T00:00:00Z')).toBeNaN();
    expect(auto.parse('2026-13-01 00:00:00')).toBeNaN();
    expect(auto.parse('yesterday')).toBeNaN();
  });
  it('parses in place from a slice of a line', () => {
    const line = 'x,2026-09-01T00:00:01.250Z,y';
    expect(auto.parseSlice(line, 2, 26)).toBe(US('2026-09-01T00:00:01.250Z'));
  });
});

describe('decimals', () => {
  it('parses exactly what Number() does for ordinary values', () => {
    for (const t of ['22.5431234', '-113.9', '0', '+7.25', '1e3', '0.1', '123456789012345678']) {
      expect(parseDecimal(t, 0, t.length)).toBe(Number(t));
    }
  });
  it('tells blanks from garbage', () => {
    expect(parseDecimal('  ', 0, 2)).toBe(MISSING);
    expect(parseDecimal('NaN', 0, 3)).toBe(MISSING);
    expect(parseDecimal('12abc', 0, 5)).toBeNaN();
    expect(parseDecimal('830 .04', 0, 7)).toBeNaN();
  });
});

describe('vocabularies', () => {
  it('maps mode spellings', () => {
    expect(parseMode('自动驾驶')).toBe('autonomous');
    expect(parseMode('COMPLETE_MANUAL')).toBe('manual');
    expect(parseMode('Remote')).toBe('remote');
    expect(parseMode('')).toBe('unknown');
    expect(parseMode('banana')).toBeNull();
  });
  it('maps event kinds and free-text initiators', () => {
    expect(parseEventKind('人工接管')).toBe('disengagement');
    expect(parseEventKind('crash')).toBe('collision');
    expect(parseInitiator('Test Driver')).toBe('driver');
    expect(parseInitiator('AV System - emergency stop')).toBe('system');
    expect(parseInitiator('远程安全员')).toBe('remote');
  });
  it('folds header names with units', () => {
    expect(foldName('Speed (km/h)')).toBe('speed_kmh');
    expect(mapHeader(['时间', '经度', '纬度', '速度(km/h)', 'Heading'], TELEMETRY_FIELDS)).toEqual({
      ts: 0,
      lon: 1,
      lat: 2,
      speed_kmh: 3,
      heading_deg: 4,
    });
  });
});

describe('encoding detection', () => {
  it('recognises BOM, UTF-8, GBK and cp1252', () => {
    expect(detectEncoding(Buffer.from('\uFEFFts,lat', 'utf8'))).toEqual({ encoding: 'utf-8', bomBytes: 3 });
    expect(detectEncoding(Buffer.from('时间,经度\n', 'utf8')).encoding).toBe('utf-8');
    expect(detectEncoding(iconv.encode('时间,经度,纬度,速度\n2026-09-01,114.05,22.54,36\n', 'gbk')).encoding).toBe(
      'gbk',
    );
    expect(detectEncoding(iconv.encode('manufacturer,description\nCafé “Test” driver’s\n', 'win1252')).encoding).toBe(
      'windows-1252',
    );
  });
});
