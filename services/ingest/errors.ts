/** Where in a source a problem is: a 1-based line for text, a byte offset for everything. */
export interface SourcePosition {
  readonly line?: number;
  readonly byteOffset?: number;
}

/**
 * A whole source cannot be ingested: not a log, truncated, unreadable. Names the file and the position so the
 * user can look; nothing from the source is written when this is thrown.
 */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly file: string;
  readonly position: SourcePosition;
  /** The message without file and position. */
  readonly detail: string;

  constructor(file: string, position: SourcePosition, detail: string, options?: { cause?: unknown }) {
    super(`${file}${formatPosition(position)}: ${detail}`, options);
    this.file = file;
    this.position = position;
    this.detail = detail;
  }
}

export function formatPosition(p: SourcePosition): string {
  const parts: string[] = [];
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.byteOffset !== undefined) parts.push(`byte ${p.byteOffset}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
