import { figuresOf } from './cards';
import type { LocalityFigures } from './model';

const COLUMNS = [
  'locality_code',
  'locality_name',
  'domain',
  'indicator_code',
  'indicator_name',
  'unit',
  'qualifier',
  'value',
  'period_start',
  'period_end',
  'period_label',
  'source_title',
  'source_url',
] as const;

const cell = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Every figure on the cards, one row each, values as the API gives them (dot decimals, no qualifier words). */
export function toCsv(localities: LocalityFigures[]): string {
  const rows = localities.flatMap((l) =>
    figuresOf(l).map((f) => [
      l.code,
      l.name,
      f.domain,
      f.indicator.code,
      f.indicator.name,
      f.indicator.unit,
      f.qualifier,
      f.value,
      f.period?.start,
      f.period?.end,
      f.period?.label,
      f.source.title,
      f.source.url,
    ]),
  );
  return [COLUMNS, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function download(filename: string, csv: string): void {
  // A BOM so that spreadsheet programs read the Vietnamese names as UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
