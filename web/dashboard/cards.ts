import { h } from './dom';
import { domainName, formatFigure, formatPeriod, text, type Lang } from './format';
import { DOMAINS, type Figure, type LocalityFigures } from './model';

export function figuresOf(locality: LocalityFigures): Array<Figure & { domain: (typeof DOMAINS)[number] }> {
  return DOMAINS.flatMap((domain) => (locality[domain]?.observations ?? []).map((f) => ({ ...f, domain })));
}

function card(lang: Lang, figure: Figure): HTMLElement {
  const t = text(lang);
  const source = figure.source.url
    ? h('a', { href: figure.source.url, target: '_blank', rel: 'noopener noreferrer' }, figure.source.title)
    : h('span', {}, figure.source.title);
  return h(
    'li',
    { class: 'card', 'data-indicator': figure.indicator.code },
    h('h4', {}, figure.indicator.name),
    h('p', { class: 'value' }, formatFigure(lang, figure)),
    h(
      'dl',
      {},
      h('dt', {}, t.period),
      h('dd', { class: 'period' }, formatPeriod(lang, figure.period) || (lang === 'vi' ? 'nguồn không nêu' : 'not stated by the source')),
      h('dt', {}, t.source),
      h('dd', { class: 'source' }, source, figure.source.publisher ? ` · ${figure.source.publisher}` : ''),
    ),
  );
}

/** One section per locality: its figures as cards, grouped by domain. */
export function renderLocality(lang: Lang, locality: LocalityFigures, onRemove: () => void): HTMLElement {
  const t = text(lang);
  const headingId = `loc-${locality.code}`;
  const section = h(
    'section',
    { class: 'locality', 'aria-labelledby': headingId, 'data-code': locality.code },
    h(
      'header',
      {},
      h('h3', { id: headingId }, locality.name, h('span', { class: 'level' }, ` · ${t.levels[locality.level] ?? locality.level} · ${locality.code}`)),
    ),
  );
  const remove = h('button', { type: 'button', class: 'remove', 'aria-label': `${t.remove} ${locality.name}` }, t.remove);
  remove.addEventListener('click', onRemove);
  section.querySelector('header')?.append(remove);
  let any = false;
  for (const domain of DOMAINS) {
    const figures = locality[domain]?.observations ?? [];
    if (figures.length === 0) continue;
    any = true;
    section.append(
      h('h4', { class: 'domain' }, domainName(lang, domain)),
      h('ul', { class: 'cards', 'data-domain': domain }, ...figures.map((f) => card(lang, f))),
    );
  }
  if (!any) section.append(h('p', {}, t.noFigures));
  return section;
}
