import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPaths } from '../../../services/ingest/ingest.js';
import { openSource } from '../../../services/ingest/readers/open-source.js';
import { tempDir } from '../../helpers/lake.js';
import {
  gbtFrame,
  gbtHeartbeat,
  gbtLogin,
  gbtRealtime,
  ingestOne,
  nmeaEpoch,
  nmeaSentence,
  syntheticDrive,
  type GbtSample,
} from './fixtures.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('avlog-nmea-gbt-')));
afterAll(() => cleanup());

let n = 0;
function file(name: string): string {
  return path.join(dir, `${n++}-${name}`);
}

const drive = syntheticDrive(60);
const t0 = drive.meta.startMs;
const at = (k: number) => ({
  lat: drive.trace.lat[k] as number,
  lon: drive.trace.lon[k] as number,
  v: drive.trace.v[k] as number,
  h: drive.trace.heading[k] as number,
});

describe('NMEA 0183 reader', () => {
  it('merges RMC, GGA and VTG of an epoch into one sample with speed and course; skips satellite sentences', async () => {
    const lines = [nmeaSentence('GPGSV,3,1,12,01,40,083,46,02,17,308,41,12,07,344,39,14,22,228,45')];
    for (let k = 0; k < 60; k++)
      lines.push(...nmeaEpoch(t0 + k * 1000, at(k).lat, at(k).lon, at(k).v, at(k).h, k % 2 ? 'GN' : 'GP'));
    const f = file('drive.nmea');
    fs.writeFileSync(f, `${lines.join('\r\n')}\r\n`);
    const { summary, rows } = await ingestOne(f, file('lake'), { company: 'acme', vehicle: 'gps-1' });
    expect(summary).toMatchObject({
      status: 'ingested',
      format: 'nmea',
      rows_in: 60,
      rows_stored: 60,
      rows_quarantined: 0,
    });
    rows.forEach((r, k) => {
      expect(Number(r.ts_us)).toBe((t0 + k * 1000) * 1000);
      expect(Number(r.lat)).toBeCloseTo(at(k).lat, 6);
      expect(Number(r.lon)).toBeCloseTo(at(k).lon, 6);
      expect(Number(r.speed_mps)).toBeCloseTo(at(k).v, 2);
      expect(Number(r.heading_deg)).toBeCloseTo(at(k).h, 2);
      expect(Number(r.source_row)).toBe(2 + 3 * k); // the epoch's first sentence (line numbers)
    });
  });

  it('quarantines bad checksums, no-fix epochs, malformed sentences and a cut-off last line, with line and offset', async () => {
    const lines: string[] = [];
    for (let k = 0; k < 10; k++) lines.push(...nmeaEpoch(t0 + k * 1000, at(k).lat, at(k).lon, at(k).v, at(k).h));
    lines[3] = (lines[3] as string).replace(/\*[0-9A-F]{2}$/u, '*00'); // epoch 1's RMC: GGA + VTG still make it
    lines[6] = nmeaSentence('GNRMC,020002.00,V,,,,,,,010926,,,N'); // epoch 2: no fix
    lines[7] = nmeaSentence('GNGGA,020002.00,,,,,0,00,99.9,,M,,M,,');
    lines[8] = nmeaSentence('GNVTG,,T,,M,,N,,K,N');
    lines[12] = nmeaSentence('GNRMC,020004.00,A,22xx.40000,N,11403.00000,E,1,2,010926,,,A'); // bad latitude
    const text = `${lines.join('\n')}\n$GNRMC,020010.00,A,2232.4`;
    const f = file('bad.nmea');
    fs.writeFileSync(f, text);
    const { summary, quarantine } = await ingestOne(f, file('lake'), { company: 'acme', vehicle: 'gps-1' });
    expect(summary.status).toBe('ingested');
    expect(summary.quarantine_by_reason).toEqual({
      bad_checksum: 1,
      missing_field: 1,
      bad_number: 1,
      truncated_row: 1,
    });
    expect(summary.rows_stored).toBe(9);
    const byReason = Object.fromEntries(quarantine.map((q) => [q.reason, q]));
    expect(byReason.bad_checksum).toMatchObject({ line: '4', byte_offset: String(text.indexOf(lines[3] as string)) });
    expect(byReason.missing_field?.detail).toMatch(/no fix \(RMC status "V"\)/u);
    expect(byReason.truncated_row).toMatchObject({ line: '31', raw: '$GNRMC,020010.00,A,2232.4' });
  });

  it('dates GGA-only epochs from ZDA and rolls over midnight', async () => {
    const night = Date.UTC(2026, 8, 1, 23, 59, 58);
    const lines = [nmeaSentence('GPZDA,235958.00,01,09,2026,00,00')];
    for (let k = 0; k < 4; k++) {
      const ms = night + k * 1000;
      lines.push(...(nmeaEpoch(ms, at(k).lat, at(k).lon, at(k).v, at(k).h)[1] as string).split('\n'));
    }
    const f = file('gga.nmea');
    fs.writeFileSync(f, `${lines.join('\n')}\n`);
    const { rows } = await ingestOne(f, file('lake'), { company: 'acme', vehicle: 'gps-1' });
    expect(rows.map((r) => Number(r.ts_us) / 1000)).toEqual([0, 1, 2, 3].map((k) => night + k * 1000));
  });
});

describe('GB/T 32960 reader', () => {
  const VIN = 'LGBT0000000000001';
  const sample = (k: number, vin = VIN): GbtSample => ({
    ms: t0 + k * 1000,
    vin,
    lat: at(k).lat,
    lon: at(k).lon,
    speedKmh: at(k).v * 3.6,
    odometerKm: 1234.5 + k * 0.1,
  });

  it('reads real-time and re-sent frames in time order, skipping login and heartbeat frames', async () => {
    const frames: Buffer[] = [gbtLogin(VIN, t0)];
    const resent: Buffer[] = [];
    for (let k = 0; k < 40; k++) {
      // Samples 20…29 were buffered offline and re-sent (0x03) after the connection came back.
      if (k >= 20 && k < 30) resent.push(gbtRealtime(sample(k), 0x03));
      else frames.push(gbtRealtime(sample(k)));
      if (k % 10 === 0) frames.push(gbtHeartbeat(VIN));
    }
    const f = file('vehicle.gbt');
    fs.writeFileSync(f, Buffer.concat([...frames.slice(0, 30), ...resent, ...frames.slice(30)]));
    const { summary, rows } = await ingestOne(f, file('lake'), { company: 'acme' });
    expect(summary).toMatchObject({
      status: 'ingested',
      format: 'gbt32960',
      rows_in: 40,
      rows_stored: 40,
      rows_quarantined: 0,
    });
    rows.forEach((r, k) => {
      expect(r).toMatchObject({ vehicle_id: VIN, company_id: 'acme' });
      expect(Number(r.ts_us)).toBe((t0 + k * 1000) * 1000);
      expect(Number(r.lat)).toBeCloseTo(at(k).lat, 6);
      expect(Number(r.speed_mps)).toBeCloseTo(Math.round(at(k).v * 36) / 36, 9); // 0.1 km/h resolution
    });
    // The odometer travels as a reader column (no lake column yet).
    const source = openSource(f, 'vehicle.gbt', null);
    const batch = source.next();
    source.close();
    const odo = source.columns.indexOf('odometer_km');
    expect(batch?.value(0, odo)).toBe(1234.5);
  });

  it('keeps vehicles apart in one platform log', async () => {
    const frames: Buffer[] = [];
    for (let k = 0; k < 20; k++)
      frames.push(
        gbtRealtime(sample(k, 'LGBTAAAAAAAAAAAA1')),
        gbtRealtime({ ...sample(k, 'LGBTBBBBBBBBBBBB2'), lat: at(k).lat + 0.01 }),
      );
    const f = file('platform.gbt32960');
    fs.writeFileSync(f, Buffer.concat(frames));
    const { summary, rows } = await ingestOne(f, file('lake'), { company: 'acme' });
    expect(summary.rows_stored).toBe(40);
    expect(new Set(rows.map((r) => r.vehicle_id))).toEqual(new Set(['LGBTAAAAAAAAAAAA1', 'LGBTBBBBBBBBBBBB2']));
  });

  it('quarantines a bad BCC, an invalid position, encryption, garbage and a cut-off frame at their offsets', async () => {
    const parts: Buffer[] = [];
    for (let k = 0; k < 12; k++) parts.push(gbtRealtime(sample(k)));
    const badBcc = Buffer.from(parts[2] as Buffer);
    badBcc[40] = (badBcc[40] as number) ^ 0x01;
    parts[2] = badBcc;
    parts[4] = gbtRealtime({ ...sample(4), valid: false });
    const encrypted = gbtRealtime(sample(6));
    parts[6] = gbtFrame(0x02, VIN, [...encrypted.subarray(24, encrypted.length - 1)], 0x03);
    parts.splice(8, 0, Buffer.from('garbage!'));
    const cut = gbtRealtime(sample(12));
    const bytes = Buffer.concat([...parts, cut.subarray(0, 50)]);
    const offsetOf = (i: number) => parts.slice(0, i).reduce((a, b) => a + b.length, 0);
    const f = file('damaged.gbt');
    fs.writeFileSync(f, bytes);
    const { summary, quarantine, rows } = await ingestOne(f, file('lake'), { company: 'acme' });
    expect(summary.status).toBe('ingested');
    expect(rows).toHaveLength(9);
    expect(quarantine.map((q) => [q.reason, Number(q.byte_offset)])).toEqual([
      ['bad_checksum', offsetOf(2)],
      ['missing_field', offsetOf(4)],
      ['undecodable_message', offsetOf(6)],
      ['malformed_row', offsetOf(8)],
      ['truncated_row', offsetOf(parts.length)],
    ]);
    expect(quarantine[0]?.detail).toMatch(/BCC 0x[0-9a-f]{2} does not match/u);
    expect(quarantine[0]?.raw).toMatch(/^2323/u);
  });
});

describe('format sniffing', () => {
  it('takes a lone cut-off GB/T 32960 frame as one quarantined row, and the file as empty', async () => {
    const f = file('junk.gbt');
    fs.writeFileSync(f, Buffer.from([0x23, 0x23, 0x02, 0xfe, 0x41]));
    const { summary } = await ingestOne(f, file('lake'), { company: 'acme' });
    expect(summary).toMatchObject({ status: 'empty', rows_in: 1, rows_quarantined: 1 });
    expect(summary.error).toMatch(
      /no telemetry and no events in this gbt32960 file: 1 record\(s\) read, all quarantined/u,
    );
  });

  const sample = (k: number): GbtSample => ({
    ms: t0 + k * 1000,
    vin: 'LGBT0000000000001',
    lat: at(k).lat,
    lon: at(k).lon,
    speedKmh: at(k).v * 3.6,
    odometerKm: 1,
  });

  it('picks the binary formats up in a folder walk and sniffs them by content, not name', () => {
    const folder = file('walk');
    fs.mkdirSync(folder);
    const nmea = `${nmeaEpoch(t0, at(0).lat, at(0).lon, at(0).v, at(0).h).join('\n')}\n`;
    const frames = gbtRealtime(sample(0));
    for (const name of ['a.nmea', 'b.gbt', 'c.gbt32960', 'd.32960', 'e.bin'])
      fs.writeFileSync(path.join(folder, name), name.endsWith('.nmea') ? nmea : frames);
    fs.writeFileSync(path.join(folder, 'f.log'), nmea);
    expect(expandPaths([folder]).map((p) => path.basename(p))).toEqual(['a.nmea', 'b.gbt', 'c.gbt32960', 'd.32960']);
    const formats = ['e.bin', 'f.log'].map((name) => {
      const s = openSource(path.join(folder, name), name, null);
      s.close();
      return s.format;
    });
    expect(formats).toEqual(['gbt32960', 'nmea']);
  });
});
