import { MapApp } from './map-app.js';
import { Store } from './state/store.js';
import { stateFromUrl } from './state/url-state.js';

const app = new MapApp(new Store(stateFromUrl(location.search)));
void app.start();
