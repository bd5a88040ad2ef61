import fs from 'node:fs';

/**
 * Waits for a condition that has no event to listen to (another process's file or PID), checking
 * every `intervalMs`; rejects naming `what` (and, if given, what is still wrong) when time runs out.
 */
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string, detail?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `promise`, or a rejection naming `what` (and `detail`) after `timeoutMs`: an awaited event that never came fails with its name. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string, detail?: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const message = () => `timed out after ${timeoutMs / 1000} s waiting for ${what}${detail ? `:\n${detail()}` : ''}`;
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * True when `pid` no longer runs. A zombie counts as gone: it has exited, and an orphan's zombie
 * lingers until whatever adopted it reaps it, which is not ours to wait for.
 */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ...", the state letter after the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch (err) {
    // ENOENT: it exited between the two checks; any other error (no /proc on macOS): kill(pid, 0) said it runs.
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Polls an async check (an HTTP answer, a query) every `intervalMs` until it returns a value other than undefined;
 * rejects naming `what` (and the last error the check threw) when time runs out.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err instanceof Error ? err : new Error(String(err));
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
