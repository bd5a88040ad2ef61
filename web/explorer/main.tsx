import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';

interface Example {
  title: string;
  query: string;
}

interface WebConfig {
  headers: Record<string, string>;
}

async function getJson<T>(url: string, fallback: T): Promise<T> {
  const response = await fetch(url).catch(() => undefined);
  return response?.ok ? ((await response.json()) as T) : fallback;
}

/** Names an anonymous query after its example, so that its tab has a title (GraphiQL names tabs by operation). */
function named(example: Example): string {
  const name = example.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^[^A-Za-z_]+/, '');
  return name ? example.query.replace(/^((?:\s*#[^\n]*\n)*\s*)\{/, `$1query ${name[0].toUpperCase()}${name.slice(1)} {`) : example.query;
}

async function main(): Promise<void> {
  const [examples, config] = await Promise.all([
    getJson<Example[]>('/explorer/examples.json', []),
    getJson<WebConfig>('/web-config.json', { headers: {} }),
  ]);
  const headers = Object.keys(config.headers).length > 0 ? JSON.stringify(config.headers, null, 2) : '';
  const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', location.href).toString() });
  const tabs = examples.map((e) => ({ query: `# ${e.title}\n${named(e)}`, headers }));
  const root = document.getElementById('explorer');
  if (!root) return;
  root.textContent = '';
  createRoot(root).render(
    <GraphiQL fetcher={fetcher} defaultTabs={tabs.length > 0 ? tabs : undefined} defaultHeaders={headers} shouldPersistHeaders={false} />,
  );
}

void main();
