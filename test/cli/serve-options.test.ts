import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { parseCommandArgs } from '../../services/cli/args.js';
import { SERVER_ARGS, serveOptionsOf } from '../../services/cli/commands/serve.js';
import { UsageError } from '../../services/core/usage-error.js';
import { tempDir } from '../helpers/lake.js';

const { dir, cleanup } = tempDir('avlog-serve-');
afterAll(cleanup);

/** `avlog serve|start` argv → the server's options, as the commands build them. */
const optionsOf = (argv: string[]) =>
  serveOptionsOf(parseCommandArgs(['--data', dir, ...argv], SERVER_ARGS, false).values);

/** What the web app reads from /api/map/config when served with these options. */
async function mapConfigOf(argv: string[]): Promise<{ tiles: { url: string; crs: string } | null }> {
  const { port: _port, host: _host, ...appOptions } = optionsOf(argv);
  const app = await buildApp(appOptions);
  try {
    const r = await app.inject('/api/map/config');
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  } finally {
    await app.close();
  }
}

describe('avlog serve/start --tiles URL --tiles-crs wgs84|gcj02', () => {
  it('puts the tile template and its coordinate system in the map config the page reads', async () => {
    expect(
      (
        await mapConfigOf([
          '--tiles',
          'https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8',
          '--tiles-crs',
          'gcj02',
        ])
      ).tiles,
    ).toEqual({
      url: 'https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8',
      crs: 'gcj02',
    });
    expect((await mapConfigOf(['--tiles', '/tiles/{z}/{x}/{-y}.png'])).tiles).toEqual({
      url: '/tiles/{z}/{x}/{-y}.png',
      crs: 'wgs84',
    });
    expect((await mapConfigOf([])).tiles).toBeNull();
  });

  const bad: [string[], RegExp][] = [
    [['--tiles', 'https://t.example/{z}/{x}.png'], /--tiles must be an XYZ template .* has no \{y\}/u],
    [['--tiles', 'https://t.example/tile.png'], /has no \{z\}, \{x\}, \{y\}/u],
    [['--tiles', 'ftp://t.example/{z}/{x}/{y}.png'], /--tiles must be an http\(s\) URL or a path/u],
    [['--tiles', 'tiles/{z}/{x}/{y}.png'], /--tiles must be an http\(s\) URL or a path starting with \//u],
    [['--tiles', '//t.example/{z}/{x}/{y}.png'], /--tiles must be an http\(s\) URL/u],
    [
      ['--tiles', '/t/{z}/{x}/{y}.png', '--tiles-crs', 'bd09'],
      /--tiles-crs must be one of wgs84, gcj02 \(got "bd09"\)/u,
    ],
    [['--tiles-crs', 'gcj02'], /--tiles-crs needs --tiles URL/u],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')} with a usage error naming the flag`, () => {
      expect(() => optionsOf(argv)).toThrow(UsageError);
      expect(() => optionsOf(argv)).toThrow(message);
    });
  }
});
