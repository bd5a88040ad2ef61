import fs from 'node:fs';
import path from 'node:path';

export interface ExampleQuery {
  title: string;
  query: string;
}

/** The explorer's example tabs: the ```graphql blocks of docs/queries.md under their headings, else the smoke suite's queries. */
export function exampleQueries(docs: string, smokeDir: string): ExampleQuery[] {
  if (fs.existsSync(docs)) {
    const examples: ExampleQuery[] = [];
    let title = 'Example';
    const lines = fs.readFileSync(docs, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const heading = /^#+\s+(.*)$/.exec(lines[i]);
      if (heading) title = heading[1].trim();
      if (!/^```graphql\s*$/.test(lines[i])) continue;
      const end = lines.indexOf('```', i + 1);
      if (end < 0) break;
      examples.push({ title, query: lines.slice(i + 1, end).join('\n') + '\n' });
      i = end;
    }
    if (examples.length > 0) return examples;
  }
  if (!fs.existsSync(smokeDir)) return [];
  // Error cases teach less than answers: they go last.
  const files = fs
    .readdirSync(smokeDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => Number(a.startsWith('errors-')) - Number(b.startsWith('errors-')) || a.localeCompare(b));
  return files.map((f) => ({ title: f.replace(/\.graphql$/, ''), query: fs.readFileSync(path.join(smokeDir, f), 'utf8') }));
}
