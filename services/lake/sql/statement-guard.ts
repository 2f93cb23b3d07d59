import { SqlRejected, type SqlRejectCode } from './errors.js';
import {
  amplifierProblem,
  isAmplifier,
  LAKE_VIEWS,
  looksLikePath,
  scalarFunctionVerdict,
  tableFunctionVerdict,
} from './function-policy.js';

/**
 * Inspects the parse tree of one SELECT, as `json_serialize_sql` gives it, and throws `SqlRejected` at the first
 * thing a user query may not do. This is the sandbox's second wall: DuckDB's own locks already keep file access
 * inside the lake, but only this inspection keeps a query to the four views (and so to its caller's scope), away
 * from catalog metadata and from functions that read settings or run SQL.
 *
 * The rules are allow-lists wherever the parser's vocabulary is closed: table references may only be the lake's
 * views or CTEs visible at that point, table functions only the few that make rows from their arguments, query
 * nodes and table-reference kinds only the ones listed here. Scalar functions are the one deny-list (there are
 * hundreds), checked by name wherever a `function_name` appears in the tree; the few whose result size an
 * argument sets (repeat, lpad, scalar range, …) must be given a small constant size (`function-policy.ts`).
 */
export function inspectSelectTree(tree: unknown): void {
  if (!isObject(tree)) throw unsupported('the parse tree is not an object');
  if (tree.error === true) {
    const message = String(tree.error_message ?? '');
    if (tree.error_type === 'parser')
      throw new SqlRejected('syntax', `Parser Error: ${message || 'the statement could not be parsed'}`);
    // "Only SELECT statements can be serialized", or a statement the serializer knows but cannot express.
    throw new SqlRejected('only_select', 'only a SELECT statement may run here');
  }
  const statements = tree.statements;
  if (!Array.isArray(statements)) throw unsupported('the parse tree has no statements');
  if (statements.length === 0) throw new SqlRejected('empty', 'the SQL text holds no statement');
  if (statements.length !== 1) throw new SqlRejected('multiple_statements', 'send exactly one SELECT statement');
  const walker = new TreeWalker();
  try {
    walker.visit(statements[0], new Set(LAKE_VIEWS));
  } catch (e) {
    if (e instanceof RangeError) throw new SqlRejected('unsupported', 'the statement is nested too deeply');
    throw e;
  }
}

type Json = Record<string, unknown>;
type Scope = ReadonlySet<string>;

/** Query-node kinds a SELECT may contain. */
const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE']);
/** Table-reference kinds a SELECT may contain (BASE_TABLE, TABLE_FUNCTION and SHOW_REF are checked further). */
const TABLE_REFS = new Set([
  'BASE_TABLE',
  'TABLE_FUNCTION',
  'SUBQUERY',
  'JOIN',
  'EXPRESSION_LIST',
  'EMPTY',
  'PIVOT',
  'SHOW_REF',
]);

class TreeWalker {
  private amplifierDepth = 0;

  visit(value: unknown, scope: Scope): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, scope);
      return;
    }
    if (!isObject(value)) return;
    const type = typeof value.type === 'string' ? value.type : undefined;

    if ('cte_map' in value || (type !== undefined && type.endsWith('_NODE'))) {
      this.visitQueryNode(value, type, scope);
      return;
    }
    if (type !== undefined && isTableRef(value)) {
      this.visitTableRef(value, type, scope);
      return;
    }
    if (typeof value.function_name === 'string') {
      const verdict = scalarFunctionVerdict(value.function_name);
      if (verdict) throw functionRejected(verdict, value.function_name);
      if (isAmplifier(value.function_name)) {
        this.checkAmplifier(value.function_name, value.children);
        this.amplifierDepth++;
        try {
          this.visitFields(value, scope);
        } finally {
          this.amplifierDepth--;
        }
        return;
      }
    }
    this.visitFields(value, scope);
  }

  /** Functions whose output size an argument sets: a small constant size, and never one inside another. */
  private checkAmplifier(name: string, children: unknown): void {
    if (this.amplifierDepth > 0)
      throw new SqlRejected('memory', `${name}() inside another size-multiplying function is not allowed here`);
    const problem = amplifierProblem(name, Array.isArray(children) ? children : []);
    if (problem) throw new SqlRejected('memory', problem);
  }

  private visitFields(value: Json, scope: Scope, skip: readonly string[] = []): void {
    for (const [key, child] of Object.entries(value)) {
      if (!skip.includes(key)) this.visit(child, scope);
    }
  }

  /** SELECT / set operation / recursive CTE: its WITH clause widens the scope of what it contains. */
  private visitQueryNode(node: Json, type: string | undefined, outer: Scope): void {
    if (type === undefined || !QUERY_NODES.has(type)) throw unsupported(`query node ${type ?? '(none)'}`);
    const scope = new Set(outer);
    const entries = cteEntries(node.cte_map);
    for (const { name, body } of entries) {
      // A CTE sees the CTEs before it (a recursive one also sees itself, inside its RECURSIVE_CTE_NODE).
      this.visit(body, new Set(scope));
      scope.add(name);
    }
    if (type === 'RECURSIVE_CTE_NODE') {
      const self = typeof node.cte_name === 'string' ? node.cte_name.toLowerCase() : null;
      this.visit(node.left, scope);
      this.visit(node.right, self ? new Set([...scope, self]) : scope);
      this.visitFields(node, scope, ['cte_map', 'left', 'right']);
      return;
    }
    this.visitFields(node, scope, ['cte_map']);
  }

  private visitTableRef(ref: Json, type: string, scope: Scope): void {
    if (!TABLE_REFS.has(type)) throw unsupported(`table reference ${type}`);
    switch (type) {
      case 'BASE_TABLE':
        checkBaseTable(ref, scope);
        break;
      case 'TABLE_FUNCTION': {
        const fn = ref.function;
        const name = isObject(fn) && typeof fn.function_name === 'string' ? fn.function_name : '';
        const verdict = tableFunctionVerdict(name);
        if (verdict) throw functionRejected(verdict, name || '(unnamed)');
        if (isObject(fn) && (nonEmpty(fn.schema) || nonEmpty(fn.catalog))) {
          throw new SqlRejected('forbidden_function', `call ${name} without a schema or catalog`);
        }
        if (isObject(fn)) this.visitFields(fn, scope, ['function_name']);
        this.visitFields(ref, scope, ['function']);
        return;
      }
      case 'SHOW_REF':
        if (!isObject(ref.query)) {
          throw new SqlRejected(
            'forbidden_table',
            'SHOW and DESCRIBE of the catalog are not available; DESCRIBE a query or a view (e.g. DESCRIBE telemetry)',
          );
        }
        break;
      default:
        break;
    }
    this.visitFields(ref, scope);
  }
}

function checkBaseTable(ref: Json, scope: Scope): void {
  const name = typeof ref.table_name === 'string' ? ref.table_name : '';
  if (looksLikePath(name)) {
    throw new SqlRejected(
      'file_access',
      `reading files is not allowed ("${name}"); query the views telemetry, events, quarantine and sources`,
    );
  }
  if (nonEmpty(ref.schema_name) || nonEmpty(ref.catalog_name)) {
    const qualified = [ref.catalog_name, ref.schema_name, name].filter(nonEmpty).join('.');
    throw new SqlRejected(
      'forbidden_table',
      `qualified names are not allowed ("${qualified}"); use telemetry, events, quarantine or sources`,
    );
  }
  if (ref.at_clause !== null && ref.at_clause !== undefined) {
    throw new SqlRejected('unsupported', 'AT (time travel) is not supported');
  }
  if (!scope.has(name.toLowerCase())) {
    throw new SqlRejected(
      'forbidden_table',
      `unknown table "${name}": the tables are telemetry, events, quarantine and sources`,
    );
  }
}

function cteEntries(cteMap: unknown): { name: string; body: unknown }[] {
  if (cteMap === undefined || cteMap === null) return [];
  const map = isObject(cteMap) ? cteMap.map : undefined;
  if (!Array.isArray(map)) throw unsupported('WITH clause');
  return map.map((entry: unknown) => {
    if (!isObject(entry) || typeof entry.key !== 'string') throw unsupported('WITH clause');
    return { name: entry.key.toLowerCase(), body: entry.value };
  });
}

/** Table references carry `sample` and `query_location`; expressions carry `class`. */
function isTableRef(value: Json): boolean {
  if (typeof value.type !== 'string') return false;
  if (TABLE_REFS.has(value.type)) return true;
  return 'sample' in value && !('class' in value);
}

function functionRejected(code: SqlRejectCode, name: string): SqlRejected {
  return code === 'file_access'
    ? new SqlRejected(
        'file_access',
        `${name}() reads files, which is not allowed here; query the views telemetry, events, quarantine and sources`,
      )
    : new SqlRejected(code, `${name}() is not allowed here`);
}

function unsupported(what: string): SqlRejected {
  return new SqlRejected('unsupported', `the sandbox does not run this kind of statement (${what})`);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
