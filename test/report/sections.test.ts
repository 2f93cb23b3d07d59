import { describe, expect, it } from 'vitest';
import { reportFromInputs } from '../../services/report/build.js';
import { VehicleTimelines } from '../../services/report/context.js';
import { parseFleetReference } from '../../services/reference/fleet-reference.js';
import { at, event, inputs, row } from './synthetic.js';
import { delta } from '../../services/report/model.js';
import {
  monthPeriod,
  parsePeriod,
  previousMonth,
  previousPeriod,
  quarterPeriod,
  rangePeriod,
} from '../../services/report/period.js';
import { renderCsv } from '../../services/report/render-csv.js';
import { renderHtml } from '../../services/report/render-html.js';
import { collisionFacts, stopTesting } from '../../services/report/sections/collision-facts.js';
import { DEFAULT_REPORT_THRESHOLDS, resolveReportThresholds } from '../../services/report/thresholds.js';

const T = DEFAULT_REPORT_THRESHOLDS;

describe('periods, deltas and thresholds', () => {
  it('a month is Beijing local time', () => {
    const p = monthPeriod('2026-01');
    expect(p).toMatchObject({
      from: '2025-12-31T16:00:00.000Z',
      to: '2026-01-31T16:00:00.000Z',
      firstDate: '2026-01-01',
      lastDate: '2026-01-31',
      days: 31,
    });
    expect(monthPeriod('2028-02').days).toBe(29);
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(() => monthPeriod('2026-13')).toThrow(RangeError);
  });

  it('a quarter and a span are whole Beijing months, and each has a period before it', () => {
    const q = quarterPeriod('2026-Q1');
    expect(q).toMatchObject({
      kind: 'quarter',
      id: '2026-Q1',
      months: ['2026-01', '2026-02', '2026-03'],
      from: '2025-12-31T16:00:00.000Z',
      to: '2026-03-31T16:00:00.000Z',
      firstDate: '2026-01-01',
      lastDate: '2026-03-31',
      days: 90,
    });
    expect(previousPeriod(q).id).toBe('2025-Q4');
    expect(previousPeriod(monthPeriod('2026-01')).id).toBe('2025-12');
    const r = parsePeriod('2025-11..2026-02');
    expect(r).toMatchObject({
      kind: 'range',
      months: ['2025-11', '2025-12', '2026-01', '2026-02'],
      lastDate: '2026-02-28',
      days: 30 + 31 + 31 + 28,
    });
    expect(previousPeriod(r).id).toBe('2025-07..2025-10');
    expect(parsePeriod('2026-Q4').lastDate).toBe('2026-12-31');
    expect(() => rangePeriod('2026-03', '2026-01')).toThrow(/before/u);
    expect(rangePeriod('2017-01', '2026-12').months.length).toBe(120);
    expect(() => rangePeriod('2016-12', '2026-12')).toThrow(/more than 120 months/u);
    for (const bad of ['2026-Q5', '2026-1', '2026-01..', 'Q1-2026'])
      expect(() => parsePeriod(bad), bad).toThrow(RangeError);
  });

  it('month-over-month deltas: value, Δ and Δ% (none from zero or without a previous month)', () => {
    expect(delta(12, 10)).toEqual({ value: 12, previous: 10, delta: 2, delta_pct: 20 });
    expect(delta(3, 0)).toEqual({ value: 3, previous: 0, delta: 3, delta_pct: null });
    expect(delta(3, null)).toEqual({ value: 3, previous: null, delta: null, delta_pct: null });
  });

  it('thresholds are checked', () => {
    expect(() => resolveReportThresholds({ positionHz: 0 })).toThrow(/positionHz/u);
    expect(() =>
      resolveReportThresholds({
        gates: [{ id: 'x', label_zh: 'x', label_en: 'x', hours: null, km: null, clean: false }],
      }),
    ).toThrow(/gate x/u);
    expect(resolveReportThresholds({ window: { beforeS: 60, afterS: 30 } }).window).toEqual({
      beforeS: 60,
      afterS: 30,
    });
  });
});

describe('accidents and stop-testing triggers', () => {
  it('reads counterpart, damage, liability and vulnerable road users', () => {
    expect(collisionFacts({ cause: 'pedestrian_contact', detail: null })).toMatchObject({
      counterpart: 'pedestrian_contact',
      vru: true,
      liability: null,
      at_fault: null,
    });
    expect(
      collisionFacts({ cause: 'rear_ended_by_car', detail: '{"liability":"not_at_fault","damage":"minor"}' }),
    ).toMatchObject({ vru: false, at_fault: false, damage: 'minor' });
    expect(collisionFacts({ cause: null, detail: '{"at_fault":true}' })).toMatchObject({ at_fault: true });
  });

  it('serious injury, death or a destroyed vehicle stop testing', () => {
    expect(stopTesting({ severity: 'serious', cause: null, detail: null }, T)).toBe(true);
    expect(stopTesting({ severity: 'fatal', cause: null, detail: null }, T)).toBe(true);
    expect(stopTesting({ severity: 'minor', cause: null, detail: '{"damage":"destroyed"}' }, T)).toBe(true);
    expect(stopTesting({ severity: 'moderate', cause: null, detail: null }, T)).toBe(false);
  });
});

describe('incident windows from the rollup timeline', () => {
  // One drive 10:00:00–10:20:00 UTC with a 5 s dropout ending at 10:10:00.
  const start = at('2026-09-10T10:00:00Z');
  const rows = [
    row({ t0: start, t1: start + 599.8 }),
    row({ t0: start + 600, t1: start + 600, n: 1, s: 5, long_interval: true, max_dt: 5 }),
    row({ t0: start + 600.2, t1: start + 1200 }),
  ];
  const tl = new VehicleTimelines(rows, []);
  const w = (iso: string) => tl.window('v1', iso, T.window, T.windowTolerance);

  it('complete in the middle of a drive', () => expect(w('2026-09-10T10:05:00Z').complete).toBe(true));
  it('incomplete when the drive starts less than 90 s before', () =>
    expect(w('2026-09-10T10:00:30Z')).toMatchObject({ complete: false, missing_before_s: 60 }));
  it('incomplete when the drive ends less than 30 s after', () =>
    expect(w('2026-09-10T10:19:50Z')).toMatchObject({ complete: false, missing_after_s: 20 }));
  it('incomplete with a gap inside', () =>
    expect(w('2026-09-10T10:10:30Z')).toMatchObject({ complete: false, max_gap_s: 5 }));
  it('incomplete without any sample', () => expect(w('2026-09-11T10:00:00Z').complete).toBe(false));
  it('mode at an event follows the detected mode changes', () => {
    const ev = [
      event({
        kind: 'disengagement',
        origin: 'detected',
        drive_id: 'v1-d1',
        ts: '2026-09-10T10:15:00.000Z',
        detail: '{"from":"autonomous","to":"manual"}',
      }),
    ];
    const withManual = new VehicleTimelines(
      [
        ...rows.slice(0, 2),
        row({ t0: start + 600.2, t1: start + 899.8 }),
        row({ t0: start + 900, t1: start + 1200, mode: 'manual' }),
      ],
      ev,
    );
    expect(withManual.contextAt('v1', '2026-09-10T10:14:59Z').mode).toBe('autonomous');
    expect(withManual.contextAt('v1', '2026-09-10T10:15:00Z').mode).toBe('manual');
    expect(withManual.contextAt('v1', '2026-09-10T11:00:00Z').mode).toBe('manual');
    expect(withManual.contextAt('v1', '2026-09-10T09:00:00Z').mode).toBeNull();
  });
});

describe('the model from synthetic inputs', () => {
  const start = at('2026-09-10T02:00:00Z');
  const rollup = [
    row({ t0: start, t1: start + 3600 }),
    row({ t0: start + 3600, t1: start + 4000, mode: 'manual', m: 2000 }),
  ];
  const events = [
    event({ kind: 'collision', severity: 'serious', cause: 'pedestrian_contact', ts: '2026-09-10T02:30:00.000Z' }),
    event({ kind: 'harsh_brake', origin: 'detected', severity: 'high', ts: '2026-09-10T02:20:00.000Z' }),
    event({ kind: 'cut_in_detected', origin: 'detected', ts: '2026-09-10T02:21:00.000Z' }),
    event({ kind: 'disengagement', initiator: 'driver', cause: 'precautionary', ts: '2026-09-10T03:00:00.000Z' }),
    event({ kind: 'disengagement', origin: 'detected', counted: false, ts: '2026-09-10T03:00:01.000Z' }),
  ];
  const model = reportFromInputs(inputs({ rollup, events }), '2026-10-01T00:00:00.000Z');

  it('raises the red stop-testing flag for a serious injury', () => {
    expect(model.accidents.stop_testing).toBe(true);
    expect(model.accidents.list[0]).toMatchObject({
      injury: 'serious',
      vulnerable_road_user: true,
      stop_testing: true,
      mode: 'autonomous',
    });
    expect(model.flags.filter((f) => f.level === 'red').map((f) => f.code)).toEqual(['stop_testing']);
    expect(renderHtml(model, { lang: 'en' })).toContain(
      'Guangdong: a serious injury, death or destroyed vehicle stops testing',
    );
    expect(renderHtml(model, { lang: 'zh' })).toContain('广东省规定');
  });

  it('counts what the metrics count, and shows detected and new kinds of safety-critical events', () => {
    expect(model.disengagements.count.value).toBe(1);
    expect(model.exposure.km.autonomous.value).toBeCloseTo(10, 9);
    expect(model.exposure.km.manual.value).toBeCloseTo(2, 9);
    const kinds = Object.fromEntries(model.safety_events.rows.map((r) => [r.kind, r]));
    expect(kinds.harsh_brake).toMatchObject({ count: 1, detected: 1, by_severity: { high: 1 } });
    expect(kinds.cut_in_detected).toMatchObject({ count: 1, detected: 1 });
    expect(renderCsv(model, 'safety_events.by_kind')).toContain('cut_in_detected');
  });

  it('says "not recorded" without a fleet reference, and has no previous month to compare', () => {
    expect(model.header.permits).toBeNull();
    expect(model.fleet.vehicles_registered).toBeNull();
    expect(model.fleet.officers).toBeNull();
    expect(model.changes.previous_has_data).toBe(false);
    expect(model.exposure.km.autonomous.previous).toBeNull();
    expect(renderHtml(model, { lang: 'en' })).toContain('No fleet reference');
  });

  it('gates: cumulative progress, and blocked by a violation or pending liability', () => {
    const history = [{ company_id: 'co1', month: '2026-07', autonomous_km: 995, autonomous_h: 100 }];
    const pending = reportFromInputs(inputs({ rollup, events, history }), '2026-10-01T00:00:00.000Z');
    const demo = pending.gates.gates.find((g) => g.id === 'national_demo');
    expect(demo).toMatchObject({ cumulative_km: 1005, progress: 1, status: 'pending_liability' });
    expect(demo?.previous_progress).toBeCloseTo(0.995, 9);
    const violation = event({
      kind: 'traffic_violation',
      origin: 'imported',
      cause: 'red_light',
      ts: '2026-07-03T02:00:00.000Z',
    });
    const blocked = reportFromInputs(
      inputs({ rollup, events, history, history_events: [violation] }),
      '2026-10-01T00:00:00.000Z',
    );
    expect(blocked.gates.gates.find((g) => g.id === 'national_demo')?.status).toBe('blocked');
    expect(blocked.gates.gates.find((g) => g.id === 'nanshan_5000km')).toMatchObject({ status: 'not_met' });
  });
});

describe('fleet reference', () => {
  it('takes what a partial fleet.json has', () => {
    const ref = parseFleetReference(
      { vehicles: [{ id: 'v1', plate: '粤B·D0001试', safety_driver: false }, { plate: 'no id' }] },
      'x.json',
    );
    expect(ref.vehicles).toEqual([
      {
        id: 'v1',
        company_id: null,
        plate: '粤B·D0001试',
        vin: null,
        model: null,
        driverless: true,
        safety_driver: false,
        permit: null,
      },
    ]);
    expect(ref.companies).toEqual([]);
    expect(() => parseFleetReference({ fleet: [] }, 'x.json')).toThrow(/x\.json/u);
  });

  it('refuses a field of the wrong type, naming the file and the field', () => {
    expect(() => parseFleetReference({ vehicles: [{ id: 'v1', driverless: 'yes' }] }, 'x.json')).toThrow(
      /x\.json: \/vehicles\/0\/driverless/u,
    );
    expect(() =>
      parseFleetReference({ companies: [{ id: 'c', safety_officers: [{ role: 'pilot' }] }] }, 'x.json'),
    ).toThrow(/safety_officers\/0\/role/u);
  });
});
