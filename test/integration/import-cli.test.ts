/**
 * The import CLI (`dist/scripts/import.js`: `npm test` builds it first) as a real process, and an unreadable
 * file, run in a child so that a crash or a hang cannot take the test worker down.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DOMAINS } from '../../common/core/domain';
import { PROJECT_ROOT } from '../../common/platform/paths';
import { createTestDatabase, fingerprint } from '../helpers/database';
import { runNode } from '../helpers/processes';
import { csv, GOOD_BY_DOMAIN, GOOD_ROWS, row, tempFiles } from './import.fixtures';

const { write, dir } = tempFiles();
const CLI = path.join(PROJECT_ROOT, 'dist', 'scripts', 'import.js');

/** The import CLI. DATABASE_URL is always set: without it the CLI would start (or reuse) the embedded Postgres on DATA_DIR. */
const cli = (args: string[], databaseUrl: string) => runNode([CLI, ...args], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });

describe('importFiles: unreadable input', () => {
  let url: string;
  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    url = await createTestDatabase('import_missing');
  });

  // Regression (fixed in ffe8943): a read error used to be emitted before anyone listened (an uncaught
  // exception) and never reached the csv parser (the import hung with its transaction open). Run in a
  // child process so that, should it come back, neither the crash nor the hang takes the test worker down.
  it('a file that cannot be read makes importFiles reject (no crash, no hang), and earlier files are not written', async () => {
    const good = write('before-missing.csv', csv(GOOD_ROWS));
    const missing = path.join(dir(), 'does-not-exist.csv');
    const script = `
      require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'common', 'data', 'seed', 'seed.js'))})
        .importFiles(process.env.TEST_URL, ${JSON.stringify([good, missing])})
        .then(() => process.exit(0), (e) => {
          // Either a plain error or an ImportValidationError listing it is fine, as long as it names the cause.
          console.error('rejected: ' + [e.message, ...(e.errors || []).map((x) => x.message)].join(' / '));
          process.exit(3);
        });`;
    const before = await fingerprint(url);
    const { code, stderr, timedOut } = await runNode(['-e', script], { TEST_URL: url }, 10_000);
    expect(timedOut).toBe(false);
    expect(stderr).not.toMatch(/Unhandled 'error' event/);
    expect(stderr).toMatch(/^rejected: .*does-not-exist\.csv.*ENOENT/m);
    expect(code).toBe(3);
    expect(await fingerprint(url)).toEqual(before);
  }, 20_000);
});

describe('the import CLI (dist/scripts/import.js)', () => {
  let url: string;
  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    url = await createTestDatabase('import_cli');
  });

  it('a bad file: exit 1, every error as file:line [column], "nothing was written", nothing written', async () => {
    const file = write(
      'cli-bad.csv',
      csv([row({ value: '10' }), row({ locality_code: '99999' }), row({ locality_code: '38', value: '1,240', qualifier: 'over' })]),
    );
    const name = path.basename(file);
    const before = await fingerprint(url);
    const { code, stdout, stderr } = await cli(['--no-progress', file], url);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`${name}:3 \\[locality_code\\]: unknown locality "99999"`));
    expect(stderr).toMatch(new RegExp(`${name}:4 \\[value\\]: value "1,240" is not a number`));
    expect(stderr).toMatch(new RegExp(`${name}:4 \\[qualifier\\]: qualifier "over" is not one of`));
    expect(stderr).toMatch(/^import rejected: 2 invalid rows \(3 errors\): nothing was written$/m);
    expect(stderr).not.toMatch(new RegExp(`${name}:2`));
    expect(await fingerprint(url)).toEqual(before);
  });

  it('--dry-run: exit 0, reports what would change, writes nothing', async () => {
    const file = write('cli-good.csv', csv(GOOD_ROWS));
    const before = await fingerprint(url);
    const { code, stdout } = await cli(['--dry-run', file], url);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^dry run \\(nothing written\\): ${GOOD_ROWS.length} rows from 1 file\\(s\\): ${GOOD_ROWS.length} inserted, 0 updated, 0 unchanged in \\d+\\.\\d\\d s$`,
        'm',
      ),
    );
    expect(await fingerprint(url)).toEqual(before);
  });

  it('a good file: exit 0 and a summary line; again: all unchanged', async () => {
    const file = write('cli-good.csv', csv(GOOD_ROWS));
    const before = await fingerprint(url);
    const first = await cli([file], url);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`^${GOOD_ROWS.length} rows from 1 file\\(s\\): ${GOOD_ROWS.length} inserted, 0 updated, 0 unchanged in \\d+\\.\\d\\d s$`, 'm'),
    );
    const after = await fingerprint(url);
    for (const d of DOMAINS) expect(after[`${d}.observation`].n).toBe(before[`${d}.observation`].n + GOOD_BY_DOMAIN[d]);

    const second = await cli(['--no-progress', file], url);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`: 0 inserted, 0 updated, ${GOOD_ROWS.length} unchanged in `));
    expect(await fingerprint(url)).toEqual(after);
  });

  it('several files in one call are summed in one summary', async () => {
    const a = write('cli-a.csv', csv([row({ locality_code: '26', value: '1' })]));
    const b = write(
      'cli-b.csv',
      csv([row({ locality_code: '26', value: '2', period_end: '2025-01-01' }), row({ locality_code: '26', value: '3', period_end: '2025-02-01' })]),
    );
    const { code, stdout } = await cli([a, b], url);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^3 rows from 2 file\(s\): 3 inserted, 0 updated, 0 unchanged in /m);
  });

  // npm runs scripts from the project folder and puts the folder the user typed the command in into INIT_CWD.
  it('a relative path is read from INIT_CWD (where `npm run import` was typed), not from the project folder', async () => {
    const good = write('cli-relative.csv', csv([row({ locality_code: '26', value: '7', period_end: '2021-01-01' })]));
    expect(fs.existsSync(path.join(PROJECT_ROOT, path.basename(good)))).toBe(false);
    const before = await fingerprint(url);
    const run = await runNode([CLI, '--dry-run', path.basename(good)], { DATABASE_URL: url, LOG_LEVEL: 'silent', INIT_CWD: dir() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^dry run \(nothing written\): 1 rows from 1 file\(s\): 1 inserted, 0 updated, 0 unchanged in /m);

    // Errors name the file it found there (relative to the project folder), a missing one by its resolved path.
    const bad = write('cli-relative-bad.csv', csv([row({ locality_code: '26', value: '1.240', period_end: '2021-01-02' })]));
    const rejected = await runNode([CLI, '--no-progress', path.basename(bad)], { DATABASE_URL: url, LOG_LEVEL: 'silent', INIT_CWD: dir() });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(`${path.relative(PROJECT_ROOT, bad)}:2 [value]: value 1.240 is not a whole number`);
    const missing = await runNode([CLI, 'no-such-relative.csv'], { DATABASE_URL: url, LOG_LEVEL: 'silent', INIT_CWD: dir() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path.join(dir(), 'no-such-relative.csv')}: no such file`);
    expect(await fingerprint(url)).toEqual(before);
  });

  it('without INIT_CWD (node run directly), a relative path is read from the current directory', async () => {
    const good = write('cli-relative-cwd.csv', csv([row({ locality_code: '26', value: '8', period_end: '2021-02-01' })]));
    const run = await runNode([CLI, '--dry-run', path.relative(PROJECT_ROOT, good)], { DATABASE_URL: url, LOG_LEVEL: 'silent', INIT_CWD: undefined });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^dry run \(nothing written\): 1 rows from 1 file\(s\): 1 inserted/m);
  });

  it('--verbose: a line on stderr for each staged batch, before the summary', async () => {
    const file = write('cli-verbose.csv', csv(GOOD_ROWS));
    const before = await fingerprint(url);
    const { code, stdout, stderr } = await cli(['--verbose', '--dry-run', file], url);
    expect(code).toBe(0);
    expect(stderr).toBe(
      `staged ${GOOD_ROWS.length} rows of ${path.relative(PROJECT_ROOT, file)} (${GOOD_ROWS.length} in all, transaction open, nothing committed yet)\n`,
    );
    expect(stdout).toMatch(/^dry run \(nothing written\): /m);
    expect(await fingerprint(url)).toEqual(before);
  });

  it('no arguments: exit 2 with the usage', async () => {
    const { code, stdout, stderr } = await cli([], url);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^usage: npm run import -- \[--dry-run\] \[--no-progress\] \[--verbose\] <file\.csv>/);
  });

  it('only options, or an unknown option: exit 2', async () => {
    expect((await cli(['--dry-run'], url)).code).toBe(2);
    const unknown = await cli(['--force', write('cli-x.csv', csv([row()]))], url);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --force/);
  });

  it('--help: exit 0 with the usage on stdout', async () => {
    const { code, stdout } = await cli(['--help'], url);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run import/);
  });

  it('a missing file (or a directory): exit 2, naming it, nothing written', async () => {
    const good = write('cli-present.csv', csv([row({ locality_code: '26', value: '9', period_end: '2020-01-01' })]));
    const missing = path.join(dir(), 'no-such-file.csv');
    const before = await fingerprint(url);
    const { code, stderr } = await cli([good, missing], url);
    expect(code).toBe(2);
    expect(stderr).toContain(`${missing}: no such file`);
    expect((await cli([dir()], url)).code).toBe(2);
    expect(await fingerprint(url)).toEqual(before);
  });
});
