import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { figuresOf } from './cards';
import { formatNumber, text, type Lang } from './format';
import type { Headline, LocalityFigures, Unit } from './model';
import { HEADLINES } from './queries';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLOURS = ['#1f6feb', '#d4682a', '#2da44e', '#8250df', '#bf3989', '#57606a'];
export const HEADLINE_MODE = 'headlines';

interface Series {
  labels: string[];
  datasets: Array<{ label: string; data: Array<number | null> }>;
  unit: Unit;
}

function headlineValue(l: LocalityFigures, domain: (typeof HEADLINES)[number]['domain'], field: string): number | null {
  const h = l[domain]?.[field] as Headline | null | undefined;
  return h ? h.value : null;
}

/** Headline rates: one group per rate, one bar per locality. One indicator: one bar per locality. */
export function series(lang: Lang, localities: LocalityFigures[], mode: string): Series {
  if (mode === HEADLINE_MODE) {
    return {
      labels: HEADLINES.map((x) => x[lang]),
      datasets: localities.map((l) => ({ label: l.name, data: HEADLINES.map((x) => headlineValue(l, x.domain, x.field)) })),
      unit: 'PERCENT',
    };
  }
  const figures = localities.map((l) => figuresOf(l).find((f) => f.indicator.code === mode));
  const indicator = figures.find((f) => f)?.indicator;
  return {
    labels: localities.map((l) => l.name),
    datasets: [{ label: indicator?.name ?? mode, data: figures.map((f) => f?.value ?? null) }],
    unit: indicator?.unit ?? 'COUNT',
  };
}

/** The indicators any of the localities has a figure for, for the chart's picker. */
export function chartChoices(localities: LocalityFigures[]): Array<{ code: string; name: string }> {
  const seen = new Map<string, string>();
  for (const l of localities) for (const f of figuresOf(l)) seen.set(f.indicator.code, f.indicator.name);
  return [...seen].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name));
}

let chart: Chart<'bar'> | undefined;

export function renderChart(canvas: HTMLCanvasElement, lang: Lang, localities: LocalityFigures[], mode: string): Series {
  const s = series(lang, localities, mode);
  chart?.destroy();
  chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: s.labels,
      datasets: s.datasets.map((d, i) => ({ ...d, backgroundColor: COLOURS[i % COLOURS.length] })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatNumber(lang, Number(v), s.unit) } } },
      plugins: {
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label ?? ''}: ${ctx.raw === null ? text(lang).noData : formatNumber(lang, Number(ctx.raw), s.unit)}`,
          },
        },
      },
    },
  });
  canvas.setAttribute('aria-label', describe(lang, s));
  return s;
}

/** The chart in words, for screen readers and tests. */
function describe(lang: Lang, s: Series): string {
  return s.labels
    .map(
      (label, i) =>
        `${label}: ${s.datasets.map((d) => `${d.label} ${d.data[i] === null ? text(lang).noData : formatNumber(lang, d.data[i], s.unit)}`).join(', ')}`,
    )
    .join('; ');
}
