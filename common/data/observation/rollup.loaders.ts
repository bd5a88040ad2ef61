import DataLoader from 'dataloader';
import { rollupKey, type HierarchyRollupRow } from '../../core/observation/rollup.record';
import type { RollupRepository } from './rollup.repository';

/** Batches every subtree sum of one request (`rollupKey`) into one statement. */
export function rollupsLoader(repository: RollupRepository) {
  return new DataLoader<string, HierarchyRollupRow | null>(
    async (keys) => {
      const pairs = keys.map((k) => {
        const at = k.lastIndexOf('|');
        return { root: k.slice(0, at), indicator: k.slice(at + 1) };
      });
      const found = new Map((await repository.sumBelow(pairs)).map((r) => [rollupKey(r.root, r.indicator), r]));
      return keys.map((k) => found.get(k) ?? null);
    },
    { maxBatchSize: 500 },
  );
}
