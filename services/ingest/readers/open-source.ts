import fs from 'node:fs';
import { SourceError } from '../errors.js';
import { EVENT_FIELDS, mapHeader, TELEMETRY_FIELDS } from '../normalize/aliases.js';
import type { Encoding, SourceKind } from '../schema/vocab.js';
import { ArrowIpcSource } from './arrow-ipc-source.js';
import { CsvSource } from './csv-source.js';
import { JsonlSource } from './jsonl-source.js';
import { Gbt32960Source } from './gbt32960/gbt32960-source.js';
import { openMcap } from './mcap/mcap-source.js';
import { isNmeaLine, NmeaSource } from './nmea/nmea-source.js';
import { openRosbag } from './rosbag/rosbag-source.js';
import type { RawSource } from './raw-source.js';

/** Extensions a folder walk picks up; a file named explicitly is sniffed whatever its name. */
export const LOG_EXTENSIONS = [
  '.csv',
  '.tsv',
  '.txt',
  '.jsonl',
  '.ndjson',
  '.arrow',
  '.arrows',
  '.ipc',
  '.feather',
  '.mcap',
  '.bag',
  '.nmea',
  '.nma',
  '.gbt',
  '.gbt32960',
  '.gb32960',
  '.32960',
] as const;

/**
 * Chooses the reader from the file's first bytes, not its name: MCAP, ROS bag and Arrow magic, GB/T 32960 frames
 * (`##` + command), NMEA sentences (`$GPRMC,` …), a JSON object, else delimited text.
 */
export function openSource(path: string, file: string, encoding: Encoding | null): RawSource {
  const fd = fs.openSync(path, 'r');
  const head = Buffer.alloc(4096);
  let n: number;
  try {
    n = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (n === 0) throw new SourceError(file, { byteOffset: 0 }, 'empty file');
  const bytes = head.subarray(0, n);
  const latin = bytes.toString('latin1');
  if (latin.startsWith('\u0089MCAP0\r\n')) return openMcap(path, file);
  if (latin.startsWith('#ROSBAG V')) return openRosbag(path, file);
  if (n >= 3 && bytes[0] === 0x23 && bytes[1] === 0x23 && (bytes[2] as number) >= 0x01 && (bytes[2] as number) <= 0x08)
    return new Gbt32960Source(path, file);
  if (bytes.subarray(0, 6).toString('latin1') === 'ARROW1' || (n >= 4 && bytes.readUInt32LE(0) === 0xffffffff)) {
    return new ArrowIpcSource(path, file);
  }
  const text = bytes
    .toString('latin1')
    .replace(/^\u00ef\u00bb\u00bf/u, '')
    .trimStart();
  if (isNmeaLine(text.slice(0, text.indexOf('\n') + 1 || undefined))) return new NmeaSource(path, file);
  if (text.startsWith('{')) return new JsonlSource(path, file, encoding);
  const first = bytes.subarray(0, 64);
  if (
    first.includes(0) ||
    /^(PK\u0003\u0004|%PDF|\u0089PNG|\u001f\u008b|BZh|\u00ff\u00d8)/u.test(first.toString('latin1'))
  ) {
    throw new SourceError(
      file,
      { byteOffset: 0 },
      'binary file of a kind avlog does not read (not CSV, JSONL, Arrow IPC, MCAP, ROS bag, NMEA or GB/T 32960)',
    );
  }
  return new CsvSource(path, file, encoding);
}

/**
 * Telemetry or event log: an event log has a kind column and no motion columns, or says so in its name
 * (`*.events.csv`).
 */
export function detectKind(source: RawSource, file: string): SourceKind {
  // Recordings (MCAP, bags, NMEA, GB/T 32960) are telemetry whatever their name; their events come from events().
  if (
    source.format === 'mcap' ||
    source.format === 'rosbag' ||
    source.format === 'nmea' ||
    source.format === 'gbt32960'
  )
    return 'telemetry';
  if (/(^|[._-])events?[._-]/iu.test(file) || /(^|[._-])events?$/iu.test(file.replace(/\.[^.]+$/u, '')))
    return 'events';
  const ev = mapHeader(source.columns, EVENT_FIELDS);
  const tel = mapHeader(source.columns, TELEMETRY_FIELDS);
  const motion =
    tel.speed !== undefined ||
    tel.speed_mps !== undefined ||
    tel.speed_kmh !== undefined ||
    tel.heading_deg !== undefined ||
    tel.mode !== undefined;
  return ev.kind !== undefined && !motion ? 'events' : 'telemetry';
}
