import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../../common/platform/paths';
import { freePort } from '../../helpers/ports';
import { childEnv, spawnNode, type Spawned } from '../../helpers/processes';
import { processGone } from '../../helpers/wait';

/** `npm start` (the compiled orchestrator) on a fresh DATA_DIR and free ports; afterAll kills whatever a failed test left. */
export interface StartFixture {
  root: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  gatewayUrl: string;
  run(script: string, args?: string[], extra?: Record<string, string>): Spawned;
  /** A PID to kill in cleanup if it still runs (and is still one of ours). */
  track(pid: number): void;
  cleanup(): void;
}

export async function startFixture(extra: Record<string, string> = {}): Promise<StartFixture> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-start-'));
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  const [pg, gw, id, fin, infra] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const env = childEnv({
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(pg),
    PORT: String(gw),
    IDENTITY_PORT: String(id),
    FINANCE_PORT: String(fin),
    INFRASTRUCTURE_PORT: String(infra),
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    READY_TIMEOUT_MS: '10000', // a busy 2-core machine can take seconds to answer SELECT 1
    ...extra,
  });
  const spawned: Spawned[] = [];
  const seen = new Set<number>();
  // Still one of ours (not a reused PID): a service of this checkout's dist/, or the postmaster of our DATA_DIR.
  const ours = (pid: number) => {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes(fromRoot('dist')) || cmdline.includes(root);
    } catch {
      return false;
    }
  };
  return {
    root,
    dataDir,
    env,
    gatewayUrl: `http://127.0.0.1:${gw}/graphql`,
    run(script, args = [], more = {}) {
      const s = spawnNode(script, args, { ...env, ...more });
      spawned.push(s);
      return s;
    },
    track: (pid) => seen.add(pid),
    cleanup() {
      for (const s of spawned) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      for (const pid of seen) if (!processGone(pid) && ours(pid)) process.kill(pid, 'SIGKILL');
      // An orphan that held our pipes is gone now; closing them lets jest exit after a failure.
      for (const s of spawned) [s.child.stdout, s.child.stderr].forEach((stream) => stream?.destroy());
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The orchestrator's processes from its banner line `PIDs: start 1, postgres 2, ...`. */
export function bannerPids(output: string): Record<string, number> {
  const line = /PIDs:\s+(.+)/.exec(output);
  if (!line) throw new Error(`no PIDs line in the output:\n${output.slice(-2000)}`);
  return Object.fromEntries(line[1].split(', ').map((p) => [p.split(' ')[0], Number(p.split(' ')[1])]));
}
