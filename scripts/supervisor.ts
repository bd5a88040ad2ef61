import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from '../common/platform/logger';

export interface RestartPolicy {
  /** Delay before the first restart; doubled for each further crash in the window, capped at maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** This many crashes within windowMs and the supervisor gives up on the service. */
  limit: number;
  windowMs: number;
}

export interface ServiceSpec {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** How long a (re)start may take before it counts as failed. */
  readyTimeoutMs?: number;
  /** What its crash costs the others, for the log line (e.g. "identity fields are null until it is back"). */
  impact: string;
  /** Runs before each restart (e.g. stop what the dead process left running). */
  beforeRestart?: () => Promise<void>;
}

type State = 'starting' | 'running' | 'backoff' | 'given-up' | 'stopping' | 'stopped';

/**
 * One child service under `npm start`: forked, awaited until it reports 'ready' over IPC, restarted with
 * exponential backoff when it dies on its own, and given up on (the others keep serving) after
 * `limit` crashes within `windowMs`.
 */
export class SupervisedService {
  private child: ChildProcess | undefined;
  private state: State = 'starting';
  private crashes: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private restarts = 0;
  url = '';

  constructor(
    private readonly spec: ServiceSpec,
    private readonly policy: RestartPolicy,
    private readonly log: Logger,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get givenUp(): boolean {
    return this.state === 'given-up';
  }

  /** The first start: resolves with the service's URL; rejects if it exits or stays silent (no restart: a broken start is a broken setup). */
  async start(): Promise<{ url: string }> {
    const url = await this.spawn();
    this.state = 'running';
    return { url };
  }

  private spawn(): Promise<string> {
    const { name, script, env, readyTimeoutMs = 120_000 } = this.spec;
    // detached: Ctrl-C reaches only the orchestrator, which then stops the children in order.
    const child = fork(script, [], { env, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        reject(new Error(`${name} did not become ready within ${readyTimeoutMs / 1000} s`));
        child.kill('SIGKILL'); // its exit then counts as a crash (or ends a failed first start)
      }, readyTimeoutMs);
      child.on('message', (msg: { type?: string; url?: string }) => {
        if (msg?.type === 'ready' && !ready) {
          ready = true;
          clearTimeout(timer);
          this.url = msg.url ?? '';
          resolve(this.url);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!ready) reject(new Error(`${name} exited during start-up (${signal ?? `code ${code}`})`));
        if (this.child === child) this.onExit(code, signal);
      });
    });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    // The first start reports its own failure; a stop expected the exit.
    if (this.state === 'starting' || this.state === 'stopping' || this.state === 'stopped') return;
    const { name } = this.spec;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < this.policy.windowMs), now];
    const how = signal ?? `code ${code}`;
    const fields = { child: name, pid: this.child?.pid, code, signal, crashes: this.crashes.length, windowMs: this.policy.windowMs };
    if (this.crashes.length >= this.policy.limit) {
      this.state = 'given-up';
      this.log.error(
        fields,
        `${name} crashed ${this.crashes.length} times within ${this.policy.windowMs / 1000} s (last: ${how}): giving up on it; ` +
          `the other services keep serving, ${this.spec.impact}; fix the cause and restart npm start`,
      );
      return;
    }
    const delay = Math.min(this.policy.backoffMs * 2 ** (this.crashes.length - 1), this.policy.maxBackoffMs);
    this.state = 'backoff';
    this.log.error(
      { ...fields, restartInMs: delay },
      `${name} (pid ${this.child?.pid}) exited unexpectedly (${how}); crash ${this.crashes.length} of ${this.policy.limit} allowed ` +
        `within ${this.policy.windowMs / 1000} s; ${this.spec.impact}; restarting in ${delay} ms`,
    );
    this.timer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.state !== 'backoff') return;
    this.state = 'running'; // a crash during the restart is one more crash, handled by onExit
    this.restarts += 1;
    try {
      await this.spec.beforeRestart?.();
    } catch (err) {
      this.state = 'given-up';
      this.log.error({ child: this.spec.name, err }, `${this.spec.name} cannot be restarted (${(err as Error).message}): giving up on it`);
      return;
    }
    try {
      const url = await this.spawn();
      this.log.warn(
        { child: this.spec.name, pid: this.child?.pid, restarts: this.restarts, url },
        `${this.spec.name} restarted and serving again (pid ${this.child?.pid})`,
      );
    } catch (err) {
      this.log.warn({ child: this.spec.name, err }, `${this.spec.name} restart failed`);
    }
  }

  /** SIGTERM, then SIGKILL after killAfterMs. Resolves true when it was not running or exited cleanly by itself. */
  stop(killAfterMs = 15_000): Promise<boolean> {
    clearTimeout(this.timer);
    const child = this.child;
    this.state = 'stopping';
    const done = (clean: boolean) => {
      this.state = 'stopped';
      return clean;
    };
    // Not running (crashed and waiting for a restart, or given up on): its exit was reported when it happened.
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(done(true));
    const { name } = this.spec;
    return new Promise((resolve) => {
      const kill = setTimeout(() => {
        this.log.error({ pid: child.pid }, `${name} (pid ${child.pid}) did not stop within ${killAfterMs / 1000} s: sending SIGKILL`);
        child.kill('SIGKILL');
      }, killAfterMs);
      child.once('exit', (code, signal) => {
        clearTimeout(kill);
        const clean = code === 0 && signal === null;
        if (clean) this.log.info({ pid: child.pid }, `${name} stopped`);
        else this.log.error({ pid: child.pid, code, signal }, `${name} (pid ${child.pid}) did not stop cleanly (${signal ?? `code ${code}`})`);
        resolve(done(clean));
      });
      child.kill('SIGTERM');
    });
  }
}
