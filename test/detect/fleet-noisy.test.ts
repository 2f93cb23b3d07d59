import { DEFAULT_SEED_OPTIONS } from '../../seeds/index.js';
import { fleetSuite } from './fleet-suite.js';

fleetSuite(`noisy fleet (gpsNoise ${DEFAULT_SEED_OPTIONS.gpsNoise} m, the generator's default)`, {}, 0.95);
