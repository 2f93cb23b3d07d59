import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_ROADS, embeddedRoads } from '../../services/reference/roads/embedded.js';
import { graphmlRoads, parseGraphml } from '../../services/reference/roads/graphml.js';
import { shortestRoute } from '../../services/reference/roads/graph.js';
import { districtOf, loadDistricts, SHARED_DATA } from '../seeds/helpers.js';

const GRAPHML = path.join(SHARED_DATA, 'shenzhen/futian-drive.graphml');

describe('embedded road set', () => {
  it('lies inside Futian, Nanshan or Luohu at every point', () => {
    const districts = loadDistricts();
    for (const road of EMBEDDED_ROADS) {
      for (const [lon, lat] of road.points)
        expect(['福田', '南山', '罗湖'], `${road.name} ${lon},${lat}`).toContain(districtOf(districts, lat, lon));
    }
  });

  it('runs Shennan Blvd east–west at about lat 22.54 from ~113.92 to ~114.12', () => {
    const shennan = EMBEDDED_ROADS.find((r) => r.name === '深南大道');
    expect(shennan?.limitKmh).toBe(60);
    const lons = (shennan?.points ?? []).map((p) => p[0]);
    const lats = (shennan?.points ?? []).map((p) => p[1]);
    expect(Math.min(...lons)).toBeLessThan(113.93);
    expect(Math.max(...lons)).toBeGreaterThan(114.11);
    for (const lat of lats) expect(Math.abs(lat - 22.54)).toBeLessThan(0.01);
  });

  it('joins the roads at junctions into one network any node of which can reach the others', () => {
    const g = embeddedRoads();
    expect(g.nodes.filter((n) => n.junction).length).toBeGreaterThan(30);
    expect(g.routable.length / g.nodes.length).toBeGreaterThan(0.95);
    const names = new Set(g.edges.map((e) => e.name));
    for (const n of [
      '深南大道',
      '滨河大道',
      '北环大道',
      '红荔路',
      '彩田路',
      '皇岗路',
      '新洲路',
      '沙河西路',
      '科苑路',
      '南海大道',
    ])
      expect(names).toContain(n);
    const [a, b] = [g.routable[0], g.routable[g.routable.length - 1]];
    const route = shortestRoute(g, a ?? 0, b ?? 0);
    expect(route?.length ?? 0).toBeGreaterThan(0);
    const edges = (route ?? []).map((i) => g.edges[i]);
    edges.forEach((e, i) => i > 0 && expect(e?.from).toBe(edges[i - 1]?.to));
    expect(edges[0]?.from).toBe(a);
    expect(edges[edges.length - 1]?.to).toBe(b);
  });
});

describe('GraphML roads', () => {
  it('reads the Futian OSMnx extract: drivable edges only, with limits, one-way streets and geometry', async () => {
    const g = await graphmlRoads(GRAPHML);
    expect(g.source).toBe('futian-drive.graphml');
    expect(g.nodes.length).toBe(1751);
    expect(g.edges.length).toBeGreaterThan(2000);
    expect(g.edges.length).toBeLessThan(4009);
    expect(g.bbox.minLon).toBeGreaterThan(113.99);
    expect(g.bbox.maxLon).toBeLessThan(114.05);
    const limits = new Set(g.edges.map((e) => Math.round(e.limitMps * 3.6)));
    expect(limits).toContain(30);
    expect(limits).toContain(40);
    expect(g.edges.some((e) => e.points.length > 2)).toBe(true);
    expect(g.routable.length).toBeGreaterThan(1000);
  });

  it('honours maxspeed, oneway, geometry and drops footways', () => {
    const xml = `<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><key id="d5" for="node" attr.name="x" attr.type="string"/>
<key id="d4" for="node" attr.name="y" attr.type="string"/><key id="d6" for="node" attr.name="street_count" attr.type="string"/>
<key id="d10" for="edge" attr.name="oneway" attr.type="string"/><key id="d11" for="edge" attr.name="name" attr.type="string"/>
<key id="d12" for="edge" attr.name="highway" attr.type="string"/><key id="d13" for="edge" attr.name="maxspeed" attr.type="string"/>
<key id="d15" for="edge" attr.name="length" attr.type="string"/><key id="d16" for="edge" attr.name="geometry" attr.type="string"/>
<graph edgedefault="directed">
<node id="1"><data key="d4">22.54</data><data key="d5">114.00</data><data key="d6">3</data></node>
<node id="2"><data key="d4">22.54</data><data key="d5">114.01</data><data key="d6">3</data></node>
<node id="3"><data key="d4">22.55</data><data key="d5">114.01</data><data key="d6">3</data></node>
<edge source="1" target="2" id="0"><data key="d10">True</data><data key="d11">一号路</data><data key="d12">primary</data><data key="d13">['40', '60']</data><data key="d15">1030</data>
<data key="d16">LINESTRING (114.01 22.54, 114.005 22.541, 114.00 22.54)</data></edge>
<edge source="2" target="3" id="0"><data key="d10">False</data><data key="d11">二号路</data><data key="d12">['tertiary', 'residential']</data><data key="d15">1110</data></edge>
<edge source="3" target="1" id="0"><data key="d10">False</data><data key="d12">footway</data><data key="d15">1500</data></edge>
</graph></graphml>`;
    const g = parseGraphml(xml, 'tiny.graphml');
    const one = g.edges.filter((e) => e.name === '一号路');
    expect(one).toHaveLength(1);
    expect(one[0]?.limitMps).toBeCloseTo(40 / 3.6, 6);
    expect(one[0]?.points).toEqual([
      [114.0, 22.54],
      [114.005, 22.541],
      [114.01, 22.54],
    ]);
    const two = g.edges.filter((e) => e.name === '二号路');
    expect(two).toHaveLength(2);
    expect(two[0]?.limitMps).toBeCloseTo(40 / 3.6, 6);
    expect(g.edges).toHaveLength(3);
    expect(() => parseGraphml('<graphml></graphml>', 'empty')).toThrow(/no <node>/);
  });
});
