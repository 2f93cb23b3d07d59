/** Sample columns as the points query returns them (see route-sql.ts). */
export interface PointColumns {
  x: Float32Array;
  y: Float32Array;
  t: Float32Array;
  speed: Float32Array;
  mode: Uint8Array;
  drive: Uint32Array;
  inside: Uint8Array;
}

/** Which rows to send, in order, and where each path starts. */
export interface Thinned {
  rows: Uint32Array;
  pathStarts: number[];
  pathDrives: number[];
}

/**
 * One pass over samples grouped by drive in time order (`order`, or as they are): samples the filters cut out
 * end a path, the next kept one starts another. With a grid (`cellDeg`), a sample is kept when it lies in another
 * cell than the sample before it or the mode changes, and every path keeps its first and last sample; stationary
 * and dense stretches collapse to a point a cell. Without one, every inside sample is kept.
 */
export function thinToGrid(
  c: PointColumns,
  length: number,
  cellDeg: number | null,
  order: Uint32Array | null,
): Thinned {
  const rows = new Uint32Array(length);
  let kept = 0;
  const pathStarts: number[] = [];
  const pathDrives: number[] = [];
  const inv = cellDeg === null ? 0 : 1 / cellDeg;
  let drive = -1;
  let open = false;
  let last = -1;
  let lastKept = -1;
  let gx = 0;
  let gy = 0;
  let mode = -1;
  const close = () => {
    if (open && last !== lastKept) rows[kept++] = last;
    open = false;
  };
  for (let i = 0; i < length; i++) {
    const j = order ? (order[i] as number) : i;
    const d = c.drive[j] as number;
    if (d !== drive) {
      close();
      drive = d;
    }
    if (c.inside[j] !== 1) {
      close();
      continue;
    }
    const cx = Math.floor((c.x[j] as number) * inv);
    const cy = Math.floor((c.y[j] as number) * inv);
    const m = c.mode[j] as number;
    if (!open) {
      pathStarts.push(kept);
      pathDrives.push(d);
      open = true;
      rows[kept++] = lastKept = j;
    } else if (cellDeg === null || cx !== gx || cy !== gy || m !== mode) {
      rows[kept++] = lastKept = j;
    }
    last = j;
    gx = cx;
    gy = cy;
    mode = m;
  }
  close();
  return { rows: rows.subarray(0, kept), pathStarts, pathDrives };
}
