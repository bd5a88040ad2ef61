import type { Logger } from '../logger';

/**
 * Runs `stop` once on SIGINT/SIGTERM, or when the parent that forked us goes away (so `npm start`
 * never leaves orphans even if it is killed hard), then exits.
 */
export function onShutdown(log: Logger, stop: (reason: string) => Promise<void>): void {
  let stopping = false;
  const run = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took over 10 s; exiting anyway');
      process.exit(1);
    }, 10_000);
    force.unref();
    stop(reason).then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => run('SIGINT'));
  process.once('SIGTERM', () => run('SIGTERM'));
  if (process.send) process.once('disconnect', () => run('parent went away'));
}
