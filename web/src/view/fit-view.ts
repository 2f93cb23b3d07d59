import { WebMercatorViewport } from '@deck.gl/core';
import type { ViewState } from '../state/app-state.js';

export const SHENZHEN: ViewState = { longitude: 114.06, latitude: 22.55, zoom: 10.5, pitch: 0, bearing: 0 };

/** The view that shows `bbox` in an element of this size, leaving room for the sidebar and bottom bar when there is room at all. */
export function fitView(
  bbox: readonly [number, number, number, number] | null,
  width: number,
  height: number,
): ViewState {
  if (!bbox) return SHENZHEN;
  const vp = new WebMercatorViewport({ width, height });
  const padding = width > 800 && height > 400 ? { left: 300, right: 40, top: 40, bottom: 80 } : 20;
  const { longitude, latitude, zoom } = vp.fitBounds(
    [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ],
    { padding },
  );
  return { longitude, latitude, zoom: Math.min(zoom, 16), pitch: 0, bearing: 0 };
}
