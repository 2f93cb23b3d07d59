import { DataType, type Table, type TypeMap } from 'apache-arrow';

type Typed = Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array;
type TypedCtor<T extends Typed> = { new (length: number): T; BYTES_PER_ELEMENT: number };

/**
 * A numeric column's values as one typed array: a view into the IPC buffer when the table has a single record
 * batch (zero copy, what the server sends), else the batches joined. For FixedSizeList columns, the child's values
 * (interleaved). Throws when the column is missing or of another type, naming it.
 */
export function columnValues<T extends Typed>(table: Table<TypeMap>, name: string, ctor: TypedCtor<T>): T {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`Arrow column ${name} is missing`);
  const parts: T[] = vector.data.map((d) => {
    const values = (d.children.length ? d.children[0]?.values : d.values) as unknown;
    if (!(values instanceof ctor)) throw new Error(`Arrow column ${name} is not ${ctor.name}`);
    const width = DataType.isFixedSizeList(d.type) ? d.type.listSize : 1;
    const start = (d.children.length ? (d.children[0]?.offset ?? 0) : 0) + d.offset * width;
    return values.subarray(start, start + d.length * width) as T;
  });
  if (parts.length === 1) return parts[0] as T;
  const out = new ctor(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    (out as Typed).set(p as never, at);
    at += p.length;
  }
  return out;
}

export function stringColumn(table: Table<TypeMap>, name: string): string[] {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`Arrow column ${name} is missing`);
  return vector.toArray() as string[];
}

export function metadata<T>(table: Table<TypeMap>, key: string): T {
  const text = table.schema.metadata.get(key);
  if (text === undefined) throw new Error(`Arrow schema has no ${key} metadata`);
  return JSON.parse(text) as T;
}
