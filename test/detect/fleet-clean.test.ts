import { fleetSuite } from './fleet-suite.js';

fleetSuite('clean fleet (gpsNoise 0)', { gpsNoise: 0 }, 0.99);
