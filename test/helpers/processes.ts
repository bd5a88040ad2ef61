import { spawn, type ChildProcess } from 'node:child_process';
import { fromRoot } from '../../common/platform/paths';

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves when the combined output matches, rejects on exit or timeout (with the output so far). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment for a child: this process's, minus anything that would point it at the wrong database. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'PORT', 'IDENTITY_PORT', 'FINANCE_PORT', 'INFRASTRUCTURE_PORT', 'DATA_DIR']) delete env[key];
  return { ...env, NODE_ENV: 'test', ...extra };
}

/** Runs a compiled script (`npm test` builds dist/ first) as a real process. */
export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [fromRoot(script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited: () => exit,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            cleanup();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output:\n${out.slice(-4000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exit.then(({ code, signal }) => {
          if (!pattern.test(out)) {
            cleanup();
            reject(new Error(`process exited (${signal ?? code}) before ${pattern}; output:\n${out.slice(-4000)}`));
          }
        });
        check();
      });
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
