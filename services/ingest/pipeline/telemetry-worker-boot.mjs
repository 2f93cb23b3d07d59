// Worker threads do not inherit the tsx loader: register it here, then load the worker in whichever form exists.
import fs from 'node:fs';
import { workerData } from 'node:worker_threads';

const ts = new URL('./telemetry-worker.ts', import.meta.url);
try {
  if (fs.existsSync(ts)) {
    const { register } = await import('tsx/esm/api');
    register();
    await import(ts.href);
  } else {
    await import(new URL('./telemetry-worker.js', import.meta.url).href);
  }
} catch (e) {
  workerData.port.postMessage({
    type: 'error',
    message: `telemetry worker failed to start: ${e?.stack ?? e}`,
    sourceError: null,
  });
  Atomics.add(workerData.signal, 0, 1);
  Atomics.notify(workerData.signal, 0);
}
