import iconv from 'iconv-lite';
import type { DriveTrace } from '../trace.js';
import { ByteSink } from './bytes.js';
import { DECIMALS, sampleMs, type DriveMeta } from './meta.js';

/** The export of a Chinese fleet platform: GBK, Chinese header, Beijing local time, km/h, no accelerations. */
export const GBK_HEADER = [
  '时间',
  '公司',
  '车牌',
  '纬度',
  '经度',
  '速度(km/h)',
  '航向',
  '驾驶模式',
  '软件版本',
] as const;
export const GBK_MODES = ['自动驾驶', '人工驾驶', '远程驾驶'] as const;

export function writeGbkCsv(file: string, trace: DriveTrace, meta: DriveMeta): void {
  const sink = new ByteSink(file);
  sink.bytes(iconv.encode(`${GBK_HEADER.join(',')}\n`, 'gbk'));
  const ids = iconv.encode(`,${meta.companyId},${meta.vehicleId},`, 'gbk');
  const modes = GBK_MODES.map((m) => iconv.encode(`,${m},${meta.adsVersion}\n`, 'gbk'));
  const { gpsLat, gpsLon, v, heading, mode, keep } = trace;
  for (let k = 0; k < trace.n; k++) {
    if (keep[k] === 0) continue;
    sink.reserve(256);
    sink.beijing(sampleMs(meta, k));
    sink.bytes(ids);
    sink.fixed(gpsLat[k] ?? 0, DECIMALS.latlon);
    sink.byte(44);
    sink.fixed(gpsLon[k] ?? 0, DECIMALS.latlon);
    sink.byte(44);
    sink.fixed((v[k] ?? 0) * 3.6, DECIMALS.speed);
    sink.byte(44);
    sink.fixed(heading[k] ?? 0, DECIMALS.heading);
    sink.bytes(modes[mode[k] ?? 0] ?? new Uint8Array([10]));
  }
  sink.close();
}
