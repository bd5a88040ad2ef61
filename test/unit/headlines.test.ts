import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { DOMAINS } from '../../common/core/domain';
import { readCatalogue } from '../../common/data/seed/catalogue';
import { SUBGRAPHS } from '../../subgraphs';

/** Each subgraph's typed headline table against the catalogue it is served from. */
describe('headline tables', () => {
  const { indicators } = readCatalogue();
  const byCode = new Map(indicators.map((i) => [i.code, i]));

  it.each(DOMAINS)('%s: every headline names one existing indicator of its own domain', (domain) => {
    const headlines = Object.entries(SUBGRAPHS[domain].profile.headlines);
    expect(headlines.length).toBeGreaterThan(0);
    for (const [field, headline] of headlines) {
      expect({ field, domain: byCode.get(headline.indicator)?.domain }).toEqual({ field, domain });
    }
  });

  it.each(DOMAINS)("%s: the catalogue's headline column says exactly what the table says", (domain) => {
    const fromTable = Object.entries(SUBGRAPHS[domain].profile.headlines)
      .map(([field, h]) => `${h.indicator} → ${field}`)
      .sort();
    const fromCatalogue = indicators
      .filter((i) => i.domain === domain && i.headline)
      .map((i) => `${i.code} → ${i.headline}`)
      .sort();
    expect(fromCatalogue).toEqual(fromTable);
  });

  it('rejects a catalogue row filed under another domain, naming the file and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-'));
    const file = path.join(dir, 'identity.indicators.csv');
    fs.writeFileSync(file, 'code,domain,name,unit,denominator,description,headline\nfinance.account.x,finance,X,COUNT,,,\n');
    expect(() => readCatalogue([file])).toThrow(/identity\.indicators\.csv:2: a finance indicator belongs in finance\.indicators\.csv/);
    fs.rmSync(dir, { recursive: true });
  });
});
