import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { mergeArcs } from 'topojson-client';
import type { GeometryCollection, MultiPolygon, Polygon, Topology } from 'topojson-specification';

/** A province shape's properties: its locality `code` (post-reform units are keyed `2025:` + GSO code) and registry `name`. */
export interface ProvinceProps {
  code: string;
  name: string;
}
type Shape = (Polygon | MultiPolygon) & { properties: ProvinceProps };
export type ProvinceTopology = Topology<{ provinces: GeometryCollection<ProvinceProps>; provinces2025?: GeometryCollection<ProvinceProps> }>;

interface ReformRow {
  old_province_code: string;
  new_province_code: string;
  new_province_name: string;
}

/**
 * The 34 provinces in force from 1 July 2025, each the union of the pre-reform shapes that the reform's province list
 * (`reform-2025-provinces.csv`, every province passed whole into one new province) merges into it. Merging in topology
 * space (topojson-client's mergeArcs) drops the shared borders and keeps every outer arc as it is: no new geometry.
 */
export function dissolveReform(topology: ProvinceTopology, reformCsv: string): GeometryCollection<ProvinceProps> {
  const rows = parse<ReformRow>(reformCsv, { columns: true, skip_empty_lines: true });
  const shapes = new Map((topology.objects.provinces.geometries as Shape[]).map((g) => [g.properties.code, g]));
  const merged = new Map<string, { name: string; old: Shape[] }>();
  for (const row of rows) {
    const shape = shapes.get(row.old_province_code);
    if (!shape) throw new Error(`reform list: no boundary for old province ${row.old_province_code}`);
    const entry = merged.get(row.new_province_code) ?? { name: row.new_province_name, old: [] };
    entry.old.push(shape);
    merged.set(row.new_province_code, entry);
  }
  if (rows.length !== shapes.size) throw new Error(`reform list names ${rows.length} old provinces, the boundaries have ${shapes.size}`);
  const geometries = [...merged.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, { name, old }]) => {
      const union = mergeArcs(topology, old);
      const shape: MultiPolygon<ProvinceProps> = { type: union.type, arcs: union.arcs, properties: { code: `2025:${code}`, name } };
      return shape;
    });
  return { type: 'GeometryCollection', geometries };
}

/** Adds (or refreshes) `provinces2025` in web/data/vn-provinces.topo.json: `npm run build && node dist/scripts/dissolve-boundaries.js`. */
function main(): void {
  const root = path.resolve(__dirname, '..', '..');
  const file = path.join(root, 'web/data/vn-provinces.topo.json');
  const topology = JSON.parse(fs.readFileSync(file, 'utf8')) as ProvinceTopology;
  const provinces2025 = dissolveReform(topology, fs.readFileSync(path.join(root, 'seeds/reform-2025-provinces.csv'), 'utf8'));
  if (provinces2025.geometries.length !== 34) throw new Error(`expected 34 provinces, got ${provinces2025.geometries.length}`);
  topology.objects = { provinces: topology.objects.provinces, provinces2025 };
  fs.writeFileSync(file, JSON.stringify(topology) + '\n');
  console.log(`wrote ${provinces2025.geometries.length} post-reform provinces into ${path.relative(root, file)}`);
}

if (require.main === module) main();
