import fs from 'node:fs';

/** Rows staged as JSON lines for DuckDB's `read_json`, written in 1 MiB slabs (memory stays bounded). */
export class JsonLines {
  count = 0;
  private readonly fd: number;
  private buffer: string[] = [];
  private chars = 0;
  private closed = false;

  constructor(path: string) {
    this.fd = fs.openSync(path, 'w');
  }

  push(row: object): void {
    const line = JSON.stringify(row);
    this.buffer.push(line);
    this.chars += line.length;
    this.count++;
    if (this.chars > 1 << 20) this.flush();
  }

  private flush(): void {
    if (!this.buffer.length) return;
    fs.writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.chars = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    fs.closeSync(this.fd);
    this.closed = true;
  }
}
