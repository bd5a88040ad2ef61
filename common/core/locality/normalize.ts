/**
 * Folds Vietnamese text to lower-case ASCII words for accent- and case-insensitive search:
 * "Thành phố Sơn La" → "thanh pho son la", "Định Hưng" → "dinh hung".
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
