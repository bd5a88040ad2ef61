import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../common/platform/paths';
import { scenarios } from './scenarios';
import { SYSTEMS } from './systems';
import { round, type ComparisonRow, type Report, type TargetCheck } from './report';

const find = (rows: ComparisonRow[], scenario: string, system: string, concurrency: number) =>
  rows.find((r) => r.scenario === scenario && r.system === system && r.concurrency === concurrency);

/** The targets of issue 13 item 4 that this run can judge (null = not measured in this run). */
export function checkTargets(rows: ComparisonRow[], importRowsPerSecond: number | undefined): TargetCheck[] {
  const out: TargetCheck[] = [];
  const concurrencies = [...new Set(rows.map((r) => r.concurrency))].sort((a, b) => a - b);
  // No answer in the run (0 responses: p50 is NaN, or null once read back from JSON) is "not measured", never a ratio.
  const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (ok(a) && ok(b) && b !== 0 ? round(a / b, 2) : null);
  const atLeast = (value: number | null, limit: number) => (value === null ? null : value >= limit);
  const atMost = (value: number | null, limit: number) => (value === null ? null : value <= limit);
  for (const s of scenarios()) {
    for (const c of concurrencies) {
      const g = find(rows, s.name, 'gateway', c);
      const h = find(rows, s.name, 'hive-gateway', c);
      const value = ratio(g?.rps, h?.rps);
      out.push({
        target: `${s.name} ×${c}: gateway rps ≥ hive-gateway rps`,
        measured: `${g?.rps ?? '-'} vs ${h?.rps ?? '-'} rps`,
        value,
        limit: 1,
        met: atLeast(value, 1),
      });
    }
  }
  for (const s of scenarios().filter((x) => x.id === 'a' || x.id === 'b')) {
    for (const c of concurrencies) {
      const g = find(rows, s.name, 'gateway', c);
      const m = find(rows, s.name, 'monolith', c);
      const value = ratio(g?.p50_ms, m?.p50_ms);
      out.push({
        target: `${s.name} ×${c}: gateway p50 ≤ 1.5 × monolith p50`,
        measured: `${g?.p50_ms ?? '-'} vs ${m?.p50_ms ?? '-'} ms`,
        value,
        limit: 1.5,
        met: atMost(value, 1.5),
      });
    }
  }
  const c = scenarios().find((x) => x.id === 'c')!;
  for (const k of concurrencies) {
    const g = find(rows, c.name, 'gateway', k);
    const r = find(rows, c.name, 'raw-sql', k);
    const value = ratio(g?.p50_ms, r?.p50_ms);
    out.push({
      target: `${c.name} ×${k}: gateway p50 ≤ 3 × raw-sql p50 (a page)`,
      measured: `${g?.p50_ms ?? '-'} vs ${r?.p50_ms ?? '-'} ms`,
      value,
      limit: 3,
      met: atMost(value, 3),
    });
  }
  const a50 = find(rows, scenarios()[0].name, 'gateway', 50);
  out.push({
    target: `${scenarios()[0].name} ×50: gateway p99 < 50 ms`,
    measured: `${ok(a50?.p99_ms) ? a50.p99_ms : '-'} ms`,
    value: ok(a50?.p99_ms) ? a50.p99_ms : null,
    limit: 50,
    met: ok(a50?.p99_ms) ? a50.p99_ms < 50 : null,
  });
  const gatewayRss = rows.filter((r) => r.system === 'gateway').map((r) => r.rss_mb);
  const peak = gatewayRss.length ? Math.max(...gatewayRss) : null;
  out.push({
    target: 'gateway RSS < 300 MB under load',
    measured: `${peak ?? '-'} MB peak`,
    value: peak,
    limit: 300,
    met: peak === null ? null : peak < 300,
  });
  out.push({
    target: 'import ≥ 50,000 rows/s',
    measured: `${importRowsPerSecond ?? '-'} rows/s`,
    value: importRowsPerSecond ?? null,
    limit: 50_000,
    met: atLeast(importRowsPerSecond ?? null, 50_000),
  });
  return out;
}

function mdTable(headers: string[], rows: Array<Array<string | number>>, right: number[]): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (right.includes(i) ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/** The markdown the README and docs/performance.md show: date, machine, one row per scenario × concurrency, the targets. */
export function markdown(rows: ComparisonRow[], targets: TargetCheck[], report: Report): string {
  const m = report.machine;
  const out: string[] = [];
  out.push(
    `Run of ${report.date.slice(0, 16)}Z (\`npm run bench\`${process.env.BENCH_QUICK ? ', BENCH_QUICK=1' : ''}): ${m.cpuModel} × ${m.cpuCount}, ${m.totalMemoryGb} GB RAM, ${m.platform}, Node ${m.node}${m.postgres ? `, ${m.postgres}` : ''}; 1-minute load ${m.loadAverage.start} at start${m.loadAverage.end !== undefined ? `, ${m.loadAverage.end} at end` : ''}.`,
    '',
  );
  const table: Array<Array<string | number>> = [];
  for (const s of scenarios().filter((x) => rows.some((r) => r.scenario === x.name))) {
    for (const c of [...new Set(rows.map((r) => r.concurrency))].sort((a, b) => a - b)) {
      const cells: Array<string | number> = [s.name, c];
      for (const system of SYSTEMS) {
        const r = find(rows, s.name, system, c);
        const ms = (x: number | null) => (typeof x === 'number' && Number.isFinite(x) ? x : '-');
        cells.push(r ? `${r.rps} / ${ms(r.p50_ms)} / ${ms(r.p99_ms)}${r.errors ? ` (${r.errors} err)` : ''}` : '-');
      }
      const g = find(rows, s.name, 'gateway', c);
      const h = find(rows, s.name, 'hive-gateway', c);
      cells.push(g && h && h.rps ? round(g.rps / h.rps, 2) : '-');
      cells.push(g ? `${g.rss_mb} + ${g.subgraph_rss_mb}` : '-');
      table.push(cells);
    }
  }
  out.push(
    mdTable(
      ['scenario', 'in flight', ...SYSTEMS.map((s) => `${s} rps / p50 / p99 ms`), 'gateway ÷ hive rps', 'gateway + subgraphs RSS MB'],
      table,
      [1, 2, 3, 4, 5, 6, 7],
    ),
  );
  out.push('', 'Targets (issue 13, item 4), from the same run:', '');
  out.push(
    mdTable(
      ['target', 'measured', 'ratio / value', 'met'],
      targets.map((t) => [
        t.target,
        t.measured,
        t.value ?? '-',
        t.met === null ? 'not measured (no answer in the run)' : t.met ? 'yes' : `**no** (${t.value} vs ${t.limit})`,
      ]),
      [2],
    ),
  );
  return `${out.join('\n')}\n`;
}

/** Writes bench/results/latest.json (the array of rows), latest.md and targets.json; returns the JSON's path. */
export function writeResults(rows: ComparisonRow[], targets: TargetCheck[], report: Report): string {
  const dir = fromRoot('bench/results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(rows, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'targets.json'), `${JSON.stringify(targets, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.md'), markdown(rows, targets, report));
  return path.join(dir, 'latest.json');
}
