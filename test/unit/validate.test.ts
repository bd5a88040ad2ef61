import { expect } from '@jest/globals'; // its asymmetric matchers are typed; @types/jest's return `any`
import { checkHeader, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, validateRow } from '../../common/data/import/validate';
import { Qualifier } from '../../common/core/observation/observation.record';
import { LINE, ref, validate } from './validate.fixtures';

describe('checkHeader', () => {
  const full = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

  it('accepts every required and optional column, in any order', () => {
    expect(checkHeader(full)).toEqual([]);
    expect(checkHeader([...full].reverse())).toEqual([]);
  });

  it('accepts the required columns alone', () => {
    expect(checkHeader([...REQUIRED_COLUMNS])).toEqual([]);
  });

  it('rejects an unknown (misspelt) column on line 1, naming it', () => {
    const errors = checkHeader([...REQUIRED_COLUMNS, 'sorce_publisher']);
    expect(errors).toEqual([{ line: 1, column: 'sorce_publisher', message: expect.stringMatching(/unknown column "sorce_publisher"/) }]);
  });

  it.each(REQUIRED_COLUMNS.map((c) => [c]))('rejects a header without the required column %s', (missing) => {
    const errors = checkHeader(REQUIRED_COLUMNS.filter((c) => c !== missing));
    expect(errors).toEqual([{ line: 1, column: missing, message: expect.stringMatching(new RegExp(`missing required column "${missing}"`)) }]);
  });

  it('rejects a duplicated column', () => {
    const errors = checkHeader([...REQUIRED_COLUMNS, 'notes', 'notes']);
    expect(errors).toEqual([{ line: 1, column: 'notes', message: expect.stringMatching(/"notes" appears twice/) }]);
  });

  it('reports every header problem at once', () => {
    const header = [...REQUIRED_COLUMNS.filter((c) => c !== 'value' && c !== 'source_url'), 'valeur', 'qualifier'];
    const errors = checkHeader(header);
    expect(errors).toHaveLength(4);
    for (const e of errors) expect(e.line).toBe(1);
    expect(errors.map((e) => e.column).sort()).toEqual(['qualifier', 'source_url', 'valeur', 'value']);
  });
});

describe('validateRow', () => {
  describe('valid rows', () => {
    it('returns the clean row with the domain of its indicator', () => {
      const { row, errors } = validate({});
      expect(errors).toEqual([]);
      expect(row).toEqual({
        line: LINE,
        domain: 'identity',
        localityCode: '14',
        indicatorCode: 'identity.eid.activation_rate',
        value: '84.3',
        numerator: '45158',
        denominator: '53571',
        qualifier: Qualifier.EXACT,
        periodStart: '2025-01-01',
        periodEnd: '2025-03-31',
        periodLabel: 'Q1 2025',
        sourceTitle: 'Báo Sơn La',
        sourceUrl: 'https://baosonla.vn/some-article',
        sourcePublisher: 'Báo Sơn La',
        sourcePublishedAt: '2025-04-02',
        sourceDocument: 'doc.txt',
        notes: 'a note',
        quote: 'đạt 84,3%',
        numeratorQualifier: null,
        denominatorQualifier: null,
        partOfUnit: null,
        sourceTitleSupplied: null,
      });
    });

    it('keeps the wording of each ratio part, the part of the unit and whether the title is ours', () => {
      const { row, errors } = validate({
        numerator_qualifier: 'at_least',
        denominator_qualifier: 'EXACT',
        part_of_unit: ' khu phố 4 ',
        source_title_supplied: 'yes',
      });
      expect(errors).toEqual([]);
      expect(row).toMatchObject({
        numeratorQualifier: 'AT_LEAST',
        denominatorQualifier: 'EXACT',
        partOfUnit: 'khu phố 4',
        sourceTitleSupplied: true,
      });
      expect(validate({ source_title_supplied: 'false' }).row?.sourceTitleSupplied).toBe(false);
    });

    it('accepts a minimal row (optional fields empty or absent) and turns empty strings into null', () => {
      const { row, errors } = validateRow(
        {
          locality_code: 'VN',
          indicator_code: 'infrastructure.stations.base_stations',
          value: '225',
          numerator: '',
          denominator: '',
          qualifier: '',
          period_start: '',
          period_end: '',
          source_title: 'Son La city builds a digital society',
          source_url: '',
        },
        LINE,
        ref,
      );
      expect(errors).toEqual([]);
      expect(row).toMatchObject({
        domain: 'infrastructure',
        localityCode: 'VN',
        numerator: null,
        denominator: null,
        qualifier: Qualifier.EXACT,
        periodStart: null,
        periodEnd: null,
        periodLabel: null,
        sourceUrl: null,
        sourcePublisher: null,
        sourcePublishedAt: null,
        notes: null,
        quote: null,
      });
    });

    it('trims whitespace around fields', () => {
      const { row, errors } = validate({ locality_code: ' 116 ', value: ' 84.3 ', qualifier: ' exact ' });
      expect(errors).toEqual([]);
      expect(row).toMatchObject({ localityCode: '116', value: '84.3', qualifier: Qualifier.EXACT });
    });

    it('maps an empty qualifier to EXACT', () => {
      expect(validate({ qualifier: '' }).row?.qualifier).toBe(Qualifier.EXACT);
      expect(validate({ qualifier: '   ' }).row?.qualifier).toBe(Qualifier.EXACT);
      expect(validate({ qualifier: undefined }).row?.qualifier).toBe(Qualifier.EXACT);
    });

    it.each([
      ['EXACT', Qualifier.EXACT],
      ['APPROXIMATE', Qualifier.APPROXIMATE],
      ['AT_LEAST', Qualifier.AT_LEAST],
      ['AT_MOST', Qualifier.AT_MOST],
      ['at_least', Qualifier.AT_LEAST],
      ['Approximate', Qualifier.APPROXIMATE],
    ])('accepts qualifier %s', (text, qualifier) => {
      const { row, errors } = validate({ qualifier: text });
      expect(errors).toEqual([]);
      expect(row?.qualifier).toBe(qualifier);
    });

    it.each([
      ['45158', '53571', '84.3'], // 84.2956… rounds to 84.3
      ['45158', '53571', '84.30'], // 84.30 ± 0.005: 84.2956 is within
      ['45158', '53571', '84'], // 84 ± 0.5
      ['265588', '450684', '58.93'], // 58.9305…
      ['1', '3', '33.33'],
      ['2', '3', '66.67'],
      ['53571', '53571', '100'],
      ['0', '53571', '0'],
    ])('accepts value consistent with %s/%s within its rounding (%s)', (numerator, denominator, value) => {
      const { row, errors } = validate({ numerator, denominator, value });
      expect(errors).toEqual([]);
      expect(row).toMatchObject({ numerator, denominator, value });
    });

    it('accepts a percent of exactly 0 and exactly 100', () => {
      expect(validate({ value: '0', numerator: '', denominator: '' }).errors).toEqual([]);
      expect(validate({ value: '100', numerator: '', denominator: '' }).errors).toEqual([]);
      expect(validate({ value: '100.00', numerator: '', denominator: '' }).errors).toEqual([]);
    });

    it('accepts counts and VND amounts above 100, and a count whose numerator equals its value', () => {
      expect(validate({ indicator_code: 'infrastructure.stations.base_stations', value: '1240', numerator: '', denominator: '' }).errors).toEqual([]);
      expect(
        validate({ indicator_code: 'finance.social_benefit.amount_paid_through_accounts', value: '8500000000', numerator: '', denominator: '' })
          .errors,
      ).toEqual([]);
      const { row, errors } = validate({
        indicator_code: 'identity.eid.activated_accounts',
        value: '265588',
        numerator: '265588',
        denominator: '450684',
      });
      expect(errors).toEqual([]);
      expect(row?.domain).toBe('identity');
    });

    it('accepts a period with only an end (as-of date) or start = end', () => {
      expect(validate({ period_start: '', period_end: '2025-03-31' }).errors).toEqual([]);
      expect(validate({ period_start: '2025-03-31', period_end: '2025-03-31' }).errors).toEqual([]);
      expect(validate({ period_start: '2024-02-29', period_end: '2024-12-31' }).errors).toEqual([]); // leap day
    });

    it('accepts http and https source URLs', () => {
      expect(validate({ source_url: 'http://example.vn/a?b=c' }).errors).toEqual([]);
      expect(validate({ source_url: 'https://baothanhhoa.vn/mo-hinh-moi-cong-dan-mot-danh-tinh-so-245467.htm' }).errors).toEqual([]);
    });
  });
});
