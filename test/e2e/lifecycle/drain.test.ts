import net from 'node:net';
import { Client } from 'pg';
import { SCOPES } from '../../../common/core/scopes';
import { CALLER_HEADER, signCaller } from '../../../common/platform/security/gateway-signature';
import { createTestDatabase } from '../../helpers/database';
import { killLeftovers, spawnGateway, spawnSubgraph, type ServiceProcess } from '../../helpers/services';
import { authHeaders, startStack, type Stack } from '../../helpers/stack';
import { eventually, within } from '../../helpers/wait';

/**
 * SIGTERM to a real gateway or subgraph process: the request in flight (held in Postgres by a table lock the
 * test controls, so it is certainly in flight) completes with 200; new connections are refused; then it exits 0.
 */

const QUERY = '{ locality(code: "116") { identity { activatedEidAccounts { value } } } }';
const ANSWER = { data: { locality: { identity: { activatedEidAccounts: { value: 68000 } } } } };

describe('SIGTERM drains in-flight requests, then exits', () => {
  let databaseUrl: string;
  let stack: Stack;
  const started: ServiceProcess[] = [];
  beforeAll(async () => {
    databaseUrl = await createTestDatabase('drain');
    stack = await startStack(databaseUrl);
  });
  afterAll(async () => {
    killLeftovers(started);
    await stack?.stop();
  });

  /** Holds every identity table until release(): identity's queries wait in Postgres. */
  async function holdIdentity(): Promise<{ release(): Promise<void> }> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ t: string }>(
      "SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = 'identity'",
    );
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${rows.map((r) => r.t).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    return {
      release: async () => {
        await client.query('COMMIT');
        await client.end();
      },
    };
  }

  /** Resolves once a connection of `application` waits for the lock: the request is in flight. */
  const blocked = (application: string) =>
    eventually(
      async () => {
        const client = new Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          const { rows } = await client.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name LIKE $1 AND datname = current_database()",
            [application],
          );
          return Number(rows[0].n) > 0 ? true : undefined;
        } finally {
          await client.end();
        }
      },
      30_000,
      `a query of ${application} waiting for the lock`,
    );

  /** Resolves once a new TCP connection to `port` is refused. */
  const refusing = (port: number) =>
    eventually(
      () =>
        new Promise<true | undefined>((resolve) => {
          const socket = net.connect(port, '127.0.0.1');
          socket.once('connect', () => {
            socket.destroy();
            resolve(undefined);
          });
          socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? true : undefined));
        }),
      20_000,
      `port ${port} to refuse new connections`,
    );

  it('a subgraph', async () => {
    const identity = await spawnSubgraph('identity', databaseUrl, stack.gatewaySecret);
    started.push(identity);
    const lock = await holdIdentity();
    const inFlight = fetch(identity.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CALLER_HEADER]: signCaller(stack.gatewaySecret, { name: 'test', scopes: [...SCOPES], requestId: 'drain-1' }),
      },
      body: JSON.stringify({ query: QUERY }),
    });
    await blocked('atlas-identity');
    identity.proc.child.kill('SIGTERM');
    await refusing(identity.port);
    expect(identity.proc.child.exitCode).toBeNull(); // still draining
    await lock.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(ANSWER);
    expect(await within(identity.proc.exited(), 20_000, 'the subgraph to exit', () => identity.proc.output())).toEqual({ code: 0, signal: null });
    expect(identity.proc.output()).not.toMatch(/shutdown took over|shutdown failed/);
  });

  it('the gateway', async () => {
    const gateway = await spawnGateway(databaseUrl, stack.gatewaySecret, stack.subgraphUrls);
    started.push(gateway);
    try {
      const lock = await holdIdentity();
      const inFlight = fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify({ query: QUERY }),
      });
      await blocked('atlas-identity-stack%'); // the in-process identity subgraph the gateway process called
      gateway.proc.child.kill('SIGTERM');
      await refusing(gateway.port);
      expect(gateway.proc.child.exitCode).toBeNull();
      await lock.release();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(ANSWER);
      expect(await within(gateway.proc.exited(), 20_000, 'the gateway to exit', () => gateway.proc.output())).toEqual({ code: 0, signal: null });
      expect(gateway.proc.output()).not.toMatch(/shutdown took over|shutdown failed/);
    } finally {
      gateway.cleanup();
    }
  });
});
