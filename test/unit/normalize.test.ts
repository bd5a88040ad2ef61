import { foldText } from '../../common/core/locality/normalize';

describe('foldText', () => {
  it.each([
    ['Thành phố Sơn La', 'thanh pho son la'],
    ['Xã Định Hưng', 'xa dinh hung'],
    ['ĐỊNH HƯNG', 'dinh hung'],
    ['  Bỉm   Sơn, Thanh Hóa ', 'bim son thanh hoa'],
    ['Ngô Quyền', 'ngo quyen'],
  ])('%s → %s', (input, folded) => {
    expect(foldText(input)).toBe(folded);
  });
});
