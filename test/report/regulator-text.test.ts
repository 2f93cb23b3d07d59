import { describe, expect, it } from 'vitest';
import { reportFromInputs } from '../../services/report/build.js';
import { reportDefinitions } from '../../services/report/definitions.js';
import { fmtBeijing, plural } from '../../services/report/format.js';
import { renderHtml } from '../../services/report/render-html.js';
import { DEFAULT_REPORT_THRESHOLDS } from '../../services/report/thresholds.js';
import { quarterPeriod } from '../../services/report/period.js';
import { parseFleetReference } from '../../services/reference/fleet-reference.js';
import { renderCsv, spreadsheetCsv, tableCsv } from '../../services/report/render-csv.js';
import { reportTables } from '../../services/report/tables.js';
import { INCIDENT_COLOURS } from '../../services/report/render-map.js';
import { EVENT_KINDS } from '../../services/ingest/schema/vocab.js';
import { kindsOf } from '../../services/vocabulary/event-kinds.js';
import { event, inputs, row, at } from './synthetic.js';

/** The text a reader sees on paper: tags, styles, attributes and map tooltips (`<title>` in the SVG) removed. */
const visible = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/gu, '')
    .replace(/<svg[\s\S]*?<\/svg>/gu, (svg) => svg.replace(/<title>[\s\S]*?<\/title>/gu, ''))
    .replace(/<[^>]+>/gu, ' ')
    .replace(/&[a-z]+;|&#\d+;/gu, ' ');

const start = at('2026-09-10T02:00:00Z');
const rollup = [
  row({ t0: start, t1: start + 3600 }),
  row({ t0: start + 3600, t1: start + 4000, mode: 'manual', m: 2000 }),
];
const events = [
  event({ kind: 'collision', severity: 'minor', cause: 'pedestrian_contact', ts: '2026-09-10T02:30:00.000Z' }),
  event({ kind: 'sensor_failure', cause: 'lidar_front_blocked', ts: '2026-09-10T02:31:00.000Z' }),
  event({ kind: 'sensor_failure', cause: 'imu_dropout', ts: '2026-09-10T02:32:00.000Z' }),
  event({
    kind: 'harsh_brake',
    origin: 'detected',
    severity: 'high',
    cause: 'e_scooter',
    ts: '2026-09-10T02:20:00.000Z',
  }),
  event({ kind: 'disengagement', initiator: 'driver', cause: 'precautionary', ts: '2026-09-10T03:00:00.000Z' }),
  event({ kind: 'disengagement', origin: 'detected', ts: '2026-09-10T02:40:00.000Z' }),
];
const model = reportFromInputs(inputs({ rollup, events }), '2026-12-07T13:34:54.390Z');

describe('the report reads as a document in Chinese', () => {
  const zh = visible(renderHtml(model, { lang: 'zh' }));

  it('names every code in Chinese: no snake_case, no JSON, no ISO stamp', () => {
    expect(zh.match(/[A-Za-z0-9]+_[A-Za-z0-9_]+/gu)).toBeNull();
    expect(zh).not.toMatch(/[{}]/u);
    expect(zh).not.toContain('2026-12-07T');
    for (const term of ['前向激光雷达遮挡', '惯性测量单元信号中断', '与行人接触', '预防性接管'])
      expect(zh).toContain(term);
  });

  it('stamps its generation in Beijing time', () => {
    expect(zh).toContain('2026-12-07 21:34 北京时间');
    expect(fmtBeijing('2026-12-31T16:00:00Z', 'en')).toBe('2027-01-01 00:00 Beijing time');
  });

  it('defines its figures as text: tolerance, thresholds, units, how km are measured, sources', () => {
    expect(zh).toContain('指标定义与数据来源');
    expect(zh).toContain('车速超过道路限速的 10%（容差）');
    expect(zh).toContain('haversine');
    expect(zh).toContain('-3 m/s²');
    const en = reportDefinitions(DEFAULT_REPORT_THRESHOLDS);
    const speeding = en.find((d) => d.id === 'speeding');
    expect(speeding?.text.en).toContain('more than 10 % (the tolerance)');
    expect(en.every((d) => d.source.zh.length > 0 && d.source.en.length > 0)).toBe(true);
    // one entry per gate, each with its own label
    expect(en.filter((d) => d.id.startsWith('gate.')).map((d) => d.text.zh)).toEqual(
      DEFAULT_REPORT_THRESHOLDS.gates.map((g) => g.label_zh),
    );
  });
});

describe('rates and English counts', () => {
  it('gives each rate its exact 95 % interval and a small-exposure caveat below the threshold', () => {
    const r = model.disengagements.rate;
    // 2 disengagements over 10 autonomous km
    expect(r).toMatchObject({ count: 2, per_km: 1000, small_exposure: true });
    expect(r.value).toBeCloseTo(200, 9);
    expect(r.lower).toBeCloseTo(24.22, 2);
    expect(r.upper).toBeCloseTo(722.47, 2);
    const en = visible(renderHtml(model, { lang: 'en' }));
    expect(en).toContain('95% CI 24.22 – 722.47');
    expect(en).toContain('Small exposure (2 events over 10.0 km');
    expect(visible(renderHtml(model, { lang: 'zh' }))).toContain('样本量小（2 起 / 10.0 km');
  });

  it('no caveat with enough events over enough distance', () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      event({ kind: 'disengagement', ts: new Date((start + 60 + i * 60) * 1000).toISOString() }),
    );
    const long = [row({ t0: start, t1: start + 3600, m: 2_000_000 })];
    const m = reportFromInputs(inputs({ rollup: long, events: many }), '2026-10-01T00:00:00.000Z');
    expect(m.disengagements.rate).toMatchObject({ count: 12, small_exposure: false });
  });

  it('writes singular and plural forms', () => {
    expect(plural(1, 'disengagement')).toBe('1 disengagement');
    expect(plural(2, 'disengagement')).toBe('2 disengagements');
    expect(plural(1_234, 'row')).toBe('1,234 rows');
    const flag = model.flags.find((f) => f.code === 'unlogged_disengagement');
    expect(flag?.message_en).toMatch(/^1 disengagement appears only as a mode change/u);
  });
});

describe('months without data and a period not yet ended', () => {
  // Q3 2026 generated on 20 August: July has no data, August has some, September has not begun.
  const q = reportFromInputs(
    inputs({
      period: quarterPeriod('2026-Q3'),
      previous: quarterPeriod('2026-Q2'),
      rollup: [row({ t0: at('2026-08-10T02:00:00Z'), t1: at('2026-08-10T03:00:00Z') })],
    }),
    '2026-08-20T04:00:00.000Z',
  );

  it('says which months received nothing and which have not ended, instead of 0.0', () => {
    expect(q.months.rows.map((r) => [r.month, r.status])).toEqual([
      ['2026-07', 'no_data'],
      ['2026-08', 'in_progress'],
      ['2026-09', 'not_ended'],
    ]);
    expect(q.months.total.status).toBe('in_progress');
    const csv = renderCsv(q, 'months').trim().split('\r\n');
    expect(csv[1]).toBe('2026-07,no_data,,,,,,,,,,,,,,,');
    const zh = visible(renderHtml(q, { lang: 'zh' }));
    expect(zh).toContain('未收到数据');
    expect(zh).toContain('报告期尚未结束：数据截至 2026-08-20 12:00 北京时间');
    expect(zh).toContain('2026-09 尚未收到数据');
    expect(visible(renderHtml(q, { lang: 'en' }))).toContain('Period incomplete');
  });

  it('a period that has ended is complete and carries no banner', () => {
    expect(model.months.total.status).toBe('complete');
    expect(visible(renderHtml(model, { lang: 'en' }))).not.toContain('Period incomplete');
  });
});

describe('permit checks, signature block and collision narrative', () => {
  const fleet = parseFleetReference(
    {
      companies: [
        {
          id: 'co1',
          name: '测试科技有限公司',
          permits: [{ number: 'SZ-1', issued: '2026-09-15', expires: '2027-09-14', districts: ['福田', '南山'] }],
          contact: { name: '王敏', title: '安全负责人', phone: '0755-1234', email: 'a@example.cn' },
        },
      ],
      vehicles: [
        { id: 'v1', company_id: 'co1', plate: '粤B·T001试', permit: 'SZ-1' },
        { id: 'v2', company_id: 'co1' },
      ],
    },
    'fleet.json',
  );
  const t0 = at('2026-09-20T02:00:00Z');
  const rows = [
    row({ t0, t1: t0 + 3600, district: '福田', day: '2026-09-20' }),
    row({ t0: t0 + 3600, t1: t0 + 4000, district: '罗湖', m: 5800, day: '2026-09-20' }),
    row({ t0: at('2026-09-10T02:00:00Z'), t1: at('2026-09-10T02:10:00Z'), district: '南山', day: '2026-09-10' }),
    row({ t0, t1: t0 + 600, vehicle_id: 'v2', drive_id: 'v2-d1', district: '福田', day: '2026-09-20' }),
  ];
  const evs = [
    event({ kind: 'harsh_brake', origin: 'detected', cause: 'e_scooter', ts: '2026-09-20T02:29:58.000Z' }),
    event({
      kind: 'collision',
      severity: 'minor',
      cause: 'e_scooter_contact',
      district: '福田',
      ts: '2026-09-20T02:30:00.000Z',
    }),
    event({ kind: 'disengagement', initiator: 'driver', cause: 'post_collision', ts: '2026-09-20T02:30:05.000Z' }),
  ];
  const m = reportFromInputs(inputs({ rollup: rows, events: evs, fleet }), '2026-10-01T00:00:00.000Z');
  const codes = m.flags.map((f) => f.code);

  it('flags driving outside the permit’s districts and dates, and a vehicle without a permit', () => {
    expect(codes).toEqual(expect.arrayContaining(['permit_district', 'permit_dates', 'permit_missing']));
    const district = m.flags.find((f) => f.code === 'permit_district');
    expect(district?.message_zh).toBe('车辆 v1 在罗湖自动驾驶 5.8 km，许可 SZ-1 仅限 福田、南山');
    expect(m.flags.find((f) => f.code === 'permit_dates')?.message_en).toContain('1 day (2026-09-10)');
    expect(m.flags.find((f) => f.code === 'permit_missing')?.message_en).toContain('v2');
    const zh = visible(renderHtml(m, { lang: 'zh' }));
    expect(zh).toContain('许可 SZ-1 仅限 福田、南山');
  });

  it('prints a signature and contact block from fleet.json', () => {
    const zh = visible(renderHtml(m, { lang: 'zh' }));
    expect(zh).toContain('报送与签章');
    expect(zh).toMatch(/联系人\s+王敏，安全负责人/u);
    expect(zh).toContain('0755-1234');
    expect(zh).toContain('负责人签字');
  });

  it('tells each collision in a sentence: Beijing time, place, speed, mode, and what was logged around it', () => {
    expect(m.accidents.list[0]?.around.map((a) => [a.kind, a.offset_s])).toEqual([
      ['harsh_brake', -2],
      ['disengagement', 5],
    ]);
    const zh = visible(renderHtml(m, { lang: 'zh' }));
    expect(zh).toContain(
      '2026-09-20 10:30 北京时间，v1（粤B·T001试）在 福田，22.54000, 114.05000 以 36.0 km/h 自动驾驶行驶时发生碰撞（与电动自行车接触），伤情：轻微伤。事前记录：−2 s 急减速（电动自行车）；事后记录：+5 s 脱离（碰撞后处置）。',
    );
    const en = visible(renderHtml(m, { lang: 'en' }));
    expect(en).toContain(
      'Logged before: −2 s harsh braking (e-scooter); after: +5 s disengagement (after a collision).',
    );
  });
});

describe('CSV for spreadsheets', () => {
  it('one table: UTF-8 with BOM, rounded as printed, optional bilingual header; the script form unchanged', () => {
    const t = reportTables(model).find((x) => x.id === 'exposure.by_vehicle');
    if (!t) throw new Error('no exposure.by_vehicle table');
    const sheet = spreadsheetCsv(t, true);
    expect(sheet.startsWith('\uFEFFcompany_id,')).toBe(true);
    const [keys, names, first] = sheet.slice(1).split('\r\n');
    expect(keys?.split(',')).toContain('km_autonomous');
    expect(names).toContain('里程 km（自动驾驶） / km autonomous');
    const i = keys?.split(',').indexOf('h_autonomous') ?? -1;
    // 1 h of autonomous driving, printed to one decimal
    expect(first?.split(',')[i]).toBe('1.0');
    const script = tableCsv(t);
    expect(script.startsWith('company_id,')).toBe(true);
    expect(script.split('\r\n')[1]?.split(',')[i]).toBe('1');
  });
});

describe('the report map’s palette', () => {
  it('gives every event kind its own colour, in its group’s hue family', () => {
    const colours = EVENT_KINDS.map((k) => INCIDENT_COLOURS[k]);
    expect(colours.every((c) => c !== undefined && c !== '#111827')).toBe(true);
    expect(new Set(colours).size).toBe(EVENT_KINDS.length);
    // the four system faults no longer share one teal
    expect(new Set(kindsOf('system_fault').map((k) => INCIDENT_COLOURS[k])).size).toBe(4);
  });
});
