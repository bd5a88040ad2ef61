import type { Domain, Figure, Qualifier } from './model';

export type Lang = 'vi' | 'en';
const LOCALES: Record<Lang, string> = { vi: 'vi-VN', en: 'en' };

const QUALIFIER_WORDS: Record<Lang, Record<Qualifier, string>> = {
  en: { EXACT: '', APPROXIMATE: 'about', AT_LEAST: 'more than', AT_MOST: 'nearly' },
  vi: { EXACT: '', APPROXIMATE: 'khoảng', AT_LEAST: 'hơn', AT_MOST: 'gần' },
};

const TEXT = {
  en: {
    title: 'Vietnam digital-society atlas',
    searchLabel: 'Find a province, district or commune',
    searchPlaceholder: 'e.g. son la',
    searchButton: 'Search',
    noMatch: 'No locality matches',
    add: 'Add',
    remove: 'Remove',
    figures: 'Figures',
    noFigures: 'The sources say nothing about this place yet.',
    period: 'Period',
    source: 'Source',
    chart: 'Compare',
    chartIndicator: 'Indicator to compare',
    headlines: 'Headline rates (%)',
    map: 'Map of provinces',
    mapIndicator: 'Colour provinces by',
    noData: 'no figure',
    vintage: 'Provinces',
    untilReform: 'until 30 June 2025',
    sinceReform: 'from 1 July 2025',
    vintageBefore: 'before 1 July 2025 (63)',
    vintageAfter: 'from 1 July 2025 (34)',
    mapCount: (n: number, total: number) => `${n} of ${total} provinces have a figure; grey: no figure.`,
    mapNone: (total: number) => `None of these ${total} provinces has a figure for this indicator yet: all grey.`,
    apiKey: 'API key',
    apiKeyUse: 'Use key',
    apiKeyClear: 'Forget key',
    apiKeyHint: 'Kept in this browser tab only and sent to this atlas alone.',
    apiKeySet: 'A key is set for this tab.',
    needKey: 'This atlas needs an API key: enter yours in the API key field.',
    badKey: 'The atlas does not know this API key: check it and enter it again.',
    download: 'Download CSV',
    explorer: 'GraphQL explorer',
    language: 'Language',
    empty: 'Search for a place to see its figures.',
    domains: { identity: 'Digital identity', finance: 'Digital finance', infrastructure: 'Digital infrastructure' },
    levels: { COUNTRY: 'country', PROVINCE: 'province', DISTRICT: 'district', COMMUNE: 'commune' } as Record<string, string>,
    error: 'The atlas could not answer',
  },
  vi: {
    title: 'Bản đồ xã hội số Việt Nam',
    searchLabel: 'Tìm tỉnh, huyện hoặc xã',
    searchPlaceholder: 'vd. sơn la',
    searchButton: 'Tìm',
    noMatch: 'Không tìm thấy địa phương',
    add: 'Thêm',
    remove: 'Bỏ',
    figures: 'Số liệu',
    noFigures: 'Chưa có nguồn nào nói về địa phương này.',
    period: 'Thời kỳ',
    source: 'Nguồn',
    chart: 'So sánh',
    chartIndicator: 'Chỉ tiêu so sánh',
    headlines: 'Các tỉ lệ chính (%)',
    map: 'Bản đồ các tỉnh',
    mapIndicator: 'Tô màu theo',
    noData: 'không có số liệu',
    vintage: 'Các tỉnh',
    untilReform: 'đến 30/6/2025',
    sinceReform: 'từ 1/7/2025',
    vintageBefore: 'trước 1/7/2025 (63)',
    vintageAfter: 'từ 1/7/2025 (34)',
    mapCount: (n: number, total: number) => `${n}/${total} tỉnh có số liệu; màu xám: không có số liệu.`,
    mapNone: (total: number) => `Chưa tỉnh nào trong ${total} tỉnh có số liệu cho chỉ tiêu này: toàn màu xám.`,
    apiKey: 'Khóa API',
    apiKeyUse: 'Dùng khóa',
    apiKeyClear: 'Xóa khóa',
    apiKeyHint: 'Chỉ lưu trong thẻ trình duyệt này và chỉ gửi tới trang này.',
    apiKeySet: 'Đã có khóa cho thẻ này.',
    needKey: 'Cần khóa API: nhập khóa của bạn vào ô Khóa API.',
    badKey: 'Không nhận ra khóa API này: kiểm tra và nhập lại.',
    download: 'Tải CSV',
    explorer: 'Trình khám phá GraphQL',
    language: 'Ngôn ngữ',
    empty: 'Tìm một địa phương để xem số liệu.',
    domains: { identity: 'Định danh số', finance: 'Tài chính số', infrastructure: 'Hạ tầng số' },
    levels: { COUNTRY: 'quốc gia', PROVINCE: 'tỉnh', DISTRICT: 'huyện', COMMUNE: 'xã' } as Record<string, string>,
    error: 'Không lấy được số liệu',
  },
} satisfies Record<Lang, unknown>;

export type Text = (typeof TEXT)['en'];
export const text = (lang: Lang): Text => TEXT[lang];
export const domainName = (lang: Lang, domain: Domain): string => TEXT[lang].domains[domain];

/** The number alone, in the reader's locale: 762000 → "762,000" (en) or "762.000" (vi); 83.36 % → "83.36%" / "83,36%". */
export function formatNumber(lang: Lang, value: number, unit: Figure['indicator']['unit']): string {
  const locale = LOCALES[lang];
  if (unit === 'PERCENT') return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(value / 100);
  if (unit === 'VND') return new Intl.NumberFormat(locale, { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }).format(value);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** The value as the source worded it: "more than 762,000", "nearly 97%". */
export function formatFigure(lang: Lang, figure: Pick<Figure, 'value' | 'qualifier' | 'indicator'>): string {
  const words = QUALIFIER_WORDS[lang][figure.qualifier];
  const number = formatNumber(lang, figure.value, figure.indicator.unit);
  return words ? `${words} ${number}` : number;
}

export function qualifierWords(lang: Lang, qualifier: Qualifier): string {
  return QUALIFIER_WORDS[lang][qualifier];
}

/** The period in words: its label, else "start – end", else the as-of date. */
export function formatPeriod(lang: Lang, period: Figure['period']): string {
  if (!period) return '';
  if (period.label) return period.label;
  const date = (iso: string) => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  if (period.start && period.end) return `${date(period.start)} – ${date(period.end)}`;
  return period.end ? date(period.end) : period.start ? date(period.start) : '';
}
