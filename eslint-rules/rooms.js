import path from 'node:path';

/**
 * The rooms of the code base, lowest first, and the rooms each may import from: imports run downhill only.
 * `services/ingest/schema` (the table declarations and value lists) is its own room below everything but `core`;
 * tests, bin and config files belong to no room and may import anything. The first matching prefix wins.
 */
export const ROOMS = [
  { name: 'core', prefix: 'services/core/', imports: [] },
  { name: 'schema', prefix: 'services/ingest/schema/', imports: ['core'] },
  // avlog's own records (tokens, audit, triage) in an embedded DuckDB file: knows nothing of road tests.
  { name: 'state', prefix: 'services/state/', imports: ['core'] },
  { name: 'vocabulary', prefix: 'services/vocabulary/', imports: ['core', 'schema'] },
  { name: 'reference', prefix: 'services/reference/', imports: ['core', 'schema', 'vocabulary'] },
  { name: 'ingest', prefix: 'services/ingest/', imports: ['core', 'schema', 'vocabulary', 'reference'] },
  { name: 'lake', prefix: 'services/lake/', imports: ['core', 'schema', 'vocabulary', 'reference', 'ingest'] },
  {
    name: 'report',
    prefix: 'services/report/',
    imports: ['core', 'schema', 'vocabulary', 'reference', 'ingest', 'lake'],
  },
  {
    name: 'export',
    prefix: 'services/export/',
    imports: ['core', 'schema', 'vocabulary', 'reference', 'ingest', 'lake'],
  },
  {
    name: 'api',
    prefix: 'services/api/',
    imports: ['core', 'state', 'schema', 'vocabulary', 'reference', 'ingest', 'lake', 'report', 'export'],
  },
  {
    name: 'cli',
    prefix: 'services/cli/',
    imports: [
      'core',
      'state',
      'schema',
      'vocabulary',
      'reference',
      'ingest',
      'lake',
      'report',
      'export',
      'api',
      'seeds',
    ],
  },
  // The demo generator is a client of ingest and reference data, never their dependency.
  { name: 'seeds', prefix: 'seeds/', imports: ['core', 'schema', 'vocabulary', 'reference', 'ingest'] },
  // The browser bundle: the shared vocabulary and the API's wire contract (pure constants and types).
  { name: 'web', prefix: 'web/src/', imports: ['core', 'schema', 'vocabulary', 'lake', 'api'] },
];

function roomOf(relative) {
  return ROOMS.find((r) => relative.startsWith(r.prefix)) ?? null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const roomsDownhill = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between rooms run downhill only (see ROOMS in eslint-rules/rooms.js)' },
    schema: [],
    messages: {
      uphill:
        '{{from}} may not import {{to}} ({{target}}): rooms run downhill, and {{from}} may import only {{allowed}}.',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = roomOf(file);
    if (!from) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path
        .relative(root, path.resolve(path.dirname(context.filename), source))
        .split(path.sep)
        .join('/');
      const to = roomOf(target);
      if (!to || to.name === from.name || from.imports.includes(to.name)) return;
      context.report({
        node,
        messageId: 'uphill',
        data: { from: from.name, to: to.name, target, allowed: from.imports.join(', ') || 'nothing' },
      });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { 'rooms-downhill': roomsDownhill } };
