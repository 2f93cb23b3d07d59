import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');
const WEB = path.join(ROOT, 'web');
const CHROMIUM = process.env.AVLOG_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for Chromium in a container without a GPU: software WebGL2 through SwiftShader. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--enable-unsafe-swiftshader',
];

function newest(dir: string): number {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) t = Math.max(t, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return t;
}

/** Builds the web app with vite unless `web/dist` is newer than every source file (CI builds it before testing). */
export async function ensureWebBuild(): Promise<void> {
  const index = path.join(WEB, 'dist', 'index.html');
  const sources = Math.max(
    newest(path.join(WEB, 'src')),
    fs.statSync(path.join(WEB, 'index.html')).mtimeMs,
    newest(path.join(ROOT, 'services', 'api', 'map')),
  );
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sources) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}

/** Debian's Chromium through playwright-core. A missing browser fails the test: it must not pass by skipping. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set AVLOG_CHROMIUM`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export function artifact(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
