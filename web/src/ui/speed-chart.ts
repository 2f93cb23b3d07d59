import type { IncidentDetail } from '../data/map-api.js';
import { label } from '../i18n/labels.js';
import type { Lang } from '../state/app-state.js';

const SPEED = '#38bdf8';
const ACCEL = '#fb923c';
const MARK = '#f43f5e';

/**
 * Speed (km/h, left axis) and longitudinal acceleration (m/s², right axis) across the incident's window, the
 * incident at 0 s, and the replay clock as a vertical line. Plain canvas: a few hundred samples.
 */
export function drawSpeedChart(
  canvas: HTMLCanvasElement,
  detail: IncidentDetail,
  lang: Lang,
  playheadMs: number | null,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 320;
  const hgt = canvas.clientHeight || 150;
  if (canvas.width !== Math.round(w * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(hgt * ratio);
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, hgt);
  const pad = { l: 34, r: 34, t: 16, b: 20 };
  const t0 = Date.parse(detail.incident.ts);
  const from = Date.parse(detail.window.from);
  const to = Date.parse(detail.window.to);
  const samples = detail.window.samples.map((s) => ({
    t: Date.parse(s.ts),
    v: s.speed_mps === null ? null : s.speed_mps * 3.6,
    a: s.accel_lon_mps2,
  }));
  const vMax = Math.max(20, ...samples.map((s) => s.v ?? 0)) * 1.1;
  const aAbs = Math.max(3, ...samples.map((s) => Math.abs(s.a ?? 0))) * 1.1;
  const x = (t: number) => pad.l + ((t - from) / Math.max(1, to - from)) * (w - pad.l - pad.r);
  const yv = (v: number) => hgt - pad.b - (v / vMax) * (hgt - pad.t - pad.b);
  const ya = (a: number) => pad.t + ((aAbs - a) / (2 * aAbs)) * (hgt - pad.t - pad.b);

  ctx.font = '10px sans-serif';
  ctx.strokeStyle = '#334155';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad.l, ya(0));
  ctx.lineTo(w - pad.r, ya(0));
  ctx.stroke();
  ctx.fillStyle = '#94a3b8';
  for (let s = Math.ceil((from - t0) / 30_000) * 30; s <= (to - t0) / 1000; s += 30) {
    ctx.fillText(`${s > 0 ? '+' : ''}${s}s`, x(t0 + s * 1000) - 10, hgt - 6);
  }
  ctx.fillStyle = SPEED;
  ctx.fillText(`${Math.round(vMax)}`, 4, pad.t + 4);
  ctx.fillText(label(lang, 'chartSpeed'), pad.l, 10);
  ctx.fillStyle = ACCEL;
  ctx.fillText(`±${aAbs.toFixed(1)}`, w - pad.r + 4, pad.t + 4);
  ctx.fillText(label(lang, 'chartAccel'), w - pad.r - 70, 10);

  const line = (color: string, pick: (s: (typeof samples)[number]) => number | null, y: (v: number) => number) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (const s of samples) {
      const v = pick(s);
      if (v === null) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(x(s.t), y(v));
      else ctx.moveTo(x(s.t), y(v));
      pen = true;
    }
    ctx.stroke();
  };
  line(SPEED, (s) => s.v, yv);
  line(ACCEL, (s) => s.a, ya);

  ctx.strokeStyle = MARK;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(x(t0), pad.t);
  ctx.lineTo(x(t0), hgt - pad.b);
  ctx.stroke();
  ctx.setLineDash([]);
  if (playheadMs !== null && playheadMs >= from && playheadMs <= to) {
    ctx.strokeStyle = '#f8fafc';
    ctx.beginPath();
    ctx.moveTo(x(playheadMs), pad.t);
    ctx.lineTo(x(playheadMs), hgt - pad.b);
    ctx.stroke();
  }
}
