import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFiles } from '../../common/data/seed/seed';
import { csvText } from '../helpers/csv';
import { createTestDatabase } from '../helpers/database';
import { graphql, startStack, type Stack } from '../helpers/stack';

/** Derived metrics through the gateway: @requires brings identity's figure to finance and infrastructure, batched, never an error. */
describe('derived metrics (@requires) through the gateway', () => {
  let stack: Stack;
  let tmp: string;
  beforeAll(async () => {
    const url = await createTestDatabase('metrics');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-metrics-'));
    // Thanh Hóa (38) has activated eID accounts as of 2025-03-31; a smartphone figure dated 2024-12-31 makes the periods differ.
    const file = path.join(tmp, 'smartphones.csv');
    fs.writeFileSync(
      file,
      csvText([
        {
          locality_code: '38',
          indicator_code: 'infrastructure.smartphone.users',
          value: '2500000',
          qualifier: 'APPROXIMATE',
          period_end: '2024-12-31',
          period_label: 'end of 2024',
          source_title: 'Atlas metrics test',
          source_url: 'https://example.vn/metrics-test',
        },
      ]),
    );
    await importFiles(url, [file]);
    stack = await startStack(url);
  });
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('divides inputs of different dates, and says that their periods differ', async () => {
    const body = await graphql(
      stack.gatewayUrl,
      `
        {
          locality(code: "38") {
            smartphoneUsersPerActivatedEid {
              value
              qualifier
              period {
                end
              }
              periodsDiffer
              inputs {
                role
                value
                period {
                  end
                }
              }
              reason
            }
          }
        }
      `,
    );
    expect(body).toEqual({
      data: {
        locality: {
          smartphoneUsersPerActivatedEid: {
            value: 1.1364, // 2,500,000 / 2,200,000
            qualifier: 'APPROXIMATE',
            period: null,
            periodsDiffer: true,
            inputs: [
              { role: 'NUMERATOR', value: 2500000, period: { end: '2024-12-31' } },
              { role: 'DENOMINATOR', value: 2200000, period: { end: '2025-03-31' } },
            ],
            reason: null,
          },
        },
      },
    });
  });

  type Metric = { value: number | null; missing: string[] };
  type MetricNode = { code: string; transactionAccountHoldersPerActivatedEid: Metric; smartphoneUsersPerActivatedEid: Metric };
  const page = (first: number) => `{ localities(level: DISTRICT, parentCode: "14", first: ${first}) { nodes { code
    transactionAccountHoldersPerActivatedEid { value missing } smartphoneUsersPerActivatedEid { value missing } } } }`;

  it('a page of localities with both metrics costs the same SQL statements as one locality (batched, no N+1)', async () => {
    await graphql(stack.gatewayUrl, page(1)); // warm the catalogue caches
    const counts: Array<Record<string, number>> = [];
    for (const first of [1, 12]) {
      stack.resetSqlCount();
      const body = await graphql<{ localities: { nodes: MetricNode[] } }>(stack.gatewayUrl, page(first));
      expect(body.errors).toBeUndefined();
      const nodes = body.data!.localities.nodes;
      expect(nodes).toHaveLength(first);
      // Sơn La's 12 districts, the city (116) among them: the only one with both inputs of both metrics.
      if (first === 12) expect(nodes.filter((n) => n.transactionAccountHoldersPerActivatedEid.value !== null).map((n) => n.code)).toEqual(['116']);
      const city = nodes.find((n) => n.code === '116')!;
      if (first === 12)
        expect([city.transactionAccountHoldersPerActivatedEid.value, city.smartphoneUsersPerActivatedEid.value]).toEqual([1.0338, 0.9735]);
      counts.push({ ...stack.sqlCount });
    }
    expect(counts[1]).toEqual(counts[0]);
    for (const n of Object.values(counts[1])) expect(n).toBeGreaterThanOrEqual(1);
  });

  it('with identity down, the metric is null beside the outage error: never a ratio claiming the eID count is missing', async () => {
    await stack.stopSubgraph('identity');
    const body = await graphql(
      stack.gatewayUrl,
      `
        {
          locality(code: "116") {
            name
            transactionAccountHoldersPerActivatedEid {
              value
              missing
            }
          }
        }
      `,
    );
    expect(body.data).toEqual({ locality: { name: 'Thành phố Sơn La', transactionAccountHoldersPerActivatedEid: null } });
    expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toEqual([['SUBGRAPH_UNAVAILABLE', 'identity']]);
  });
});
