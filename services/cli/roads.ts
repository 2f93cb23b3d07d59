import { RoadLimits } from '../reference/roads/road-limits.js';

/** The road network a seeded fleet drove on, for its ingest: the seed's GraphML, else the embedded roads. */
export function roadsFor(graphml: string | null): RoadLimits {
  return RoadLimits.load(graphml === null ? { kind: 'embedded' } : { kind: 'graphml', path: graphml });
}
