import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, type AppState } from '../../web/src/state/app-state.js';
import { stateFromUrl, urlFromState } from '../../web/src/state/url-state.js';

describe('the URL holds the whole view state', () => {
  it('round-trips every field', () => {
    const s: AppState = {
      view: { longitude: 114.05123, latitude: 22.54321, zoom: 13.5, pitch: 30, bearing: -12.5 },
      filters: {
        company: ['plzx', 'nlzj'],
        vehicle: ['plzx-v01'],
        from: '2026-09-01',
        to: '2026-09-07',
        mode: ['autonomous', 'remote'],
        kind: ['harsh_brake', 'collision'],
      },
      colorBy: 'speed',
      layers: ['districts', 'routes', 'hexbin', 'trips'],
      time: Date.parse('2026-09-01T01:20:00Z'),
      speed: 300,
      playing: true,
      list: {
        open: true,
        sort: '-peak',
        severity: ['high'],
        district: ['福田'],
        ads_version: ['v3.5'],
        cursors: ['eyJ2IjoxLCJpZCI6ImEiLCJzIjoiLXBlYWsifQ', 'eyJ2IjoyfQ'],
      },
      incident: '1b51b8d00bd76dd7043e2ec6',
      lang: 'zh',
      tiles: 'https://tiles.example/{z}/{x}/{y}.png',
      tileCrs: 'gcj02',
    };
    expect(stateFromUrl(urlFromState(s))).toEqual(s);
  });

  it('an empty URL is the default state, and the default state is an empty URL', () => {
    expect(stateFromUrl('')).toEqual(DEFAULT_STATE);
    expect(urlFromState(DEFAULT_STATE)).toBe('');
  });

  it('ignores what it cannot read instead of failing', () => {
    const s = stateFromUrl(
      '?v=a,b,c&from=yesterday&mode=flying,manual&kind=DROP%20TABLE&t=soon&speed=-3&incident=../../etc&layers=routes,lasers&crs=bd09',
    );
    expect(s.view).toBeNull();
    expect(s.filters.from).toBeNull();
    expect(s.filters.mode).toEqual(['manual']);
    expect(s.filters.kind).toEqual([]);
    expect(s.time).toBeNull();
    expect(s.speed).toBe(DEFAULT_STATE.speed);
    expect(s.incident).toBeNull();
    expect(s.layers).toEqual(['routes']);
    expect(s.tileCrs).toBeNull();
  });

  it('keeps lists readable (commas unescaped)', () => {
    expect(
      urlFromState({ ...DEFAULT_STATE, filters: { ...DEFAULT_STATE.filters, mode: ['autonomous', 'manual'] } }),
    ).toBe('?mode=autonomous,manual');
  });
});
