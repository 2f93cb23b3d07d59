import { RECORDABLE_KINDS } from '../../vocabulary/event-kinds.js';
import type { AppendixSection } from '../model.js';
import type { BuildContext } from './build-context.js';

export function appendixSection(ctx: BuildContext): AppendixSection {
  const incidents = ctx.incidents.filter((i) => (RECORDABLE_KINDS as readonly string[]).includes(i.kind));
  return { incidents, incomplete: incidents.filter((i) => i.window && !i.window.complete).length };
}
