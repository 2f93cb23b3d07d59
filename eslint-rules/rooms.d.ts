import type { Rule } from 'eslint';

export interface Room {
  readonly name: string;
  readonly prefix: string;
  readonly imports: readonly string[];
}

export declare const ROOMS: readonly Room[];
export declare const roomsDownhill: Rule.RuleModule;
declare const plugin: { rules: Record<string, Rule.RuleModule> };
export default plugin;
