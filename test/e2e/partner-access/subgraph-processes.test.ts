import { CALLER_HEADER, newSecret, signCaller } from '../../../common/platform/security/gateway-signature';
import { createTestDatabase } from '../../helpers/database';
import { startProcessStack, type ProcessStack } from '../../helpers/process-stack';
import { post } from '../../helpers/stack';
import { eventually } from '../../helpers/wait';
import { AUDITOR_KEY, PARTNER_KEYS } from './fixtures';

interface AuditNode {
  requestId: string;
  keyName: string;
  operationName: string | null;
  domains: string[];
  status: number;
  errorCodes: string[];
  source: string;
}

/** The subgraph processes `npm start` runs record the direct calls they refuse; an admin key reads them through the gateway. */
describe('a subgraph process audits the calls it refuses', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await startProcessStack(await createTestDatabase('partner_processes'), { keys: PARTNER_KEYS });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('an unsigned and a forged call to the finance port: 401 each, then one audit row each with source "finance subgraph"', async () => {
    const direct = (requestId: string, headers: Record<string, string> = {}) =>
      fetch(stack.subgraphUrls.finance, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
        body: JSON.stringify({ query: 'query Direct { _service { sdl } }' }),
      });
    const forgedHeader = signCaller(newSecret(), { name: 'finance-regulator', scopes: ['finance'], requestId: 'x' });
    expect((await direct('proc-unsigned')).status).toBe(401);
    expect((await direct('proc-forged', { [CALLER_HEADER]: forgedHeader })).status).toBe(401);

    // The subgraph's writer flushes at least every second: poll the gateway's auditLog until both rows are in.
    const rows = await eventually(
      async () => {
        const page = await post(
          stack.gatewayUrls[0],
          '{ auditLog(first: 50) { nodes { requestId keyName operationName domains status errorCodes source } } }',
          undefined,
          AUDITOR_KEY,
        );
        const nodes = (page.body.data as { auditLog: { nodes: AuditNode[] } } | undefined)?.auditLog.nodes ?? [];
        const mine = nodes.filter((n) => n.requestId.startsWith('proc-')).sort((a, b) => a.requestId.localeCompare(b.requestId));
        return mine.length === 2 ? mine : undefined;
      },
      30_000,
      'the two refusals in auditLog',
    );
    const row = (requestId: string, keyName: string, code: string) => ({
      requestId,
      keyName,
      operationName: 'Direct',
      domains: ['finance'],
      status: 401,
      errorCodes: [code, 'UNAUTHENTICATED'],
      source: 'finance subgraph',
    });
    expect(rows).toEqual([row('proc-forged', '(forged)', 'SIGNATURE_INVALID'), row('proc-unsigned', '(unsigned)', 'SIGNATURE_MISSING')]);
  });
});
