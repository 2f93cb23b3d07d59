import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simulateDrive } from './drive.js';
import { adsVersionOn, buildFleet, type Company, type Fleet, type Vehicle } from './fleet.js';
import { ManifestBuilder } from './manifest.js';
import type { LogFormat, SeedOptions } from './options.js';
import { Rng } from './prng.js';
import { embeddedRoads } from '../services/reference/roads/embedded.js';
import type { RoadGraph } from '../services/reference/roads/graph.js';
import { graphmlRoads } from '../services/reference/roads/graphml.js';
import { loadOdTrips } from '../services/reference/roads/od.js';
import { RoutePlanner } from './routes.js';
import { writeArrow } from './writers/arrow.js';
import { UTC_OFFSET_MS } from './writers/bytes.js';
import { writeCsv, writeGcj02Csv } from './writers/csv.js';
import { writeEventLog } from './writers/events.js';
import { writeGbkCsv } from './writers/gbk.js';
import { writeJsonl } from './writers/jsonl.js';
import type { DriveMeta, TelemetryWriter } from './writers/meta.js';
import { mcapRecording, writeBagRecording, type RecordingWriter } from './writers/recording.js';

export interface SeedResult {
  /** Files written, relative to `options.out`, `/`-separated: telemetry and recordings, event logs, manifest.json, fleet.json. */
  files: string[];
  rows: number;
  events: number;
  manifestPath: string;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * Telemetry logs (the vehicle's events go to a `<drive>.events.csv` beside them), or robotics recordings that
 * hold the events on their event channel; a recording's writer is drawn per drive (MCAP: zstd or lz4 chunks).
 */
type FormatWriter =
  | { readonly ext: string; readonly kind: 'log'; readonly write: TelemetryWriter }
  | { readonly ext: string; readonly kind: 'recording'; readonly writer: (rng: Rng) => RecordingWriter };

const WRITERS: Readonly<Record<LogFormat, FormatWriter>> = {
  csv: { ext: 'csv', kind: 'log', write: writeCsv },
  gbk: { ext: 'csv', kind: 'log', write: writeGbkCsv },
  gcj02: { ext: 'csv', kind: 'log', write: writeGcj02Csv },
  jsonl: { ext: 'jsonl', kind: 'log', write: writeJsonl },
  arrow: { ext: 'arrow', kind: 'log', write: writeArrow },
  mcap: { ext: 'mcap', kind: 'recording', writer: (rng) => mcapRecording(rng.chance(0.5) ? 'zstd' : 'lz4') },
  bag: { ext: 'bag', kind: 'recording', writer: () => writeBagRecording },
};
/**
 * How often each format is drawn for a drive, when allowed. GBK is one company's platform export instead.
 * Recordings are few (about 8 % of the default fleet's rows): per row, writing one costs ~15× a CSV and ingesting
 * one ~4× (five messages a sample, chunk compression in JavaScript, a second pass for the event channel).
 */
const FORMAT_WEIGHTS: Readonly<Record<LogFormat, number>> = {
  csv: 0.53,
  gbk: 0,
  jsonl: 0.14,
  arrow: 0.12,
  gcj02: 0.1,
  mcap: 0.05,
  bag: 0.06,
};
const DAY_MS = 86_400_000;
/** Local hours a test day runs between (drives start no later than the second). */
const DAY_START_H: readonly [number, number] = [7.5, 10];
const LAST_START_H = 20.5;
const DRIVE_MINUTES: readonly [number, number] = [10, 40];

/**
 * Generates a synthetic Shenzhen road-test fleet: for each day and vehicle, a few drives on real roads with
 * injected incidents; each drive is written as one telemetry file (plus an event log when the vehicle logged
 * something), and `manifest.json` holds the ground truth. Same options, same bytes.
 */
export async function generateFleet(options: SeedOptions, onProgress?: (rows: number) => void): Promise<SeedResult> {
  const t0 = performance.now();
  const graph: RoadGraph = options.roads === null ? embeddedRoads() : await graphmlRoads(options.roads);
  const trips = options.trips === null ? [] : await loadOdTrips(options.trips, graph);
  const planner = new RoutePlanner(graph, trips);
  const root = new Rng(options.seed);
  const firstDayUtcMs = Date.parse(`${options.start}T00:00:00Z`) - UTC_OFFSET_MS;
  const fleet = buildFleet(
    root.fork('fleet'),
    options.companies,
    options.vehicles,
    options.days,
    Number(options.start.slice(0, 4)),
  );
  const companyById = new Map(fleet.companies.map((c) => [c.id, c]));
  const manifest = new ManifestBuilder(options, fleet, graph.source);
  const written: string[] = [];
  const at = new Map<string, number>(fleet.vehicles.map((v) => [v.id, planner.randomNode(root.fork(`home/${v.id}`))]));
  mkdirSync(options.out, { recursive: true });

  let done = false;
  const droveEver = new Set<string>();
  for (let day = 0; day < options.days && !done; day++) {
    const dayMs = firstDayUtcMs + day * DAY_MS;
    const weekday = new Date(dayMs + UTC_OFFSET_MS).getUTCDay();
    const weekFactor = weekday === 0 || weekday === 6 ? 0.6 : 1.15;
    const growth = 0.8 + (0.4 * day) / Math.max(1, options.days - 1);
    let drivesToday = 0;
    for (const [v, vehicle] of fleet.vehicles.entries()) {
      const rng = root.fork(`${vehicle.id}/${day}`);
      const company = companyById.get(vehicle.companyId);
      if (company === undefined) continue;
      const planned = rng.poisson(options.drivesPerDay * vehicle.utilisation * weekFactor * growth);
      // Never an empty fleet: every vehicle drives at least once in the period (on the last day if not before) and
      // every day has a drive (the day's last vehicle takes it). The default schedule stays sparse (0.14 drives a
      // vehicle-day) because each per-drive file has a fixed ingest cost and `npm start` must answer within a minute.
      const mustDrive =
        (day === options.days - 1 && !droveEver.has(vehicle.id)) ||
        (v === fleet.vehicles.length - 1 && drivesToday === 0);
      const drives = Math.max(mustDrive ? 1 : 0, planned);
      if (drives > 0) droveEver.add(vehicle.id);
      drivesToday += drives;
      let clockH = rng.range(DAY_START_H[0], DAY_START_H[1]);
      for (let d = 0; d < drives && clockH < LAST_START_H; d++) {
        const drng = rng.fork(`drive${d}`);
        const startMs = dayMs + Math.round(clockH * 3600) * 1000;
        const target = drng.range(DRIVE_MINUTES[0], DRIVE_MINUTES[1]) * 60;
        const route = planner.plan(drng.fork('route'), at.get(vehicle.id) ?? planner.randomNode(drng), target);
        if (route.legs.length === 0) continue;
        const sim = simulateDrive({
          graph,
          legs: route.legs,
          expectedSeconds: route.expectedSeconds,
          hz: options.hz,
          gpsNoise: options.gpsNoise,
          driverless: vehicle.driverless,
          eventScale: options.eventScale,
          rng: drng.fork('sim'),
        });
        at.set(vehicle.id, route.end);
        const format = chooseFormat(drng.fork('format'), company, options.formats);
        const meta: DriveMeta = {
          companyId: vehicle.companyId,
          vehicleId: vehicle.id,
          driveId: driveId(vehicle, startMs),
          adsVersion: adsVersionOn(vehicle, day),
          startMs,
          hz: options.hz,
        };
        const dir = `${vehicle.companyId}/${vehicle.id}/${new Date(startMs + UTC_OFFSET_MS).toISOString().slice(0, 10)}`;
        mkdirSync(path.join(options.out, dir), { recursive: true });
        const writer = WRITERS[format];
        const file = `${dir}/${meta.driveId}.${writer.ext}`;
        const logged = sim.events.some((e) => e.logged);
        const eventsFile = !logged ? null : writer.kind === 'recording' ? file : `${dir}/${meta.driveId}.events.csv`;
        const lines = manifest.addDrive({ meta, format, file, eventsFile, driverless: vehicle.driverless, sim });
        if (writer.kind === 'recording') {
          writer.writer(drng.fork('recording'))(path.join(options.out, file), sim.trace, meta, lines);
          written.push(file);
        } else {
          writer.write(path.join(options.out, file), sim.trace, meta);
          written.push(file);
          if (eventsFile !== null) {
            writeEventLog(path.join(options.out, eventsFile), lines);
            written.push(eventsFile);
          }
        }
        clockH += sim.trace.n / options.hz / 3600 + rng.range(20, 120) / 60;
        onProgress?.(manifest.rowCount);
        if (options.maxRows !== null && manifest.rowCount >= options.maxRows) {
          done = true;
          break;
        }
      }
      if (done) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const manifestPath = path.join(options.out, 'manifest.json');
  writeFileSync(manifestPath, `${JSON.stringify(manifest.toJSON(), null, 2)}\n`);
  writeFileSync(path.join(options.out, 'fleet.json'), `${JSON.stringify(fleetJson(fleet, options), null, 2)}\n`);
  written.push('manifest.json', 'fleet.json');
  const seconds = (performance.now() - t0) / 1000;
  return {
    files: written,
    rows: manifest.rowCount,
    events: manifest.eventCount,
    manifestPath,
    seconds,
    rowsPerSecond: manifest.rowCount / Math.max(seconds, 1e-9),
  };
}

/** `<vehicle>-<UTC start yyyymmddThhmmssZ>`, the ingest's drive id convention. */
function driveId(vehicle: Vehicle, startMs: number): string {
  return `${vehicle.id}-${new Date(startMs).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** One company in three (the second) exports GBK CSV from its platform; the others mostly CSV. */
function chooseFormat(rng: Rng, company: Company, allowed: readonly LogFormat[]): LogFormat {
  if (allowed.includes('gbk') && (company.index % 3 === 1 || allowed.length === 1)) return 'gbk';
  const weights: Partial<Record<LogFormat, number>> = {};
  for (const f of allowed) if (f !== 'gbk') weights[f] = FORMAT_WEIGHTS[f];
  const entries = Object.entries(weights) as [LogFormat, number][];
  if (entries.length === 0) return 'gbk';
  return rng.weighted(Object.fromEntries(entries) as Record<LogFormat, number>);
}

function fleetJson(fleet: Fleet, options: SeedOptions): unknown {
  const day = (i: number): string =>
    new Date(Date.parse(`${options.start}T00:00:00Z`) + i * DAY_MS).toISOString().slice(0, 10);
  return {
    companies: fleet.companies.map((c) => ({
      id: c.id,
      name: c.name,
      name_en: c.nameEn,
      permits: c.permits,
      safety_officers: c.officers,
      ads_releases: c.releases.map((r) => ({ version: r.version, approved: day(r.day) })),
      vehicles: fleet.vehicles.filter((v) => v.companyId === c.id).map((v) => v.id),
    })),
    vehicles: fleet.vehicles.map((v) => ({
      id: v.id,
      company_id: v.companyId,
      plate: v.plate,
      vin: v.vin,
      model: v.model,
      driverless: v.driverless,
      safety_driver: !v.driverless,
      permit: v.permit,
      ads_versions: v.versions.map((r) => ({ version: r.version, from: day(r.day) })),
    })),
  };
}
