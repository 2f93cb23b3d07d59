import {
  Type,
  type TBoolean,
  type TInteger,
  type TNull,
  type TNumber,
  type TString,
  type TUnion,
} from '@sinclair/typebox';
import type { ColumnDecl, ColumnKind } from './column.js';

/** The JSON Schema of each column kind as the API sends it: BIGINT as a number, instants and dates as ISO text. */
interface JsonSchemaOf {
  f64: TNumber;
  i64: TInteger;
  i32: TInteger;
  ts: TString;
  str: TString;
  date: TString;
  bool: TBoolean;
}

const JSON_SCHEMA: { [K in ColumnKind]: (description: string) => JsonSchemaOf[K] } = {
  f64: (description) => Type.Number({ description }),
  i64: (description) => Type.Integer({ description }),
  i32: (description) => Type.Integer({ description }),
  ts: (description) => Type.String({ description }),
  str: (description) => Type.String({ description }),
  date: (description) => Type.String({ description }),
  bool: (description) => Type.Boolean({ description }),
};

type Nullable<S extends ColumnDecl, ForceNull extends boolean> = ForceNull extends true
  ? TUnion<[JsonSchemaOf[S['kind']], TNull]>
  : S['nullable'] extends true
    ? TUnion<[JsonSchemaOf[S['kind']], TNull]>
    : JsonSchemaOf[S['kind']];

export type ColumnSchemas<
  T extends Record<string, ColumnDecl>,
  K extends keyof T,
  ForceNull extends boolean = false,
> = {
  [P in K]: Nullable<T[P], ForceNull>;
};

/**
 * TypeBox properties of some columns of a table declaration (`tables.ts`), in the order given, for an API response
 * schema: what the declaration says, so a response cannot drift from the table. `nullable` makes every column admit
 * null (columns that a join may leave empty).
 */
export function columnSchemas<T extends Record<string, ColumnDecl>, K extends keyof T & string>(
  table: T,
  columns: readonly K[],
): ColumnSchemas<T, NoInfer<K>>;
export function columnSchemas<T extends Record<string, ColumnDecl>, K extends keyof T & string>(
  table: T,
  columns: readonly K[],
  options: { nullable: true },
): ColumnSchemas<T, NoInfer<K>, true>;
export function columnSchemas<T extends Record<string, ColumnDecl>, K extends keyof T & string>(
  table: T,
  columns: readonly K[],
  options: { nullable?: boolean } = {},
): Record<string, unknown> {
  return Object.fromEntries(
    columns.map((c) => {
      const decl = table[c] as ColumnDecl;
      const schema = JSON_SCHEMA[decl.kind](decl.doc);
      return [
        c,
        decl.nullable || options.nullable ? Type.Union([schema, Type.Null()], { description: decl.doc }) : schema,
      ];
    }),
  );
}
