import { TileLayer } from '@deck.gl/geo-layers';
import { BitmapLayer, GeoJsonLayer, PathLayer, TextLayer } from '@deck.gl/layers';
import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson';
import type { Districts, Roads } from '../data/map-api.js';
import { districtName } from '../i18n/vocab-names.js';
import type { Lang } from '../state/app-state.js';
import { BASE } from './palette.js';

type DistrictFeature = Feature<Polygon | MultiPolygon, { name: string; label: [number, number] }>;
type RoadFeature = Feature<LineString, { name: string; name_en: string; limit_kmh: number }>;

export function districtsLayer(districts: Districts): GeoJsonLayer {
  return new GeoJsonLayer({
    id: 'districts',
    data: districts,
    filled: true,
    stroked: true,
    getFillColor: [...BASE.districtFill],
    getLineColor: [...BASE.districtLine],
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    lineWidthMinPixels: 1,
  });
}

const CJK_FONTS =
  '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

export function districtLabelsLayer(districts: Districts, lang: Lang): TextLayer<DistrictFeature> {
  return new TextLayer<DistrictFeature>({
    id: 'district-labels',
    data: districts.features,
    getPosition: (f) => f.properties.label,
    getText: (f) => districtName(f.properties.name, lang),
    getColor: [...BASE.districtText],
    getSize: 14,
    fontFamily: CJK_FONTS,
    fontWeight: 600,
    characterSet: 'auto',
    // a dark halo keeps the names legible over hexbins and routes
    fontSettings: { sdf: true },
    outlineWidth: 3,
    outlineColor: [...BASE.districtHalo],
    updateTriggers: { getText: lang },
  });
}

export function roadsLayer(roads: Roads): PathLayer<RoadFeature> {
  return new PathLayer<RoadFeature>({
    id: 'roads',
    data: roads.features,
    getPath: (f) => f.geometry.coordinates as [number, number][],
    getColor: [...BASE.road],
    widthUnits: 'pixels',
    getWidth: 3,
    widthMinPixels: 1,
    pickable: true,
  });
}

const frames = new WeakMap<readonly number[], [number, number][][]>();

/** The lake's extent as a frame: the base when there are no districts. */
export function extentLayer(bbox: readonly [number, number, number, number]): PathLayer<[number, number][]> {
  const [w, s, e, n] = bbox;
  let data = frames.get(bbox);
  if (!data)
    frames.set(
      bbox,
      (data = [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ]),
    );
  return new PathLayer<[number, number][]>({
    id: 'extent',
    data,
    getPath: (p) => p,
    getColor: [...BASE.extent],
    widthUnits: 'pixels',
    getWidth: 1,
  });
}

/** Raster tiles from a `{z}/{x}/{y}` URL template (the deployment's tile server). */
export function tilesLayer(url: string): TileLayer {
  return new TileLayer({
    id: 'tiles',
    data: url,
    minZoom: 0,
    maxZoom: 19,
    tileSize: 256,
    renderSubLayers: (props) => {
      const { west, south, east, north } = props.tile.bbox as {
        west: number;
        south: number;
        east: number;
        north: number;
      };
      return new BitmapLayer({
        id: `${props.id}-bitmap`,
        image: props.data as string,
        bounds: [west, south, east, north],
      });
    },
  });
}
