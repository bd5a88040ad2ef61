import { validateRow } from '../../common/data/import/validate';
import { expectError, LINE, ref, validate } from './validate.fixtures';

describe('validateRow', () => {
  describe('rejections name the line and the column', () => {
    it('unknown locality', () => {
      expectError({ locality_code: '99999' }, 'locality_code', /unknown locality "99999"/);
      expectError({ locality_code: 'Sơn La' }, 'locality_code', /unknown locality/);
    });

    it('ratio-part wording: a known qualifier, and only for a part that is there', () => {
      expectError({ numerator_qualifier: 'ROUGHLY' }, 'numerator_qualifier', /numerator_qualifier "ROUGHLY" is not one of EXACT/);
      expectError({ numerator: '', numerator_qualifier: 'AT_LEAST' }, 'numerator_qualifier', /numerator_qualifier is set but there is no numerator/);
      expectError({ denominator: '', denominator_qualifier: 'AT_MOST' }, 'denominator_qualifier', /there is no denominator/);
    });

    it('source_title_supplied must be true or false', () => {
      expectError({ source_title_supplied: 'maybe' }, 'source_title_supplied', /source_title_supplied "maybe" is not true or false/);
    });

    it('unknown indicator', () => {
      expectError({ indicator_code: 'identity.eid.nonexistent' }, 'indicator_code', /unknown indicator "identity.eid.nonexistent"/);
    });

    it.each([
      ['locality_code', /locality_code is required/],
      ['indicator_code', /indicator_code is required/],
      ['value', /value is required/],
      ['source_title', /source_title is required/],
    ])('missing required field %s (empty or blank)', (column, message) => {
      expectError({ [column]: '' }, column, message);
      expectError({ [column]: '   ' }, column, message);
      expectError({ [column]: undefined }, column, message);
    });

    it.each([
      ['value', '1,240'],
      ['value', 'abc'],
      ['value', '1.2.3'],
      ['value', '1 240'],
      ['value', '84.3%'],
      ['value', '1e3'],
      ['value', '.5'],
      ['numerator', '45,158'],
      ['numerator', 'abc'],
      ['denominator', '53.571.000'],
      ['denominator', 'n/a'],
    ])('number syntax: %s "%s"', (column, text) => {
      const values: Record<string, string> = { value: '84.3', numerator: '45158', denominator: '53571', [column]: text };
      expectError(values, column, /is not a number/);
    });

    it.each([
      ['value', '-5'],
      ['numerator', '-1'],
      ['denominator', '-53571'],
    ])('negative %s', (column, text) => {
      expectError({ [column]: text }, column, /is negative/);
    });

    it('percent above 100', () => {
      expectError(
        { value: '100.1', numerator: '', denominator: '' },
        'value',
        /outside 0–100 for the PERCENT indicator identity.eid.activation_rate/,
      );
      expectError(
        { indicator_code: 'finance.account.transaction_account_rate_15plus', value: '120', numerator: '', denominator: '' },
        'value',
        /outside 0–100/,
      );
    });

    it('numerator greater than denominator', () => {
      expectError({ numerator: '60000', denominator: '53571', value: '100' }, 'numerator', /numerator 60000 is greater than denominator 53571/);
    });

    it('denominator 0', () => {
      expectError({ numerator: '0', denominator: '0', value: '0' }, 'denominator', /denominator is 0/);
      expectError({ numerator: '', denominator: '0.0', value: '0' }, 'denominator', /denominator is 0/);
    });

    it.each([
      ['45158', '53571', '84.4'], // 84.2956 is not 84.4 ± 0.05
      ['45158', '53571', '84.35'], // nor 84.35 ± 0.005
      ['45158', '53571', '85'], // nor 85 ± 0.5
      ['1', '3', '33.4'],
      ['45158', '53571', '45158'], // the count put in the value column of a rate
    ])('value inconsistent with numerator/denominator (%s/%s vs %s)', (numerator, denominator, value) => {
      expectError({ numerator, denominator, value }, 'value', /does not match numerator\/denominator/);
    });

    it('count whose numerator differs from its value', () => {
      expectError(
        { indicator_code: 'infrastructure.stations.base_stations', value: '225', numerator: '226', denominator: '' },
        'numerator',
        /numerator 226 differs from value 225 of the COUNT indicator/,
      );
    });

    it.each([
      ['period_start', '2025-02-30'], // impossible day
      ['period_end', '2025-02-29'], // not a leap year
      ['period_end', '2025-13-01'], // impossible month
      ['period_end', '2025-04-31'],
      ['period_end', '31/03/2025'], // day-first
      ['period_start', '2025-3-1'], // unpadded
      ['period_start', '2025'],
      ['period_end', '2025-03-31T00:00:00Z'],
      ['source_published_at', '2025-02-30'],
      ['source_published_at', '02/04/2025'],
    ])('bad or impossible date: %s "%s"', (column, text) => {
      expectError({ [column]: text }, column, /is not a date \(YYYY-MM-DD\)/);
    });

    it('period start after end', () => {
      expectError({ period_start: '2025-04-01', period_end: '2025-03-31' }, 'period_start', /period_start 2025-04-01 is after period_end 2025-03-31/);
    });

    it.each(['about', 'more than', 'EXACTLY', 'AT LEAST', '~'])('invalid qualifier "%s"', (text) => {
      expectError({ qualifier: text }, 'qualifier', /is not one of EXACT, APPROXIMATE, AT_LEAST, AT_MOST/);
    });

    it.each(['not a url', 'ftp://example.vn/file.pdf', 'baosonla.vn/article', 'javascript:alert(1)', 'mailto:toasoan@baosonla.vn'])(
      'bad source_url "%s"',
      (text) => {
        expectError({ source_url: text }, 'source_url', /is not an http\(s\) URL/);
      },
    );
  });

  describe('whole numbers: COUNT and VND values, numerators and denominators', () => {
    const COUNT = 'infrastructure.stations.base_stations';
    const VND = 'finance.social_benefit.amount_paid_through_accounts';

    it('rejects a Vietnamese thousands dot in a COUNT value, with a hint', () => {
      const errors = expectError({ indicator_code: COUNT, value: '1.240', numerator: '', denominator: '' }, 'value', /./);
      expect(errors).toEqual([
        {
          line: LINE,
          column: 'value',
          message: 'value 1.240 is not a whole number, as a COUNT value must be (no thousands separators: write 1240?)',
        },
      ]);
      expectError(
        { indicator_code: 'identity.eid.activated_accounts', value: '290.000', numerator: '', denominator: '' },
        'value',
        /^value 290\.000 is not a whole number, as a COUNT value must be \(no thousands separators: write 290000\?\)$/,
      );
    });

    it('rejects a VND value with decimals', () => {
      expectError(
        { indicator_code: VND, value: '8500000000.5', numerator: '', denominator: '' },
        'value',
        /^value 8500000000\.5 is not a whole number, as a VND value must be /,
      );
    });

    it('accepts whole COUNT and VND values', () => {
      expect(validate({ indicator_code: COUNT, value: '1240', numerator: '', denominator: '' }).errors).toEqual([]);
      expect(validate({ indicator_code: COUNT, value: '0', numerator: '', denominator: '' }).errors).toEqual([]);
      expect(validate({ indicator_code: VND, value: '8500000000', numerator: '', denominator: '' }).errors).toEqual([]);
    });

    it('accepts decimals in a PERCENT value', () => {
      const { row, errors } = validate({ value: '84.3', numerator: '', denominator: '' });
      expect(errors).toEqual([]);
      expect(row?.value).toBe('84.3');
      expect(validate({ value: '84.30' }).errors).toEqual([]);
    });

    it('rejects a numerator or denominator with a dot, also for a PERCENT indicator', () => {
      const errors = expectError({ numerator: '45.158', denominator: '53571', value: '84.3' }, 'numerator', /./);
      expect(errors).toContainEqual({
        line: LINE,
        column: 'numerator',
        message: 'numerator 45.158 is not a whole number, as a count must be (no thousands separators: write 45158?)',
      });
      expectError(
        { numerator: '45158', denominator: '53.571', value: '84.3' },
        'denominator',
        /^denominator 53\.571 is not a whole number, as a count must be \(no thousands separators: write 53571\?\)$/,
      );
      expectError({ indicator_code: COUNT, value: '225', numerator: '225.0', denominator: '' }, 'numerator', /not a whole number/);
    });
  });

  describe('text that is not UTF-8', () => {
    // Node decodes bytes that are not UTF-8 (a file saved as Windows-1258, TCVN3 or Latin-1) as U+FFFD.
    it.each(['notes', 'quote', 'source_title', 'source_publisher', 'period_label'])('rejects U+FFFD in %s, naming the column', (column) => {
      const { row, errors } = validate({ [column]: 'Thanh H\uFFFDa' });
      expect(row).toBeUndefined();
      expect(errors).toEqual([{ line: LINE, column, message: `${column} has bytes that are not UTF-8 text: save the file as UTF-8` }]);
    });

    it('reports every column that has such bytes', () => {
      const { errors } = validate({ notes: '\uFFFD', quote: 'l\uFFFD' });
      expect(errors.map((e) => e.column)).toEqual(['notes', 'quote']);
    });

    it('accepts Vietnamese letters in UTF-8', () => {
      expect(validate({ notes: 'Thanh Hóa, Bỉm Sơn, Định Hưng', quote: 'hơn 762.000 tài khoản' }).errors).toEqual([]);
    });
  });

  it('reports every error on one line, not just the first', () => {
    const { row, errors } = validateRow(
      {
        locality_code: '99999',
        indicator_code: 'identity.eid.activation_rate',
        value: '1,240',
        numerator: '-3',
        denominator: '0',
        qualifier: 'about',
        period_start: '2025-02-30',
        period_end: '31/03/2025',
        source_title: '',
        source_url: 'ftp://x',
        source_published_at: 'yesterday',
      },
      42,
      ref,
    );
    expect(row).toBeUndefined();
    for (const e of errors) expect(e.line).toBe(42);
    expect(errors.map((e) => e.column).sort()).toEqual(
      [
        'locality_code',
        'value',
        'numerator',
        'denominator',
        'qualifier',
        'period_start',
        'period_end',
        'source_published_at',
        'source_title',
        'source_url',
      ].sort(),
    );
  });

  it('reports both the unknown indicator and the other problems of the row', () => {
    const { errors } = validate({ indicator_code: 'nope', period_start: '2025-04-01', period_end: '2025-03-31', value: 'abc' });
    expect(errors.map((e) => e.column).sort()).toEqual(['indicator_code', 'period_start', 'value']);
  });
});

describe('validateRow: values the graph could not serve', () => {
  it('rejects numbers beyond 1e15 (they would not survive as a GraphQL Float)', () => {
    expectError(
      { indicator_code: 'identity.eid.activated_accounts', value: `1${'0'.repeat(400)}`, numerator: '', denominator: '' },
      'value',
      /is too large \(at most 1e\+15\)/,
    );
    expectError({ denominator: '10000000000000000' }, 'denominator', /too large/);
    expect(
      validate({ indicator_code: 'finance.social_benefit.amount_paid_through_accounts', value: '1000000000000000', numerator: '', denominator: '' })
        .row,
    ).toBeDefined();
  });

  it('rejects a NUL character, naming its column', () => {
    expectError({ notes: 'a\u0000b' }, 'notes', /NUL character/);
  });

  it('accepts dates in years before 100 (and still rejects impossible ones)', () => {
    expect(validate({ period_start: '0001-01-01' }).row?.periodStart).toBe('0001-01-01');
    expectError({ period_start: '0001-02-30' }, 'period_start', /not a date/);
  });
});
