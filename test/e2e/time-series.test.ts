import { importFiles } from '../../common/data/seed/seed';
import { csvText } from '../helpers/csv';
import { createTestDatabase } from '../helpers/database';
import { graphql, startStack, type Stack } from '../helpers/stack';
import { tempFiles } from '../integration/import.fixtures';

/**
 * History and comparability through the gateway: a series of one indicator over four periods (plus an undated
 * figure and one for part of the unit), read newest first, oldest first, between two dates, latest only, and
 * as the typed headline field.
 */
describe('time series and comparable figures', () => {
  const files = tempFiles();
  let stack: Stack;
  const source = { source_title: 'Atlas time-series test', source_url: 'https://example.vn/series' };
  const series = (value: string, start: string, end: string) => ({
    locality_code: '14',
    indicator_code: 'identity.eid.activation_rate',
    value,
    period_start: start,
    period_end: end,
    ...source,
  });

  beforeAll(async () => {
    const url = await createTestDatabase('series');
    const file = files.write(
      'series.csv',
      csvText([
        series('40', '2023-01-01', '2023-12-31'),
        series('55.5', '2024-01-01', '2024-06-30'),
        series('61', '2024-07-01', '2024-12-31'),
        series('70', '', '2025-03-31'),
        { ...series('90', '', '2025-06-30'), part_of_unit: 'one ward only' },
        { ...series('10', '', ''), source_title: 'Atlas time-series test, undated' },
      ]),
    );
    await importFiles(url, [file]);
    stack = await startStack(url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const history = async (args: string) => {
    const body = await graphql<{ locality: { identity: { observations: Array<{ value: number; period: { date: string | null } | null }> } } }>(
      stack.gatewayUrl,
      `{ locality(code: "14") { identity { observations(indicators: ["identity.eid.activation_rate"]${args}) { value period { date } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    return body.data!.locality.identity.observations.map((o) => [o.value, o.period?.date ?? null]);
  };

  it('lists the history newest first by default and oldest first on request, undated last either way', async () => {
    const newest = [
      [90, '2025-06-30'],
      [70, '2025-03-31'],
      [61, '2024-12-31'],
      [55.5, '2024-06-30'],
      [40, '2023-12-31'],
      [10, null],
    ];
    expect(await history('')).toEqual(newest);
    expect(await history(', order: OLDEST_FIRST')).toEqual([...newest.slice(0, 5)].reverse().concat([[10, null]]));
  });

  it('keeps the figures whose period reaches into [from, to]; undated ones are left out', async () => {
    expect(await history(', from: "2024-03-01", to: "2024-09-30", order: OLDEST_FIRST')).toEqual([
      [55.5, '2024-06-30'],
      [61, '2024-12-31'],
    ]);
    expect(await history(', from: "2025-01-01"')).toEqual([
      [90, '2025-06-30'],
      [70, '2025-03-31'],
    ]);
  });

  it('latest keeps one figure for the unit and one for each part; the headline is the latest whole-unit figure', async () => {
    expect(await history(', latest: true')).toEqual([
      [90, '2025-06-30'],
      [70, '2025-03-31'],
    ]);
    const body = await graphql<{ locality: { identity: { eidActivationRate: { value: number; partOfUnit: string | null } } } }>(
      stack.gatewayUrl,
      '{ locality(code: "14") { identity { eidActivationRate { value partOfUnit } } } }',
    );
    expect(body.data!.locality.identity.eidActivationRate).toEqual({ value: 70, partOfUnit: null });
  });

  it("refuses a date that is not an ISO date with the Date scalar's message and no internal URL", async () => {
    const body = await graphql(stack.gatewayUrl, '{ locality(code: "14") { identity { observations(from: "March 2025") { value } } } }');
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(body.errors?.[0].message).toMatch(/Date cannot represent an invalid date-string March 2025/);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|http:/);
  });
});
