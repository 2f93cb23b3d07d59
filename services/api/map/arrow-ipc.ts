import {
  BufferType,
  Data,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';

/** One column to encode: a name and its Arrow data. */
export interface ArrowColumn {
  field: Field;
  data: Data;
}

type Primitive = Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array;

function primitiveType(values: Primitive): DataType {
  if (values instanceof Float32Array) return new Float32();
  if (values instanceof Float64Array) return new Float64();
  if (values instanceof Uint8Array) return new Uint8();
  if (values instanceof Uint16Array) return new Uint16();
  return new Uint32();
}

/** A column over a typed array, without copying it. */
export function primitiveColumn(name: string, values: Primitive): ArrowColumn {
  const type = primitiveType(values);
  return {
    field: new Field(name, type, false),
    data: new Data(type, 0, values.length, 0, { [BufferType.DATA]: values }),
  };
}

/** FixedSizeList<2> over interleaved [x0, y0, x1, y1, …] (deck.gl's binary position layout), without copying. */
export function pairColumn(name: string, interleaved: Float32Array | Float64Array): ArrowColumn {
  const childType = interleaved instanceof Float32Array ? new Float32() : new Float64();
  const child = new Data(childType, 0, interleaved.length, 0, { [BufferType.DATA]: interleaved });
  const type = new FixedSizeList(2, new Field('xy', childType, false));
  return { field: new Field(name, type, false), data: new Data(type, 0, interleaved.length / 2, 0, {}, [child]) };
}

export function utf8Column(name: string, values: readonly string[]): ArrowColumn {
  const vector = vectorFromArray(values as string[], new Utf8());
  return { field: new Field(name, new Utf8(), false), data: vector.data[0] as Data };
}

/**
 * An Arrow IPC stream of one record batch, with a JSON object in the schema metadata under `metaKey`, as the
 * writer's chunks: the column buffers themselves between small headers. Joining them would copy every byte once
 * more (~100 ms for 1M samples); the response streams them instead.
 */
export async function ipcStream(
  columns: readonly ArrowColumn[],
  length: number,
  metaKey: string,
  meta: unknown,
): Promise<Uint8Array[]> {
  const schema = new Schema(
    columns.map((c) => c.field),
    new Map([[metaKey, JSON.stringify(meta)]]),
  );
  const struct = makeData({
    type: new Struct(schema.fields),
    length,
    nullCount: 0,
    children: columns.map((c) => c.data),
  });
  const batch = new RecordBatch(schema, struct);
  const writer = new RecordBatchStreamWriter();
  writer.write(batch);
  writer.finish();
  const chunks: Uint8Array[] = [];
  for await (const chunk of writer) chunks.push(chunk);
  return chunks;
}
