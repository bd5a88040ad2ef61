import type { Logger } from '../logger';
import { flushTelemetry } from '../telemetry';

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
    stop(reason)
      .then(() => flushTelemetry())
      .then(
        () => {
          log.info({ reason }, 'stopped'); // best effort: pino's async write can still be pending at exit
          process.exit(0);
        },
        (err) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  // `on`: a repeated signal must not fall through to Node's default (immediate exit) mid-shutdown.
  process.on('SIGINT', () => run('SIGINT'));
  process.on('SIGTERM', () => run('SIGTERM'));
  if (process.send) process.once('disconnect', () => run('parent went away'));
}

/** A service that cannot start says why in plain words on stderr (and in the JSON log), then exits 1. */
export function failStart(service: string, log: Logger, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  log.fatal({ err }, `${service} failed to start`);
  process.stderr.write(`${service} failed to start: ${message}\n`);
  process.exit(1);
}

/**
 * For one-shot CLIs: Ctrl-C or SIGTERM prints one line instead of a stack trace, runs `cleanup`
 * (stop a Postgres we started) and exits 130. An open transaction dies with its connection.
 */
export function onInterrupt(message: string, cleanup: () => Promise<void>): void {
  let interrupted = false;
  const run = () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${message}\n`);
    const force = setTimeout(() => process.exit(130), 10_000);
    force.unref();
    cleanup()
      .catch(() => undefined)
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', run);
  process.on('SIGTERM', run);
}
