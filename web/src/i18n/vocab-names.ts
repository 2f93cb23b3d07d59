import type { Label } from '../../../services/vocabulary/label.js';
import {
  capitalised,
  INITIATOR_LABELS,
  KIND_LABELS,
  MODE_LABELS,
  SEVERITY_LABELS,
} from '../../../services/vocabulary/labels.js';
import type { Lang } from '../state/app-state.js';

/** Shenzhen's districts (区), Chinese → English, for files that only carry Chinese names. */
const DISTRICTS: Record<string, string> = {
  福田: 'Futian',
  罗湖: 'Luohu',
  南山: 'Nanshan',
  盐田: 'Yantian',
  宝安: "Bao'an",
  龙岗: 'Longgang',
  龙华: 'Longhua',
  坪山: 'Pingshan',
  光明: 'Guangming',
  大鹏: 'Dapeng',
  深汕: 'Shenshan',
};

const pick = (table: Readonly<Record<string, Label>>, key: string, lang: Lang) =>
  table[key]?.[lang] ?? key.replaceAll('_', ' ');

/** An event kind's name (the shared vocabulary's term), capitalised for the lists and headings that show it. */
export const kindName = (kind: string, lang: Lang) => capitalised(pick(KIND_LABELS, kind, lang));
export const severityName = (severity: string, lang: Lang) => pick(SEVERITY_LABELS, severity, lang);
export const initiatorName = (initiator: string, lang: Lang) => pick(INITIATOR_LABELS, initiator, lang);
export const modeName = (mode: string, lang: Lang) => pick(MODE_LABELS, mode, lang);

/** A district's name in the UI language: files name them in Chinese, with or without the 区 suffix. */
export function districtName(name: string, lang: Lang): string {
  if (lang === 'zh') return name;
  const bare = name.replace(/(新)?区$/u, '');
  return DISTRICTS[bare] ?? name;
}
