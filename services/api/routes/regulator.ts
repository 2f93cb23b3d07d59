import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DMV_REPORTS } from '../../ingest/regulators/normalize.js';
import { SGO_SYSTEMS } from '../../ingest/regulators/nhtsa-sgo.js';
import { scopeOf } from '../caller.js';
import { ApiError } from '../errors.js';
import { dmvYear, importedMileage, sgoCrashes, type DmvReportChoice } from '../../lake/metrics/regulator.js';
import { splitList } from '../../lake/metrics/metric-args.js';
import { ErrorResponses } from '../schemas/common.js';

const LIST = '^[^,\\u0000-\\u001f]+(,[^,\\u0000-\\u001f]+)*$';
const MONTH = '^\\d{4}-(0[1-9]|1[0-2])$';
const Company = Type.Optional(
  Type.String({
    pattern: LIST,
    description: 'company ids, comma-separated (normalised manufacturer / entity ids, e.g. waymo)',
  }),
);
const Month = (description: string) => Type.Optional(Type.String({ pattern: MONTH, description }));
const Nullable = Type.Union([Type.Number(), Type.Null()]);
const Counts = Type.Record(Type.String(), Type.Number());

const Figures = {
  miles: Type.Number({ description: 'autonomous miles: the reports’ ANNUAL TOTAL column summed' }),
  km: Type.Number(),
  vehicles: Type.Integer({ description: 'VINs in the mileage reports' }),
  vehicles_driven: Type.Integer({ description: 'VINs with miles > 0' }),
  disengagements: Type.Integer({ description: 'rows of the disengagement reports filed for the year' }),
  reported_disengagements: Type.Union([Type.Integer(), Type.Null()], {
    description: 'the mileage reports’ own per-VIN counts, summed',
  }),
  miles_per_disengagement: Nullable,
  disengagements_per_1000_miles: Nullable,
  by_initiator: Counts,
};

const DmvYearResponse = Type.Object({
  year: Type.Integer(),
  report: Type.String(),
  months: Type.Array(Type.String(), { description: 'first and last month of the reporting year' }),
  total: Type.Object(Figures),
  manufacturers: Type.Array(
    Type.Object({ company_id: Type.String(), manufacturers: Type.Array(Type.String()), ...Figures }),
  ),
});

const Report = Type.Optional(
  Type.Union(
    [...DMV_REPORTS, 'all'].map((r) => Type.Literal(r)),
    {
      description:
        'annual (testing with a safety driver: the DMV’s headline figures, default), driverless, first_time, or all',
    },
  ),
);

/** Figures over imported regulator data: CA DMV reporting years and monthly mileage, NHTSA SGO crashes. */
const regulatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/ca-dmv/years/:year',
    {
      schema: {
        tags: ['regulator'],
        summary:
          'CA DMV reporting year (December–November): miles, vehicles, disengagements, miles per disengagement, per manufacturer',
        params: Type.Object({ year: Type.Integer({ minimum: 2014, maximum: 2200 }) }),
        querystring: Type.Object({ report: Report, company: Company }, { additionalProperties: false }),
        response: { 200: DmvYearResponse, ...ErrorResponses },
      },
    },
    async (req) => {
      const company = splitList(req.query.company);
      return dmvYear(app.lake, scopeOf(req), {
        year: req.params.year,
        report: (req.query.report ?? 'annual') as DmvReportChoice,
        ...(company ? { company } : {}),
      });
    },
  );

  app.get(
    '/ca-dmv/mileage',
    {
      schema: {
        tags: ['regulator'],
        summary: 'monthly autonomous miles as the CA DMV reports state them, per company or per vehicle (VIN)',
        querystring: Type.Object(
          {
            from: Month('first month, YYYY-MM'),
            to: Month('last month, YYYY-MM (inclusive)'),
            company: Company,
            report: Report,
            by: Type.Optional(
              Type.Union([Type.Literal('company'), Type.Literal('vehicle')], { description: 'default company' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            rows: Type.Array(
              Type.Object({
                company_id: Type.String(),
                vehicle_id: Type.Union([Type.String(), Type.Null()]),
                month: Type.String(),
                miles: Type.Number(),
                km: Type.Number(),
                vehicles: Type.Integer(),
              }),
            ),
          }),
          ...ErrorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      if (q.from && q.to && q.from > q.to) throw new ApiError('bad_parameter', 'from is after to', 'from');
      const company = splitList(q.company);
      const rows = await importedMileage(app.lake, scopeOf(req), {
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        ...(company ? { company } : {}),
        report: (q.report ?? 'all') as DmvReportChoice,
        by: q.by ?? 'company',
      });
      return { rows };
    },
  );

  app.get(
    '/nhtsa/crashes',
    {
      schema: {
        tags: ['regulator'],
        summary: 'NHTSA SGO crashes and reporting entities, ADS and Level 2 ADAS, latest version of each report',
        querystring: Type.Object(
          {
            system: Type.Optional(
              Type.Union(
                SGO_SYSTEMS.map((s) => Type.Literal(s)),
                { description: 'ADS or ADAS (Level 2); default both' },
              ),
            ),
            from: Month('first incident month, YYYY-MM'),
            to: Month('last incident month, YYYY-MM (inclusive)'),
            company: Company,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            systems: Type.Array(
              Type.Object({
                system: Type.String(),
                crashes: Type.Integer({ description: 'distinct incidents (NHTSA Same Incident ID)' }),
                reports: Type.Integer(),
                entities: Type.Integer(),
                by_severity: Counts,
                by_entity: Type.Array(
                  Type.Object({
                    company_id: Type.String(),
                    entities: Type.Array(Type.String()),
                    crashes: Type.Integer(),
                    reports: Type.Integer(),
                  }),
                ),
              }),
            ),
          }),
          ...ErrorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const company = splitList(q.company);
      const systems = await sgoCrashes(app.lake, scopeOf(req), {
        ...(q.system ? { system: q.system } : {}),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        ...(company ? { company } : {}),
      });
      return { systems };
    },
  );
};

export default regulatorRoutes;
