import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../common/platform/paths';

export const HEADER = 'code,name,name_en,type,level,parent_code';

/**
 * A fictitious later list of 1 January 2026 (no such list exists yet): today's units, except that Phường Ba Đình
 * (00004) and Phường Ngọc Hà (00008) of Hà Nội become one new ward 00005; a mapping file links every unit.
 */
export function writeVintage(dir: string): { units: number; links: number } {
  const today = fs.readFileSync(fromRoot('seeds', 'admin-units-2025-07-01.csv'), 'utf8').trim().split('\n').slice(1);
  const kept = today.filter((l) => !/^(00004|00008),/.test(l));
  const lines = [...kept, '00005,Phường Ba Đình Mới,Ba Dinh Moi,Phường,commune,01'];
  fs.writeFileSync(path.join(dir, 'admin-units-2026-01-01.csv'), [HEADER, ...lines].join('\n') + '\n');
  const links = ['old_code,new_code,relation,verified_in_resolution'];
  for (const l of kept) links.push(`${l.split(',')[0]},${l.split(',')[0]},full,yes`);
  links.push('00004,00005,full,yes', '00008,00005,full,no');
  fs.writeFileSync(path.join(dir, 'links-2026-01-01.csv'), links.join('\n') + '\n');
  return { units: lines.length, links: links.length - 1 };
}
