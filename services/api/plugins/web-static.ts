import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface WebStaticOptions {
  /** The built web app (vite's output); default `web/dist` of this checkout. */
  root?: string;
}

/** `web/dist` beside the sources (run with tsx) or beside the compiled `dist/` tree. */
function defaultRoot(): string {
  const candidates = [
    path.resolve(import.meta.dirname, '../../../web/dist'),
    path.resolve(import.meta.dirname, '../../../../web/dist'),
  ];
  return candidates.find((c) => fs.existsSync(path.join(c, 'index.html'))) ?? (candidates[0] as string);
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>avlog</title>
<p>The web app is not built. Run <code>npm run build</code>, then restart avlog. The API is up: <a href="/docs">/docs</a>.</p>
<p>网页应用尚未构建。请运行 <code>npm run build</code> 后重启 avlog。</p>`;

/**
 * Serves the web app at `/`. Hashed assets are cached for good; `index.html` is revalidated so a new build shows
 * up on reload. Without a build, `/` answers 503 saying how to make one (the API keeps working).
 */
export default async function webStatic(app: FastifyInstance, opts: WebStaticOptions): Promise<void> {
  const root = opts.root ?? defaultRoot();
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    schemaHide: true,
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
