import { gql, GraphQLRequestError, loadWebConfig, storedKey, storeKey } from './api';
import { renderLocality } from './cards';
import { chartChoices, HEADLINE_MODE, renderChart } from './chart';
import { download, toCsv } from './csv';
import { byId, h } from './dom';
import { text, type Lang } from './format';
import { mapChoices, renderMap, vintageOf, type Vintage } from './map';
import type { LocalityFigures, ProvinceFigures, SearchHit } from './model';
import './style.css';

const state = {
  lang: (localStorage.getItem('atlas.lang') ?? (navigator.language.startsWith('vi') ? 'vi' : 'en')) as Lang,
  selected: [] as LocalityFigures[],
  provinces: [] as ProvinceFigures[],
  chartMode: HEADLINE_MODE,
  mapIndicator: '',
  mapVintage: 'before' as Vintage,
  /** True when the gateway prefills the key (development): no key field then. */
  keyPrefilled: false,
  /** null until the first search: no "no match" before anything was asked. */
  hits: null as SearchHit[] | null,
};

function status(message: string, isError = false): void {
  const el = byId('status');
  el.textContent = message;
  el.classList.toggle('error', isError);
}

/** A failed request in words: a missing or unknown key asks for one (and shows the key field), anything else is reported. */
function failed(err: unknown): void {
  const t = text(state.lang);
  if (err instanceof GraphQLRequestError && err.unauthenticated && !state.keyPrefilled) {
    status(storedKey() ? t.badKey : t.needKey, true);
    renderKey();
    byId('api-key').focus();
    return;
  }
  status(`${t.error}: ${(err as Error).message}`, true);
}

function renderKey(): void {
  const t = text(state.lang);
  byId('key-section').hidden = state.keyPrefilled;
  byId('key-state').textContent = storedKey() ? t.apiKeySet : '';
  byId<HTMLButtonElement>('key-clear').disabled = !storedKey();
}

async function loadProvinces(): Promise<void> {
  try {
    state.provinces = (await gql<{ localities: { nodes: ProvinceFigures[] } }>('DashboardProvinces')).localities.nodes;
    status('');
    render();
  } catch (err) {
    failed(err);
  }
}

async function search(term: string): Promise<void> {
  if (term.trim().length < 2) return;
  try {
    const data = await gql<{ localities: { nodes: SearchHit[] } }>('DashboardSearch', { search: term });
    state.hits = data.localities.nodes;
    renderHits();
  } catch (err) {
    failed(err);
  }
}

async function add(code: string): Promise<void> {
  if (state.selected.some((l) => l.code === code)) return;
  try {
    const data = await gql<{ locality: LocalityFigures | null }>('DashboardLocality', { code });
    if (data.locality) state.selected.push(data.locality);
    status('');
    render();
  } catch (err) {
    failed(err);
  }
}

function renderHits(): void {
  const t = text(state.lang);
  const list = byId('hits');
  const items = (state.hits ?? []).map((hit) => {
    const button = h('button', { type: 'button', 'data-code': hit.code }, `${t.add}: ${hit.name}`);
    button.addEventListener('click', () => void add(hit.code));
    // Both registries answer a search (Tỉnh Sơn La 14 and 2025:14): say which period each unit belongs to.
    const period = vintageOf(hit.code) === 'after' ? t.sinceReform : t.untilReform;
    const where = [t.levels[hit.level] ?? hit.level, hit.parent?.name, period].filter(Boolean).join(' · ');
    return h('li', {}, button, h('span', { class: 'where' }, ` ${where}`));
  });
  list.replaceChildren(...(items.length || !state.hits ? items : [h('li', {}, t.noMatch)]));
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
  renderKey();

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
  if (state.mapIndicator) renderMap(byId('map'), state.lang, state.provinces, state.mapIndicator, state.mapVintage, (code) => void add(code));
}

async function main(): Promise<void> {
  const config = await loadWebConfig();
  state.keyPrefilled = config.keyPrefilled;
  byId('explorer-link').hidden = !config.explorer;
  byId('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = byId<HTMLInputElement>('api-key');
    const key = input.value.trim();
    if (!key) return input.focus();
    storeKey(key);
    input.value = '';
    status('');
    renderKey();
    void loadProvinces();
  });
  byId('key-clear').addEventListener('click', () => {
    storeKey(null);
    renderKey();
    byId('api-key').focus();
  });
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="vintage"]')) {
    radio.addEventListener('change', () => {
      state.mapVintage = radio.value as Vintage;
      render();
    });
  }
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
  await loadProvinces();
  document.body.dataset.ready = 'true';
}

void main();
