import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
const t = tableFromIPC(readFileSync('/tmp/seedwork/def/plzx/plzx-v05/2026-09-29/plzx-v05-20260928T234219Z.arrow'));
console.log(t.numRows, t.schema.fields.map(f => f.name + ':' + String(f.type)));
const ts = t.getChild('ts'); console.log(typeof ts?.get(0), ts?.get(0), ts?.get(1), t.getChild('mode')?.get(0), t.getChild('lat')?.get(0));
console.log(ts?.data[0]?.values.constructor.name);
