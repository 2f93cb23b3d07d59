import type { Lang } from '../state/app-state.js';

const EN = {
  title: 'Road-test reports',
  intro:
    'Regulator reports of each company and of the whole fleet: the monthly report, the quarterly stage report and the summary of each whole test.',
  map: '← Map',
  language: '中文',
  months: 'Monthly reports',
  quarters: 'Quarterly stage reports',
  tests: 'Summary of the whole test',
  period: 'Period',
  fleet: 'All companies',
  files: 'source files',
  loading: 'loading…',
  none: 'No data in the lake yet',
  error: 'Could not load the report list',
} as const;

export type ReportsLabel = keyof typeof EN;

const ZH: Record<ReportsLabel, string> = {
  title: '道路测试报告',
  intro: '各测试主体及全市汇总的监管报告：月度报告、季度阶段报告和整个测试的总结报告。',
  map: '← 地图',
  language: 'English',
  months: '月度报告',
  quarters: '季度阶段报告',
  tests: '测试总结报告',
  period: '报告期',
  fleet: '全部测试主体',
  files: '个数据源文件',
  loading: '加载中…',
  none: '库中暂无数据',
  error: '报告列表加载失败',
};

export function reportsLabel(lang: Lang, key: ReportsLabel): string {
  return lang === 'zh' ? ZH[key] : EN[key];
}
