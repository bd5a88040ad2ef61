import { gql, loadWebConfig } from './api';
import { renderLocality } from './cards';
import { chartChoices, HEADLINE_MODE, renderChart } from './chart';
import { download, toCsv } from './csv';
import { byId, h } from './dom';
import { text, type Lang } from './format';
import { mapChoices, renderMap } from './map';
import type { LocalityFigures, ProvinceFigures, SearchHit } from './model';
import { LOCALITY, PROVINCES, SEARCH } from './queries';
import './style.css';

const state = {
  lang: (localStorage.getItem('atlas.lang') ?? (navigator.language.startsWith('vi') ? 'vi' : 'en')) as Lang,
  selected: [] as LocalityFigures[],
  provinces: [] as ProvinceFigures[],
  chartMode: HEADLINE_MODE,
  mapIndicator: '',
  hits: [] as SearchHit[],
};

function status(message: string, isError = false): void {
  const el = byId('status');
  el.textContent = message;
  el.classList.toggle('error', isError);
}

async function search(term: string): Promise<void> {
  if (term.trim().length < 2) return;
  try {
    const data = await gql<{ localities: { nodes: SearchHit[] } }>(SEARCH, { search: term });
    state.hits = data.localities.nodes;
    renderHits();
  } catch (err) {
    status(`${text(state.lang).error}: ${(err as Error).message}`, true);
  }
}

async function add(code: string): Promise<void> {
  if (state.selected.some((l) => l.code === code)) return;
  try {
    const data = await gql<{ locality: LocalityFigures | null }>(LOCALITY, { code });
    if (data.locality) state.selected.push(data.locality);
    status('');
    render();
  } catch (err) {
    status(`${text(state.lang).error}: ${(err as Error).message}`, true);
  }
}

function renderHits(): void {
  const t = text(state.lang);
  const list = byId('hits');
  const items = state.hits.map((hit) => {
    const button = h('button', { type: 'button', 'data-code': hit.code }, `${t.add}: ${hit.name}`);
    button.addEventListener('click', () => void add(hit.code));
    const where = [t.levels[hit.level] ?? hit.level, hit.parent?.name].filter(Boolean).join(' · ');
    return h('li', {}, button, h('span', { class: 'where' }, ` ${where}`));
  });
  list.replaceChildren(...(items.length ? items : [h('li', {}, t.noMatch)]));
}

function fillSelect(select: HTMLSelectElement, options: Array<{ value: string; label: string }>, current: string): void {
  select.replaceChildren(...options.map((o) => h('option', { value: o.value, ...(o.value === current ? { selected: '' } : {}) }, o.label)));
}

function render(): void {
  const t = text(state.lang);
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-text]')) el.textContent = t[el.dataset.text as keyof typeof t] as string;
  byId<HTMLInputElement>('search').placeholder = t.searchPlaceholder;
  renderHits();

  const cards = byId('localities');
  cards.replaceChildren(
    ...(state.selected.length
      ? state.selected.map((l) =>
          renderLocality(state.lang, l, () => {
            state.selected = state.selected.filter((x) => x !== l);
            render();
          }),
        )
      : [h('p', {}, t.empty)]),
  );
  byId<HTMLButtonElement>('download').disabled = state.selected.length === 0;

  const choices = chartChoices(state.selected);
  if (state.chartMode !== HEADLINE_MODE && !choices.some((c) => c.code === state.chartMode)) state.chartMode = HEADLINE_MODE;
  fillSelect(
    byId('chart-indicator'),
    [{ value: HEADLINE_MODE, label: t.headlines }, ...choices.map((c) => ({ value: c.code, label: c.name }))],
    state.chartMode,
  );
  byId('chart-section').hidden = state.selected.length === 0;
  if (state.selected.length) renderChart(byId<HTMLCanvasElement>('chart'), state.lang, state.selected, state.chartMode);

  const mapOptions = mapChoices(state.provinces);
  if (!mapOptions.some((o) => o.code === state.mapIndicator)) {
    state.mapIndicator = (mapOptions.find((o) => o.code.includes('4g_population')) ?? mapOptions[0])?.code ?? '';
  }
  fillSelect(
    byId('map-indicator'),
    mapOptions.map((o) => ({ value: o.code, label: o.name })),
    state.mapIndicator,
  );
  if (state.mapIndicator) renderMap(byId('map'), state.lang, state.provinces, state.mapIndicator, (code) => void add(code));
}

async function main(): Promise<void> {
  const config = await loadWebConfig();
  byId('explorer-link').hidden = !config.explorer;
  byId<HTMLSelectElement>('lang').value = state.lang;
  byId('lang').addEventListener('change', (e) => {
    state.lang = (e.target as HTMLSelectElement).value as Lang;
    localStorage.setItem('atlas.lang', state.lang);
    render();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  byId('search').addEventListener('input', (e) => {
    clearTimeout(timer);
    timer = setTimeout(() => void search((e.target as HTMLInputElement).value), 250);
  });
  byId('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    void search(byId<HTMLInputElement>('search').value);
  });
  byId('chart-indicator').addEventListener('change', (e) => {
    state.chartMode = (e.target as HTMLSelectElement).value;
    render();
  });
  byId('map-indicator').addEventListener('change', (e) => {
    state.mapIndicator = (e.target as HTMLSelectElement).value;
    render();
  });
  byId('download').addEventListener('click', () => download('atlas-figures.csv', toCsv(state.selected)));
  render();
  try {
    state.provinces = (await gql<{ localities: { nodes: ProvinceFigures[] } }>(PROVINCES)).localities.nodes;
    render();
  } catch (err) {
    status(`${text(state.lang).error}: ${(err as Error).message}`, true);
  }
  document.body.dataset.ready = 'true';
}

void main();
