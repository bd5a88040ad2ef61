import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stderr-free stdout; `service` names the process so interleaved logs from `npm start` stay readable. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL || 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
