import fs from 'node:fs';
import { residentBytes } from '../../services/lake/sql/worker/os-cap.js';

/** Ids of a process's descendants (children, their children, …), from /proc. */
export function descendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of parents.get(stack.pop() ?? -1) ?? []) {
      out.push(child);
      stack.push(child);
    }
  }
  return out;
}

/** RSS in bytes of a process and all its descendants. */
export function treeResidentBytes(root: number): number {
  return [root, ...descendants(root)].reduce((n, pid) => n + (residentBytes(pid) ?? 0), 0);
}
