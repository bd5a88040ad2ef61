import DataLoader from 'dataloader';
import type { LocalityLevel } from '../../core/locality/locality-level';
import { LOCALITY_CODE_SHAPE, type LocalityLinkRecord, type LocalityRecord } from '../../core/locality/locality.record';
import type { LocalityRepository } from './locality.repository';

export const childrenKey = (parentCode: string, level?: LocalityLevel | null) => `${parentCode}|${level ?? ''}`;

/** Batches every locality lookup of one request into one query (codes that cannot exist never reach SQL). */
export function localityLoader(repository: LocalityRepository) {
  return new DataLoader<string, LocalityRecord | null>(
    async (codes) => {
      const rows = await repository.findByCodes(codes.filter((c) => LOCALITY_CODE_SHAPE.test(c)));
      const byCode = new Map(rows.map((r) => [r.code, r]));
      return codes.map((c) => byCode.get(c) ?? null);
    },
    { maxBatchSize: 5000 },
  );
}

/** Batches `children` of many parents: one query per distinct level asked for. */
export function childrenLoader(repository: LocalityRepository) {
  return new DataLoader<string, LocalityRecord[]>(
    async (keys) => {
      const parentsByLevel = new Map<string, string[]>();
      for (const key of keys) {
        const [parent, level] = key.split('|');
        const parents = parentsByLevel.get(level) ?? [];
        parentsByLevel.set(level, parents);
        parents.push(parent);
      }
      const grouped = new Map<string, LocalityRecord[]>();
      await Promise.all(
        [...parentsByLevel].map(async ([level, parents]) => {
          const rows = await repository.findChildren(parents, (level || undefined) as LocalityLevel | undefined);
          for (const { anchor, ...row } of rows) {
            const key = `${anchor}|${level}`;
            const list = grouped.get(key);
            if (list) list.push(row);
            else grouped.set(key, [row]);
          }
        }),
      );
      return keys.map((k) => grouped.get(k) ?? []);
    },
    { maxBatchSize: 1000 },
  );
}

export const asOfKey = (asOf: string, code: string) => `${asOf}|${code}`;

/** Batches lookups of a code at a date (`asOfKey`): one query per distinct date. A key or GSO code matches; ambiguity is impossible within one date. */
export function localityAsOfLoader(repository: LocalityRepository) {
  return new DataLoader<string, LocalityRecord | null>(async (keys) => {
    const byDate = new Map<string, string[]>();
    for (const key of keys) {
      const [asOf, code] = key.split('|');
      if (LOCALITY_CODE_SHAPE.test(code)) byDate.set(asOf, [...(byDate.get(asOf) ?? []), code]);
    }
    const found = new Map<string, LocalityRecord>();
    await Promise.all(
      [...byDate].map(async ([asOf, codes]) => {
        for (const row of await repository.findInForce(asOf, codes)) {
          found.set(asOfKey(asOf, row.code), row);
          found.set(asOfKey(asOf, row.gsoCode), row);
        }
      }),
    );
    return keys.map((k) => found.get(k) ?? null);
  });
}

/** Batches the reform links (both directions) of every unit of one request into one query. */
export function linksLoader(repository: LocalityRepository) {
  return new DataLoader<string, LocalityLinkRecord[]>(
    async (codes) => {
      const byCode = new Map<string, LocalityLinkRecord[]>();
      for (const link of await repository.findLinks(codes)) {
        for (const code of [link.predecessorCode, link.successorCode]) byCode.set(code, [...(byCode.get(code) ?? []), link]);
      }
      return codes.map((c) => byCode.get(c) ?? []);
    },
    { maxBatchSize: 5000 },
  );
}

/** Batches "which levels exist on this date" (ISO date keys) into one query. */
export function levelsInForceLoader(repository: LocalityRepository) {
  return new DataLoader<string, LocalityLevel[]>(async (dates) => {
    const byDate = new Map<string, LocalityLevel[]>();
    for (const { date, level } of await repository.levelsInForce(dates)) byDate.set(date, [...(byDate.get(date) ?? []), level]);
    return dates.map((d) => byDate.get(d) ?? []);
  });
}
