export { generateFleet, type SeedResult } from './generate.js';
export {
  DEFAULT_SEED_OPTIONS,
  LOG_FORMATS,
  parseSeedArgs,
  seedOptions,
  type LogFormat,
  type SeedOptions,
} from './options.js';
export { GBK_HEADER, GBK_MODES } from './writers/gbk.js';
export { EVENT_HEADER } from './writers/events.js';
export { TELEMETRY_HEADER } from './writers/meta.js';
export { THRESHOLDS } from './vocab.js';
