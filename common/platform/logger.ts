import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Logs carry the service name (and, per request, its id). JSON lines for machines; readable lines
 * when a person watches a terminal (`npm start`). LOG_FORMAT=json|pretty overrides the choice.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL || 'info'): Logger {
  const format = process.env.LOG_FORMAT || (process.stdout.isTTY ? 'pretty' : 'json');
  const options = { name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format !== 'pretty') return pino(options);
  return pino(
    options,
    pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name,service', messageFormat: '{service}: {msg}' }),
  );
}
