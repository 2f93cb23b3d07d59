import type { Encoding } from '../schema/vocab.js';

export interface DetectedEncoding {
  readonly encoding: Encoding;
  readonly bomBytes: number;
}

/**
 * Guesses a text encoding from the first bytes: a UTF-8 BOM, else valid UTF-8, else GBK when most high bytes
 * form valid GBK double-byte pairs (Chinese exports), else Windows-1252 (US regulator files).
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomBytes: 3 };
  if (isValidUtf8Prefix(head)) return { encoding: 'utf-8', bomBytes: 0 };
  return { encoding: looksLikeGbk(head) ? 'gbk' : 'windows-1252', bomBytes: 0 };
}

/** Valid UTF-8, allowing the sample to end in the middle of a multi-byte sequence. */
function isValidUtf8Prefix(bytes: Uint8Array): boolean {
  let end = bytes.length;
  // Drop an incomplete trailing sequence: at most 3 continuation bytes after a lead byte.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Chinese text sits mostly in GB2312's block (both bytes 0xA1–0xFE); cp1252 accents and quotes rarely pair so. */
function looksLikeGbk(bytes: Uint8Array): boolean {
  let pairs = 0;
  let others = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) continue;
    const next = bytes[i + 1] ?? 0;
    if (b >= 0xa1 && b <= 0xfe && next >= 0xa1 && next <= 0xfe) {
      pairs++;
      i++;
    } else {
      others++;
    }
  }
  return pairs > 0 && pairs >= others;
}
