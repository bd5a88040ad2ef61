import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { feature } from 'topojson-client';
import { fromRoot } from '../../common/platform/paths';
import { dissolveReform, type ProvinceProps, type ProvinceTopology } from '../../scripts/dissolve-boundaries';

type Shape = { arcs: number[][][]; properties: ProvinceProps };

const topology = JSON.parse(fs.readFileSync(fromRoot('web/data/vn-provinces.topo.json'), 'utf8')) as ProvinceTopology;
const reformCsv = fs.readFileSync(fromRoot('seeds/reform-2025-provinces.csv'), 'utf8');

describe("the dashboard map's province boundaries (web/data/vn-provinces.topo.json)", () => {
  it('has the 34 post-reform provinces, keyed and named as in the 2025-07-01 registry', () => {
    const registry = parse<Record<string, string>>(fs.readFileSync(fromRoot('seeds/admin-units-2025-07-01.csv'), 'utf8'), { columns: true })
      .filter((u) => u.level === 'province')
      .map((u) => ({ code: `2025:${u.code}`, name: u.name }))
      .sort((a, b) => a.code.localeCompare(b.code));
    const shapes = topology.objects.provinces2025?.geometries.map((g) => g.properties) ?? [];
    expect(shapes).toEqual(registry);
    expect(topology.objects.provinces.geometries).toHaveLength(63);
  });

  it('is what dissolving the 63 pre-reform shapes by the reform list gives (rerun scripts/dissolve-boundaries.ts after changing either)', () => {
    expect(dissolveReform(topology, reformCsv)).toEqual(topology.objects.provinces2025);
  });

  it('merges by dropping shared borders: Phú Thọ (2025) has no arc of the old Vĩnh Phúc – Phú Thọ border', () => {
    const arcsOf = (arcs: number[][][]) => new Set(arcs.flat(2).map((a) => (a < 0 ? ~a : a)));
    const old = new Map((topology.objects.provinces.geometries as unknown as Shape[]).map((g) => [g.properties.code, g]));
    const arcsOld = (code: string) => arcsOf(old.get(code)!.arcs);
    const phuTho = (topology.objects.provinces2025!.geometries as unknown as Shape[]).find((g) => g.properties.code === '2025:25')!;
    const merged = arcsOf(phuTho.arcs);
    const shared = [...arcsOld('25')].filter((a) => arcsOld('26').has(a));
    expect(shared.length).toBeGreaterThan(0);
    for (const a of shared) expect(merged.has(a)).toBe(false);
    // Every shape still draws: one feature per province, none empty.
    const features = feature(topology, topology.objects.provinces2025!).features;
    expect(features.every((f) => f.geometry.type === 'MultiPolygon' && f.geometry.coordinates.length > 0)).toBe(true);
  });
});
