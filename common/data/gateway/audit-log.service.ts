import { badInput } from '../../core/errors';
import type { AuditRecord, GatewayRepository } from './gateway.repository';

export interface AuditLogQuery {
  since?: Date | null;
  key?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface AuditLogPage {
  nodes: AuditRecord[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 500;
const CURSOR_PREFIX = 'audit:';

/** Keyset cursor: the id of the last entry of a page (ids grow with time), so a page never shifts as new requests are recorded. */
export const encodeAuditCursor = (id: string) => Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');

function decodeAuditCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  if (!/^[1-9]\d{0,18}$/.test(id)) throw badInput(`after: "${cursor}" is not a cursor of auditLog (use pageInfo.endCursor)`, 'after');
  return id;
}

/** Query.auditLog: the gateway's audit trail, newest first, checked and paged here; the SQL is GatewayRepository.listAudit. */
export class AuditLogService {
  constructor(private readonly repository: GatewayRepository) {}

  async list(query: AuditLogQuery): Promise<AuditLogPage> {
    const first = query.first ?? AUDIT_PAGE_DEFAULT;
    if (!Number.isInteger(first) || first < 1 || first > AUDIT_PAGE_MAX)
      throw badInput(`first: ${first} is out of range; give 1 to ${AUDIT_PAGE_MAX}`, 'first');
    if (query.since && Number.isNaN(query.since.getTime())) throw badInput('since: not a valid date-time', 'since');
    const afterId = query.after ? decodeAuditCursor(query.after) : null;

    const page = await this.repository.listAudit({ since: query.since ?? null, keyName: query.key ?? null, first, afterId });
    const last = page.entries.at(-1);
    return {
      nodes: page.entries,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeAuditCursor(last.id) : (query.after ?? null) },
    };
  }
}
