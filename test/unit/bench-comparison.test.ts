import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { fromRoot } from '../../common/platform/paths';
import { report, type ComparisonRow } from '../../scripts/bench/report';
import { checkTargets, markdown } from '../../scripts/bench/results';
import { scenarios } from '../../scripts/bench/scenarios';
import { hiveSupergraph } from '../../scripts/bench/systems';

const row = (scenario: string, system: string, concurrency: number, rps: number, p50: number, p99 = p50 * 2, rss = 100): ComparisonRow => ({
  scenario,
  system,
  concurrency,
  p50_ms: p50,
  p95_ms: p50,
  p99_ms: p99,
  rps,
  rss_mb: rss,
  subgraph_rss_mb: 0,
  requests: 10,
  errors: 0,
});

describe('npm run bench: the systems comparison', () => {
  it('gives Hive Gateway the checked-in supergraph with this run’s URLs and one @requires field fewer, still a valid supergraph', () => {
    const original = fs.readFileSync(fromRoot('schema/supergraph.graphql'), 'utf8');
    const sdl = hiveSupergraph(original, { identity: 1111, finance: 2222, infrastructure: 3333 });
    expect(sdl).toContain('@join__graph(name: "identity", url: "http://127.0.0.1:1111/graphql")');
    expect(sdl).toContain('@join__graph(name: "infrastructure", url: "http://127.0.0.1:3333/graphql")');
    expect(sdl).not.toContain('smartphoneUsersPerActivatedEid');
    expect(original).toContain('smartphoneUsersPerActivatedEid');
    expect(sdl).toContain('transactionAccountHoldersPerActivatedEid');
    expect(() => Supergraph.build(sdl, { validateSupergraph: true })).not.toThrow();
  });

  it('names scenarios by their letter', () => {
    expect(scenarios().map((s) => s.name.slice(0, 2))).toEqual(['a-', 'b-', 'c-', 'd-', 'e-']);
  });

  it('judges the targets of issue 13 as ratios of the same run', () => {
    const [a, b, c] = scenarios().map((s) => s.name);
    const rows = [
      row(a, 'gateway', 50, 120, 10, 60, 320),
      row(a, 'hive-gateway', 50, 100, 12),
      row(a, 'monolith', 50, 300, 5),
      row(b, 'gateway', 1, 50, 14),
      row(b, 'monolith', 1, 80, 10),
      row(c, 'gateway', 1, 5, 400),
      row(c, 'raw-sql', 1, 20, 100),
    ];
    const targets = checkTargets(rows, 40_000);
    const find = (text: string) => targets.find((t) => t.target.startsWith(text))!;
    expect(find(`${a} ×50: gateway rps`)).toMatchObject({ value: 1.2, met: true });
    expect(find(`${a} ×50: gateway p50`)).toMatchObject({ value: 2, met: false });
    expect(find(`${b} ×1: gateway p50`)).toMatchObject({ value: 1.4, met: true });
    expect(find(`${c} ×1: gateway p50`)).toMatchObject({ value: 4, met: false });
    expect(find(`${a} ×50: gateway p99`)).toMatchObject({ value: 60, met: false });
    expect(find('gateway RSS')).toMatchObject({ value: 320, met: false });
    expect(find('import')).toMatchObject({ value: 40_000, met: false });
    // A system not measured is "not measured", never a pass.
    expect(find(`${b} ×1: gateway rps`)).toMatchObject({ value: null, met: null });
    expect(markdown(rows, targets, report)).toContain(`| ${a} | 50 | 120 / 10 / 60 | 300 / 5 / 10 | - | 100 / 12 / 24 | 1.2 | 320 + 0 |`);
  });
});
