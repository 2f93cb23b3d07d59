import type { ListSort } from '../state/app-state.js';
import type { Lang } from '../state/app-state.js';

const EN = {
  incidentList: 'Incident list',
  sortBy: 'Sort',
  matching: '{n} incidents',
  page: 'page {p}',
  prev: '‹ Prev',
  next: 'Next ›',
  none: 'No incident matches the filters',
  allSeverities: 'any severity',
  allDistricts: 'any district',
  allVersions: 'any ADS version',
  beijing: 'Beijing time',
} as const;
export type ListLabelKey = keyof typeof EN;

const ZH: Record<ListLabelKey, string> = {
  incidentList: '事件列表',
  sortBy: '排序',
  matching: '共 {n} 个事件',
  page: '第 {p} 页',
  prev: '‹ 上一页',
  next: '下一页 ›',
  none: '没有符合筛选条件的事件',
  allSeverities: '全部严重程度',
  allDistricts: '全部行政区',
  allVersions: '全部 ADS 版本',
  beijing: '北京时间',
};

const SORTS: Record<ListSort, { en: string; zh: string }> = {
  '-ts': { en: 'newest first', zh: '最新在前' },
  ts: { en: 'oldest first', zh: '最早在前' },
  '-severity': { en: 'most severe first', zh: '最严重在前' },
  '-peak': { en: 'worst peak first', zh: '峰值最大在前' },
  '-speed': { en: 'fastest first', zh: '速度最高在前' },
};

export function listLabel(lang: Lang, key: ListLabelKey, vars: Record<string, string | number> = {}): string {
  const text: string = lang === 'zh' ? ZH[key] : EN[key];
  return text.replace(/\{(\w+)\}/gu, (_, k: string) => String(vars[k] ?? ''));
}

export const sortName = (sort: ListSort, lang: Lang) => SORTS[sort][lang];
