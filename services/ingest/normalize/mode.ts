import type { Mode } from '../schema/vocab.js';

/** Spellings of driving modes in real logs: English, Chinese, Apollo/Autoware enums, booleans. */
const MODE_WORDS: Record<string, Mode> = {
  autonomous: 'autonomous',
  auto: 'autonomous',
  ad: 'autonomous',
  ads: 'autonomous',
  automated: 'autonomous',
  self_driving: 'autonomous',
  selfdriving: 'autonomous',
  autopilot: 'autonomous',
  engaged: 'autonomous',
  complete_auto_drive: 'autonomous',
  autonomous_mode: 'autonomous',
  true: 'autonomous',
  '1': 'autonomous',
  自动驾驶: 'autonomous',
  自动: 'autonomous',
  无人驾驶: 'autonomous',
  自动驾驶模式: 'autonomous',
  manual: 'manual',
  driver: 'manual',
  human: 'manual',
  disengaged: 'manual',
  complete_manual: 'manual',
  manual_mode: 'manual',
  false: 'manual',
  '0': 'manual',
  人工驾驶: 'manual',
  人工: 'manual',
  手动: 'manual',
  手动驾驶: 'manual',
  人工驾驶模式: 'manual',
  remote: 'remote',
  teleop: 'remote',
  teleoperation: 'remote',
  remote_driving: 'remote',
  remote_control: 'remote',
  远程驾驶: 'remote',
  远程: 'remote',
  远程控制: 'remote',
  unknown: 'unknown',
};

/** The stored mode for a logged value: a Mode, `unknown` when blank, or null when the value is not understood. */
export function parseMode(value: unknown): Mode | null {
  if (value === undefined || value === null || value === '') return 'unknown';
  if (typeof value === 'boolean') return value ? 'autonomous' : 'manual';
  const key = String(value)
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/gu, '_');
  if (key === '') return 'unknown';
  return MODE_WORDS[key] ?? null;
}
