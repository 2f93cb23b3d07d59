// The SQL worker process, from TypeScript sources (tsx) when they are here, else from the build.
import fs from 'node:fs';

const ts = new URL('./worker-main.ts', import.meta.url);
if (fs.existsSync(ts)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(ts.href);
} else {
  await import(new URL('./worker-main.js', import.meta.url).href);
}
