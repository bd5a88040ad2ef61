import { ConfigError } from '../common/platform/config';

/**
 * Runs a command-line tool's main and exits with its code; a failure prints one line (a bad setting as the config
 * names it, anything else as "<tool> failed: <message>") and exits 1.
 */
export function runCli(tool: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : `${tool} failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
