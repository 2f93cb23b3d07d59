import { describe, expect, it } from 'vitest';
import { readExactly, responseBytes } from '../../web/src/data/response-bytes.js';

/** A byte stream (BYOB-readable) handing out `bytes` in pieces of the given sizes, as a socket would. */
function byteStream(bytes: Uint8Array, pieces: readonly number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let piece = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const size = Math.min(pieces[piece++ % pieces.length] as number, bytes.length - at);
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const payload = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) % 251);

describe('reading a response body into one buffer', () => {
  it('assembles a body that arrives in uneven pieces, byte for byte', async () => {
    const bytes = payload(100_003);
    const got = await readExactly(
      byteStream(bytes, [1, 4096, 65_536, 17]).getReader({ mode: 'byob' }),
      bytes.length,
      'test',
    );
    expect(got.length).toBe(bytes.length);
    expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
  });

  it('says so when the body is shorter than its Content-Length', async () => {
    const reader = byteStream(payload(1000), [300]).getReader({ mode: 'byob' });
    await expect(readExactly(reader, 1200, '/api/map/routes')).rejects.toThrow(
      '/api/map/routes: body ended after 1000 of 1200 bytes',
    );
  });

  it('says so when the body is longer than its Content-Length', async () => {
    const reader = byteStream(payload(1000), [300]).getReader({ mode: 'byob' });
    await expect(readExactly(reader, 900, '/api/map/routes')).rejects.toThrow(
      'body longer than its Content-Length of 900 bytes',
    );
  });

  it('reads a response with and without a Content-Length alike', async () => {
    const bytes = payload(50_000);
    const sized = new Response(byteStream(bytes, [8192]), { headers: { 'content-length': String(bytes.length) } });
    const unsized = new Response(byteStream(bytes, [8192]));
    for (const res of [sized, unsized])
      expect(Buffer.from(await responseBytes(res)).equals(Buffer.from(bytes))).toBe(true);
  });
});
