// `npm test`'s set-up on a fresh machine: the PDF tests need Chromium, pdftotext and a CJK font. Installs the
// Debian packages when they are missing and this runs as root with apt-get; otherwise says exactly what to run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const chromium = process.env.AVLOG_CHROMIUM ?? '/usr/bin/chromium';
const has = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const cjkFont = () => {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
};

const missing = [];
if (!fs.existsSync(chromium)) missing.push(['chromium', `Chromium at ${chromium}`]);
if (!has('pdftotext', ['-v'])) missing.push(['poppler-utils', 'pdftotext']);
if (!cjkFont()) missing.push(['fonts-noto-cjk', 'a CJK font (fc-list :lang=zh finds none)']);

if (missing.length > 0) {
  const packages = missing.map(([p]) => p);
  const what = missing.map(([, w]) => w).join(', ');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && has('apt-get', ['--version'])) {
    process.stdout.write(`pretest: installing ${packages.join(' ')} (missing: ${what})\n`);
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages, 'fontconfig'], {
      stdio: 'inherit',
    });
  } else {
    process.stderr.write(
      `pretest: the report tests need ${what}. Install them with:\n` +
        `  sudo apt-get install -y ${packages.join(' ')}\n` +
        `(or set AVLOG_CHROMIUM to a Chromium binary), then run npm test again.\n`,
    );
    process.exit(1);
  }
}
