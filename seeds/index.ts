export { generateFleet, type SeedResult } from './generate.js';
export {
  DEFAULT_SEED_OPTIONS,
  LOG_FORMATS,
  parseSeedArgs,
  seedOptions,
  type LogFormat,
  type SeedOptions,
} from './options.js';
export { embeddedRoads, EMBEDDED_ROADS } from '../services/reference/roads/embedded.js';
export { graphmlRoads, parseGraphml } from '../services/reference/roads/graphml.js';
export type { RoadEdge, RoadGraph, RoadNode } from '../services/reference/roads/graph.js';
export { RoadIndex } from '../services/reference/roads/spatial.js';
export { GBK_HEADER, GBK_MODES } from './writers/gbk.js';
export { EVENT_HEADER } from './writers/events.js';
export { TELEMETRY_HEADER } from './writers/meta.js';
export { THRESHOLDS } from './vocab.js';
