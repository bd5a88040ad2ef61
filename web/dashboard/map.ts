import { geoMercator, geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import boundaries from '../data/vn-provinces.topo.json';
import { formatFigure, text, type Lang } from './format';
import { DOMAINS, type Indicator, type ProvinceFigures } from './model';

type Props = { code: string; name: string };
const topology = boundaries as unknown as Topology<{ provinces: GeometryCollection<Props>; provinces2025: GeometryCollection<Props> }>;

/** The provinces before the 2025 reform (63) and from 1 July 2025 (34, each the union of the old ones merged into it). */
export type Vintage = 'before' | 'after';
const SHAPES: Record<Vintage, FeatureCollection<Geometry, Props>> = {
  before: feature(topology, topology.objects.provinces),
  after: feature(topology, topology.objects.provinces2025),
};
/** Post-reform localities are keyed `2025:` + their GSO code (the places issue). */
export const vintageOf = (code: string): Vintage => (code.startsWith('2025:') ? 'after' : 'before');

const WIDTH = 360;
const HEIGHT = 620;
const SVG = 'http://www.w3.org/2000/svg';
const LOW = [222, 235, 247];
const HIGH = [8, 69, 148];
export const NO_DATA = '#d0d7de';

export type ProvinceValue = ProvinceFigures['identity'] extends infer P ? (P extends { observations: Array<infer F> } ? F : never) : never;

/** Every indicator with a figure for at least one province of either vintage, for the map's picker. */
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

function legend(lang: Lang, values: ProvinceValue[], shown: number, total: number): HTMLElement {
  const t = text(lang);
  const box = document.createElement('div');
  box.className = 'legend';
  box.id = 'map-legend';
  const swatch = (fill: string, label: string, cls: string) => {
    const item = document.createElement('span');
    item.className = `legend-item ${cls}`;
    const chip = document.createElement('span');
    chip.className = 'swatch';
    chip.style.background = fill;
    chip.setAttribute('aria-hidden', 'true');
    item.append(chip, label);
    return item;
  };
  if (values.length) {
    const sorted = [...values].sort((a, b) => a.value - b.value);
    const [low, high] = [sorted[0], sorted[sorted.length - 1]];
    // One value (or all equal) is drawn in the darkest shade: one swatch, no ramp.
    if (low.value === high.value) box.append(swatch(colour(1), formatFigure(lang, high), 'high'));
    else
      box.append(
        swatch(colour(0), formatFigure(lang, low), 'low'),
        swatch(`linear-gradient(90deg, ${colour(0)}, ${colour(1)})`, '', 'ramp'),
        swatch(colour(1), formatFigure(lang, high), 'high'),
      );
  }
  box.append(swatch(NO_DATA, t.noData, 'no-data'));
  const count = document.createElement('p');
  count.className = 'legend-count';
  count.textContent = shown ? t.mapCount(shown, total) : t.mapNone(total);
  box.append(count);
  return box;
}

/** Draws one vintage's provinces as SVG paths, coloured by the indicator's value (grey where there is no figure), with a legend. */
export function renderMap(
  host: HTMLElement,
  lang: Lang,
  rows: ProvinceFigures[],
  code: string,
  vintage: Vintage,
  onPick: (code: string) => void,
): void {
  const shapes = SHAPES[vintage];
  const all = valuesFor(rows, code);
  const values = new Map([...all].filter(([c]) => vintageOf(c) === vintage));
  const numbers = [...values.values()].map((v) => v.value);
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  const path = geoPath(geoMercator().fitSize([WIDTH, HEIGHT], SHAPES.before));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', `${text(lang).map}: ${vintage === 'before' ? text(lang).vintageBefore : text(lang).vintageAfter}`);
  svg.dataset.vintage = vintage;
  for (const province of shapes.features) {
    const value = values.get(province.properties.code);
    const label = `${province.properties.name}: ${value ? formatFigure(lang, value) : text(lang).noData}`;
    const shape = document.createElementNS(SVG, 'path');
    shape.setAttribute('d', path(province) ?? '');
    shape.setAttribute('data-code', province.properties.code);
    shape.setAttribute('fill', value ? colour(max > min ? (value.value - min) / (max - min) : 1) : NO_DATA);
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
  host.replaceChildren(svg, legend(lang, [...values.values()], values.size, shapes.features.length));
}
