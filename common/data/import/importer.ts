import { PassThrough, pipeline, Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { QueryRunner } from 'typeorm';
import { DOMAINS, type Domain } from '../../core/domain';
import { ImportRepository } from './import.repository';
import { checkHeader, validateRow, type Reference, type RowError, type ValidRow } from './validate';

export interface ImportInput {
  /** Shown in messages and the summary (usually the file path). */
  name: string;
  /** Opened only when its turn comes, so an unreadable later file cannot fail before anyone listens. */
  open(): Readable;
}

export interface FileError extends RowError {
  file: string;
}

export interface ImportSummary {
  files: string[];
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  byDomain: Record<Domain, { inserted: number; updated: number; unchanged: number }>;
  seconds: number;
}

export class ImportValidationError extends Error {
  constructor(
    readonly errors: FileError[],
    readonly totalErrors: number,
    readonly invalidRows: number,
  ) {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    super(`${plural(invalidRows, 'invalid row')} (${plural(totalErrors, 'error')}): nothing was written`);
    this.name = 'ImportValidationError';
  }
}

/**
 * CRLF → LF before parsing: csv-parse counts a CRLF inside a quoted field as two lines, which
 * would shift every later line number of a Windows file. A CR at a chunk's end waits for the next chunk.
 */
function crlfToLf(): Transform {
  let pendingCr = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text = (pendingCr ? '\r' : '') + chunk.toString('latin1');
      pendingCr = text.endsWith('\r');
      if (pendingCr) text = text.slice(0, -1);
      done(null, Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1'));
    },
    flush(done) {
      done(null, pendingCr ? Buffer.from('\r', 'latin1') : undefined);
    },
  });
}

export interface ImportOptions {
  /** Called with bytes read so far (for a progress bar). */
  onBytes?: (bytes: number) => void;
  /** Keep at most this many error messages (all are counted). */
  maxErrors?: number;
  batchSize?: number;
  /** Validate and compute the summary, then roll back. */
  dryRun?: boolean;
  /** Called after each batch is staged, inside the open transaction (nothing is committed yet). */
  onStaged?: (progress: { file: string; rows: number; totalRows: number }) => void;
}

export const formatFileError = (e: FileError) => `${e.file}:${e.line}${e.column ? ` [${e.column}]` : ''}: ${e.message}`;

/**
 * Validates and loads observation CSVs in ONE transaction: any bad row in any file means nothing is
 * written, and every error is reported with its file and line. Rows stream through a temp staging
 * table in batches, so memory stays flat whatever the file size. Re-importing the same rows changes nothing.
 */
export async function importObservations(runner: QueryRunner, inputs: ImportInput[], options: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const maxErrors = options.maxErrors ?? 10_000;
  const batchSize = options.batchSize ?? 2_000;
  const repo = new ImportRepository(runner);
  const errors: FileError[] = [];
  let totalErrors = 0;
  // Rows arrive in order and a row's errors are reported together, so counting changes of
  // file:line counts the bad rows without remembering them (memory stays flat on a bad 500k-row file).
  let badRows = 0;
  let lastBad = '';
  const report = (e: FileError) => {
    totalErrors += 1;
    const at = `${e.file}:${e.line}`;
    if (at !== lastBad) badRows += 1;
    lastBad = at;
    if (errors.length < maxErrors) errors.push(e);
  };

  let staged = 0;
  const stage = async (file: string, fileIndex: number, batch: ValidRow[]) => {
    if (batch.length === 0) return;
    await repo.stage(file, fileIndex, batch);
    staged += batch.length;
    options.onStaged?.({ file, rows: batch.length, totalRows: staged });
  };

  await runner.startTransaction();
  try {
    const [localities, catalogue] = await Promise.all([repo.localityCodes(), repo.catalogue()]);
    const reference: Reference = { hasLocality: (c) => localities.has(c), indicator: (c) => catalogue.get(c) };
    await repo.createStaging();
    let rows = 0;
    let bytes = 0;
    for (const [fileIndex, input] of inputs.entries()) {
      const counter = new PassThrough();
      counter.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        options.onBytes?.(bytes);
      });
      const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
      // pipeline() carries a read error (unreadable file, broken stream) to the parser, whose loop then throws it.
      pipeline(input.open(), counter, crlfToLf(), parser, () => undefined);
      let header: string[] | undefined;
      let batch: ValidRow[] = [];
      try {
        for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
          const line = info.lines;
          if (!header) {
            header = record.map((h) => h.trim().toLowerCase());
            const headerErrors = checkHeader(header);
            headerErrors.forEach((e) => report({ ...e, file: input.name }));
            if (headerErrors.length) break;
            continue;
          }
          rows += 1;
          if (record.length !== header.length) {
            report({ file: input.name, line, message: `has ${record.length} fields, the header has ${header.length}` });
            continue;
          }
          const named = Object.fromEntries(header.map((h, i) => [h, record[i]]));
          const result = validateRow(named, line, reference);
          result.errors.forEach((e) => report({ ...e, file: input.name }));
          // Valid rows are staged even after errors elsewhere, so duplicates are reported with the rest.
          if (result.row) {
            batch.push(result.row);
            if (batch.length >= batchSize) {
              await stage(input.name, fileIndex, batch);
              batch = [];
            }
          }
        }
      } catch (err) {
        const e = err as Error & { code?: string; lines?: number };
        // Malformed CSV is the file's fault and is reported with the rest; an I/O failure aborts the import.
        if (!e.code?.startsWith('CSV_')) throw new Error(`${input.name}: cannot be read: ${e.message}`);
        report({ file: input.name, line: e.lines ?? 0, message: `unreadable CSV: ${e.message}` });
      }
      await stage(input.name, fileIndex, batch);
      if (!header) report({ file: input.name, line: 1, message: 'the file is empty (no header line)' });
    }

    for (const d of await repo.duplicates(maxErrors)) {
      report({
        file: d.file,
        line: d.line,
        message: `same locality, indicator, period and source as ${d.first_file === d.file ? '' : `${d.first_file}:`}line ${d.first_line}`,
      });
    }
    if (totalErrors > 0) throw new ImportValidationError(errors, totalErrors, badRows);

    const byDomain = {} as ImportSummary['byDomain'];
    for (const domain of DOMAINS) byDomain[domain] = await repo.merge(domain);
    await (options.dryRun ? runner.rollbackTransaction() : runner.commitTransaction());
    const sum = (k: 'inserted' | 'updated' | 'unchanged') => DOMAINS.reduce((n, d) => n + byDomain[d][k], 0);
    return {
      files: inputs.map((i) => i.name),
      rows,
      inserted: sum('inserted'),
      updated: sum('updated'),
      unchanged: sum('unchanged'),
      byDomain,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  }
}
