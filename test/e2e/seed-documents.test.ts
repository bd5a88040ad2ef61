import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@jest/globals'; // its asymmetric matchers are typed; @types/jest's return `any`
import { parse } from 'csv-parse/sync';
import { readCatalogue } from '../../common/data/seed/catalogue';
import { fromRoot } from '../../common/platform/paths';
import { createTestDatabase } from '../helpers/database';
import { sharedData } from '../fixtures/shared-data';
import { graphql, startStack, type Stack } from '../helpers/stack';

/**
 * The acceptance data: every figure of the seed articles, served through the gateway with its
 * qualifier, ratio parts, period and source. 000 is the English translation of 001: one article,
 * one seed file, so both documents yield the same figures.
 */
const FIGURES_PER_DOCUMENT: Record<string, number> = {
  '000_7a94b467f089a3b9.txt': 19,
  '001_a15a1fd4a69df64e.txt': 19,
  '002_117108e238384660.txt': 27,
  '003_d5f6a04be0008b49.txt': 15,
  '004_41c2bf83ab8f0df7.txt': 19,
};
const TRANSLATIONS: Record<string, string> = { '000_7a94b467f089a3b9.txt': '001_a15a1fd4a69df64e.txt' };

type SeedRow = Record<string, string>;
/** An observation as FIELDS below asks for it. */
interface ServedObservation {
  indicator: { code: string; unit: string; domain: string | null };
  value: number;
  numerator: number | null;
  denominator: number | null;
  qualifier: string;
  period: { start: string | null; end: string | null; label: string | null } | null;
  source: { title: string; publisher: string | null; url: string | null; publishedAt: string | null; document: string | null };
  notes: string | null;
  quote: string | null;
}
const PROFILES = ['identity', 'finance', 'infrastructure'] as const;
type ServedLocality = { code: string } & Record<(typeof PROFILES)[number], { observations: ServedObservation[] }>;
const files = fs.readdirSync(fromRoot('seeds/observations')).filter((f) => f.endsWith('.csv'));
const rows: SeedRow[] = files.flatMap((f) => parse<SeedRow>(fs.readFileSync(fromRoot('seeds/observations', f), 'utf8'), { columns: true }));
const domainOf = new Map(readCatalogue().indicators.map((i) => [i.code, i.domain]));

describe('seed documents', () => {
  it('yield the expected number of figures per document', () => {
    const perDocument: Record<string, number> = {};
    for (const row of rows) perDocument[row.source_document] = (perDocument[row.source_document] ?? 0) + 1;
    for (const [document, expected] of Object.entries(FIGURES_PER_DOCUMENT)) {
      expect([document, perDocument[TRANSLATIONS[document] ?? document]]).toEqual([document, expected]);
    }
    expect(rows).toHaveLength(Object.values(FIGURES_PER_DOCUMENT).reduce((a, b) => a + b, 0) - FIGURES_PER_DOCUMENT['000_7a94b467f089a3b9.txt']);
  });

  const documents = sharedData('seed-documents');
  documents.describe('against the articles in ../shared/seed-documents', () => {
    it('cover every seed document in the shared folder', () => {
      expect(
        fs
          .readdirSync(documents.path)
          .filter((f) => f.endsWith('.txt'))
          .sort(),
      ).toEqual(Object.keys(FIGURES_PER_DOCUMENT).sort());
    });

    it('quote their article verbatim', () => {
      for (const row of rows) {
        const article = fs.readFileSync(path.join(documents.path, row.source_document), 'utf8');
        expect([row.quote, article.includes(row.quote)]).toEqual([row.quote, true]);
      }
    });
  });

  describe('through the gateway', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(await createTestDatabase('seed_docs'));
    });
    afterAll(async () => {
      await stack?.stop();
    });

    const FIELDS = `observations { indicator { code unit domain } value numerator denominator qualifier
      period { start end label } source { title publisher url publishedAt document } notes quote }`;

    it('serve every figure on its locality, with wording, parts, period and source', async () => {
      const codes = [...new Set(rows.map((r) => r.locality_code))];
      const query = `{ ${codes.map((c, i) => `l${i}: locality(code: "${c}") { code identity { ${FIELDS} } finance { ${FIELDS} } infrastructure { ${FIELDS} } }`).join('\n')} }`;
      const body = await graphql<Record<string, ServedLocality>>(stack.gatewayUrl, query);
      expect(body.errors).toBeUndefined();
      const served = codes.flatMap((_, i) => {
        const l = body.data![`l${i}`];
        return PROFILES.flatMap((d) => l[d].observations.map((o) => ({ ...o, domain: d, locality: l.code })));
      });
      expect(served).toHaveLength(rows.length);
      const num = (v: string) => (v === '' ? null : Number(v));
      const str = (v: string) => (v === '' ? null : v);
      for (const row of rows) {
        const match = served.filter(
          (o) =>
            o.locality === row.locality_code &&
            o.indicator.code === row.indicator_code &&
            o.quote === row.quote &&
            o.source.document === row.source_document,
        );
        expect(match).toHaveLength(1);
        const [o] = match;
        expect(o.domain).toBe(domainOf.get(row.indicator_code));
        expect(o).toMatchObject({
          value: Number(row.value),
          numerator: num(row.numerator),
          denominator: num(row.denominator),
          qualifier: row.qualifier,
          period:
            row.period_start || row.period_end || row.period_label
              ? { start: str(row.period_start), end: str(row.period_end), label: str(row.period_label) }
              : null,
          source: { title: row.source_title, url: str(row.source_url), publisher: str(row.source_publisher), document: row.source_document },
          notes: str(row.notes),
        });
      }
    });

    it('answer analysts’ samples from each article', async () => {
      const body = await graphql(
        stack.gatewayUrl,
        `
          {
            vinhPhuc: locality(code: "26") {
              identity {
                activatedEidAccounts {
                  value
                  qualifier
                }
                eidActivationRate {
                  value
                  numerator
                }
              }
            }
            sonLaCity: locality(code: "116") {
              infrastructure {
                baseStations {
                  value
                  qualifier
                }
              }
            }
            sonLa: locality(code: "14") {
              infrastructure {
                coverage4g {
                  value
                  qualifier
                  indicator {
                    code
                  }
                }
              }
            }
            thanhHoa: locality(code: "38") {
              identity {
                activatedEidAccounts {
                  value
                  qualifier
                  period {
                    end
                  }
                }
              }
            }
            dinhHung: locality(code: "15472") {
              finance {
                transactionAccountRate {
                  value
                }
                observations(indicators: ["finance.account.transaction_account_rate_working_age"]) {
                  value
                  indicator {
                    denominator
                  }
                }
              }
            }
          }
        `,
      );
      expect(body).toEqual({
        data: {
          vinhPhuc: {
            identity: { activatedEidAccounts: { value: 762000, qualifier: 'AT_LEAST' }, eidActivationRate: { value: 77, numerator: 762000 } },
          },
          sonLaCity: { infrastructure: { baseStations: { value: 225, qualifier: 'EXACT' } } },
          sonLa: {
            infrastructure: { coverage4g: { value: 94.8, qualifier: 'EXACT', indicator: { code: 'infrastructure.coverage.4g_population' } } },
          },
          thanhHoa: { identity: { activatedEidAccounts: { value: 2200000, qualifier: 'AT_LEAST', period: { end: '2025-03-31' } } } },
          // The working-age rate is not the headline's basis (people aged 15+): read through observations (issue 9).
          dinhHung: {
            finance: {
              transactionAccountRate: null,
              observations: [{ value: 83, indicator: { denominator: expect.stringMatching(/working age/i) } }],
            },
          },
        },
      });
    });
  });
});
