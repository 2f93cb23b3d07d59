import fs from 'node:fs';

/**
 * Writes a synthetic telemetry CSV of `rows` rows for throughput measurement: 10 Hz tracks of `vehicles`
 * vehicles one after another, canonical columns, ISO timestamps. Plausible motion, no defects.
 */
export function writeBenchCsv(path: string, rows: number, vehicles = 50): void {
  const fd = fs.openSync(path, 'w');
  const perVehicle = Math.ceil(rows / vehicles);
  const start = Date.UTC(2026, 8, 1, 0, 0, 0);
  let parts: string[] = [
    'ts,company_id,vehicle_id,lat,lon,speed_mps,heading_deg,accel_lon_mps2,accel_lat_mps2,mode,ads_version\n',
  ];
  let size = 0;
  let written = 0;
  for (let v = 0; v < vehicles && written < rows; v++) {
    const company = `co${v % 5}`;
    const vehicle = `V${String(v).padStart(3, '0')}`;
    let lat = 22.53 + (v % 10) * 0.003;
    let lon = 113.95 + Math.floor(v / 10) * 0.02;
    let speed = 8;
    let heading = (v * 37) % 360;
    for (let i = 0; i < perVehicle && written < rows; i++, written++) {
      const t = new Date(start + i * 100).toISOString();
      const accel = Math.sin(i / 50) * 0.8;
      speed = Math.max(0, Math.min(20, speed + accel * 0.1));
      heading = (heading + Math.sin(i / 300) * 0.5 + 360) % 360;
      const rad = (heading * Math.PI) / 180;
      lat += (speed * 0.1 * Math.cos(rad)) / 111_320;
      lon += (speed * 0.1 * Math.sin(rad)) / (111_320 * Math.cos((lat * Math.PI) / 180));
      const mode = i % 3000 < 2700 ? 'autonomous' : 'manual';
      const line = `${t},${company},${vehicle},${lat.toFixed(7)},${lon.toFixed(7)},${speed.toFixed(3)},${heading.toFixed(1)},${accel.toFixed(3)},${(Math.cos(i / 40) * 0.5).toFixed(3)},${mode},v2.${v % 3}.0\n`;
      parts.push(line);
      size += line.length;
      if (size > 1 << 22) {
        fs.writeSync(fd, parts.join(''));
        parts = [];
        size = 0;
      }
    }
  }
  fs.writeSync(fd, parts.join(''));
  fs.closeSync(fd);
}
