import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { Catalog } from '../../services/ingest/lake/catalog.js';
import { lakePaths } from '../../services/ingest/lake/paths.js';
import { BagWriter, ROS1_DEFINITIONS } from '../../seeds/writers/rosbag.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

describe('a source that yields nothing', () => {
  it('a bag without GNSS is empty, says which topics it has and which avlog reads, and is not remembered', async () => {
    const f = path.join(dir, 'imu-only.bag');
    const bag = new BagWriter(f, { compression: 'none' });
    const imu = bag.connection('/imu/data', 'sensor_msgs/Imu', ROS1_DEFINITIONS['sensor_msgs/Imu']);
    const odom = bag.connection('/odom', 'nav_msgs/Odometry', ROS1_DEFINITIONS['nav_msgs/Odometry']);
    const t0 = Date.UTC(2026, 5, 1) * 1e6;
    for (let k = 0; k < 10; k++) {
      bag.message(imu, t0 + k * 1e8, new Uint8Array(300));
      bag.message(odom, t0 + k * 1e8, new Uint8Array(700));
    }
    bag.close();
    const data = path.join(dir, 'bag-data');
    const run = () => ingestPaths([f], { dataDir: data, company: 'c', vehicle: 'v' });
    const s = await run();
    expect(s).toMatchObject({ empty: 1, failed: 0, rows_stored: 0 });
    expect(s.files[0]?.status).toBe('empty');
    expect(s.files[0]?.error).toMatch(/no telemetry and no events in this rosbag file/u);
    expect(s.files[0]?.error).toMatch(/\/imu\/data \(sensor_msgs\/Imu\): read as imu/u);
    expect(s.files[0]?.error).toMatch(/avlog reads position fixes \(sensor_msgs\/NavSatFix/u);
    expect(new Catalog(lakePaths(data)).list().map((e) => e.status)).toEqual(['empty']);
    // Not "already ingested": a second attempt reads it again and says the same.
    expect((await run()).files[0]?.status).toBe('empty');
  });

  it('a CSV whose every row is quarantined is empty and lists the reasons', async () => {
    const f = writeFixture(
      dir,
      'all-bad.csv',
      'ts,company_id,vehicle_id,lat,lon\n2026-06-01T00:00:00Z,c,v,0,0\n9999-12-31T00:00:00Z,c,v,22.5,114\n',
    );
    const s = await ingestPaths([f], { dataDir: path.join(dir, 'csv-data') });
    expect(s.files[0]).toMatchObject({ status: 'empty', rows_in: 2, rows_quarantined: 2 });
    expect(s.files[0]?.error).toBe(
      'all-bad.csv: no telemetry and no events in this csv file: 2 record(s) read, all quarantined (1 null_island, 1 timestamp_out_of_range)',
    );
  });
});
