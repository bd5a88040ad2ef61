import { spawn, type ChildProcess } from 'node:child_process';
import { fromRoot, PROJECT_ROOT } from '../../common/platform/paths';

export interface Spawned {
  child: ChildProcess;
  /** stdout and stderr as they interleaved. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves when the combined output matches, rejects on exit or timeout (with the output so far). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The process ended (its own children may still hold its output pipes). */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The process ended and its output is complete. */
  closed(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment for a child: this process's, minus anything that would point it at the wrong database. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'PORT', 'IDENTITY_PORT', 'FINANCE_PORT', 'INFRASTRUCTURE_PORT', 'DATA_DIR']) delete env[key];
  return { ...env, NODE_ENV: 'test', ...extra };
}

/** `node <args>` as a real process from the project folder, its output collected. The one process runner of tests and bench. */
export function startNode(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const streams = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const collect = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
    out += chunk.toString();
    streams[name] += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  type End = { code: number | null; signal: NodeJS.Signals | null };
  // A spawn failure emits 'error' and no 'exit': surface it as an ending with its message in the output.
  const failed = new Promise<End>((resolve) =>
    child.once('error', (err) => {
      out += `spawn error: ${err.message}\n`;
      resolve({ code: null, signal: null });
    }),
  );
  const exit = Promise.race([failed, new Promise<End>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))]);
  const close = Promise.race([failed, new Promise<End>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))]);
  return {
    child,
    output: () => out,
    stdout: () => streams.stdout,
    stderr: () => streams.stderr,
    exited: () => exit,
    closed: () => close,
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

/** Runs a compiled script (`npm test` builds dist/ first) as a real process. */
export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  return startNode([fromRoot(script), ...args], env);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs `node <args>` to its end with this process's environment plus `env` (an undefined value removes a
 * variable); kills it after timeoutMs and reports timedOut, so a hang fails the test instead of the worker.
 */
export async function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Run> {
  const run = startNode(args, { ...process.env, ...env });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    run.child.kill('SIGKILL');
  }, timeoutMs);
  const { code } = await run.closed().finally(() => clearTimeout(timer));
  return { code, stdout: run.stdout(), stderr: run.stderr(), timedOut };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
