import { geoMercator, geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import boundaries from '../data/vn-provinces.topo.json';
import { formatFigure, text, type Lang } from './format';
import { DOMAINS, type Indicator, type ProvinceFigures } from './model';

type Props = { code: string; name: string };
const topology = boundaries as unknown as Topology<{ provinces: GeometryCollection<Props> }>;
const provinces: FeatureCollection<Geometry, Props> = feature(topology, topology.objects.provinces);

const WIDTH = 360;
const HEIGHT = 620;
const SVG = 'http://www.w3.org/2000/svg';
const LOW = [222, 235, 247];
const HIGH = [8, 69, 148];

export type ProvinceValue = ProvinceFigures['identity'] extends infer P ? (P extends { observations: Array<infer F> } ? F : never) : never;

/** Every indicator with a figure for at least one province, for the map's picker. */
export function mapChoices(rows: ProvinceFigures[]): Indicator[] {
  const seen = new Map<string, Indicator>();
  for (const row of rows) for (const d of DOMAINS) for (const f of row[d]?.observations ?? []) seen.set(f.indicator.code, f.indicator);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function valuesFor(rows: ProvinceFigures[], code: string): Map<string, ProvinceValue> {
  const values = new Map<string, ProvinceValue>();
  for (const row of rows) {
    for (const d of DOMAINS) {
      const f = row[d]?.observations.find((o) => o.indicator.code === code);
      if (f) values.set(row.code, f);
    }
  }
  return values;
}

function colour(t: number): string {
  const c = LOW.map((low, i) => Math.round(low + (HIGH[i] - low) * t));
  return `rgb(${c.join(',')})`;
}

/** Draws the 63 provinces as SVG paths, coloured by the indicator's value (grey where there is no figure). */
export function renderMap(host: HTMLElement, lang: Lang, rows: ProvinceFigures[], code: string, onPick: (code: string) => void): void {
  const values = valuesFor(rows, code);
  const numbers = [...values.values()].map((v) => v.value);
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  const path = geoPath(geoMercator().fitSize([WIDTH, HEIGHT], provinces));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', text(lang).map);
  for (const province of provinces.features) {
    const value = values.get(province.properties.code);
    const label = `${province.properties.name}: ${value ? formatFigure(lang, value) : text(lang).noData}`;
    const shape = document.createElementNS(SVG, 'path');
    shape.setAttribute('d', path(province) ?? '');
    shape.setAttribute('data-code', province.properties.code);
    shape.setAttribute('fill', value ? colour(max > min ? (value.value - min) / (max - min) : 1) : '#d0d7de');
    shape.setAttribute('class', value ? 'province has-value' : 'province');
    shape.setAttribute('tabindex', value ? '0' : '-1');
    shape.setAttribute('role', 'button');
    shape.setAttribute('aria-label', label);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = label;
    shape.append(title);
    shape.addEventListener('click', () => onPick(province.properties.code));
    shape.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onPick(province.properties.code);
      }
    });
    svg.append(shape);
  }
  host.replaceChildren(svg);
}
