import fs from 'node:fs';
import type { EmbeddedCluster } from '../common/platform/database/embedded';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__ATLAS_TEST_CLUSTER__ as { cluster: EmbeddedCluster; dir: string } | undefined;
  if (!state) return;
  await state.cluster.stop();
  fs.rmSync(state.dir, { recursive: true, force: true });
}
