import path from 'node:path';
import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import { roomsDownhill } from '../../eslint-rules/rooms.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const at = (file: string) => path.join(process.cwd(), file);
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

tester.run('rooms-downhill', roomsDownhill, {
  valid: [
    { filename: at('services/report/inputs.ts'), code: "import { exposure } from '../lake/metrics/exposure.js';" },
    { filename: at('services/lake/views.ts'), code: "import { hiveScan } from '../ingest/lake/sql.js';" },
    { filename: at('services/ingest/detect/x.ts'), code: "import { EVENTS } from '../schema/tables.js';" },
    { filename: at('services/ingest/x.ts'), code: "import { roadsFor } from '../reference/roads/road-limits.js';" },
    { filename: at('services/api/routes/x.ts'), code: "import { buildReport } from '../../report/build.js';" },
    { filename: at('services/cli/commands/x.ts'), code: "import { generateFleet } from '../../../seeds/index.js';" },
    { filename: at('seeds/x.ts'), code: "import { KIND_LABELS } from '../services/vocabulary/labels.js';" },
    { filename: at('web/src/x.ts'), code: "import { MAP_MODES } from '../../services/api/map/wire-format.js';" },
    { filename: at('services/api/x.ts'), code: "import { StateDb } from '../state/state-db.js';" },
    { filename: at('test/x.test.ts'), code: "import { buildApp } from '../services/api/app.js';" },
    { filename: at('services/report/x.ts'), code: "import { Type } from '@sinclair/typebox';" },
  ],
  invalid: [
    ['services/report/x.ts', "import { scopeOf } from '../api/caller.js';", 'report', 'api'],
    ['services/state/x.ts', "import { LakeDb } from '../lake/lake-db.js';", 'state', 'lake'],
    ['services/lake/x.ts', "export { ApiError } from '../api/errors.js';", 'lake', 'api'],
    ['services/ingest/x.ts', "import { embeddedRoads } from '../../seeds/geo.js';", 'ingest', 'seeds'],
    ['services/ingest/schema/x.ts', "export * from '../lake/views.js';", 'schema', 'ingest'],
    ['services/reference/x.ts', "const m = import('../ingest/errors.js');", 'reference', 'ingest'],
    ['services/vocabulary/x.ts', "import { LakeDb } from '../lake/lake-db.js';", 'vocabulary', 'lake'],
    ['seeds/x.ts', "import { buildApp } from '../services/api/app.js';", 'seeds', 'api'],
    ['web/src/x.ts', "import { fetchReportInputs } from '../../services/report/inputs.js';", 'web', 'report'],
  ].map(([file, code, from, to]) => ({
    filename: at(file as string),
    code: code as string,
    errors: [{ message: new RegExp(`^${from as string} may not import ${to as string} \\(`, 'u') }],
  })),
});
