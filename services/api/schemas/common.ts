import { Type, type Static } from '@sinclair/typebox';
import { GROUP_KEYS } from '../../lake/metrics/filters.js';

/** Comma-separated list of plain values (ids, names): no control characters. */
const LIST = '^[^,\\u0000-\\u001f]+(,[^,\\u0000-\\u001f]+)*$';

const Instant = Type.Union([Type.String({ format: 'date-time' }), Type.String({ format: 'date' })], {
  description: 'ISO-8601 instant, or a date meaning 00:00 Beijing time',
});

export const FilterQuery = {
  from: Type.Optional({ ...Instant, description: 'start, inclusive (ISO-8601, or YYYY-MM-DD = 00:00 Beijing)' }),
  to: Type.Optional({ ...Instant, description: 'end, exclusive' }),
  company: Type.Optional(Type.String({ pattern: LIST, description: 'company ids, comma-separated' })),
  vehicle: Type.Optional(Type.String({ pattern: LIST, description: 'vehicle ids, comma-separated' })),
  district: Type.Optional(Type.String({ pattern: LIST, description: 'district names, comma-separated' })),
  ads_version: Type.Optional(Type.String({ pattern: LIST, description: 'ADS versions, comma-separated' })),
};

export const GroupByQuery = {
  group_by: Type.Optional(
    Type.String({
      pattern: `^(${GROUP_KEYS.join('|')})(,(${GROUP_KEYS.join('|')}))*$`,
      description: `comma-separated: ${GROUP_KEYS.join(', ')}`,
    }),
  ),
};

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      parameter: Type.Optional(Type.String()),
    }),
  },
  { $id: 'ErrorBody', description: 'every error: a code from the catalogue, a message, and the parameter at fault' },
);
export type ErrorBodyT = Static<typeof ErrorBody>;

export const ErrorResponses = {
  400: ErrorBody,
  500: ErrorBody,
};

export const Group = Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]), {
  description: 'the group-by keys of this row',
});
