import { randomUUID } from 'node:crypto';
import { SCOPES } from '../../common/core/scopes';
import { CALLER_HEADER, signCaller } from '../../common/platform/security/gateway-signature';

/**
 * Bench only: the configuration `npm run bench` gives Hive Gateway (`hive-gateway supergraph <file> -c
 * dist/scripts/bench/hive-gateway.config.js`). Our subgraphs answer only a request signed by a gateway
 * (x-atlas-caller, an HMAC under GATEWAY_SECRET), so this plugin signs every subgraph fetch the way
 * gateway/server.ts does, with signCaller. Hive Gateway checks no API key here: it signs one fixed caller
 * with every scope (the subgraphs are not weakened; this file is never part of a deployment).
 */
const secret = process.env.GATEWAY_SECRET;
if (!secret) throw new Error('hive-gateway.config: GATEWAY_SECRET must be set (the bench passes the subgraphs’ secret)');

interface FetchPayload {
  options: { headers?: Record<string, string> };
  setOptions: (options: { headers?: Record<string, string> }) => void;
}

export const gatewayConfig = {
  logging: 'warn',
  plugins: () => [
    {
      onFetch({ options, setOptions }: FetchPayload) {
        const signed = signCaller(secret, { name: 'hive-gateway-bench', scopes: [...SCOPES], requestId: randomUUID() });
        setOptions({ ...options, headers: { ...options.headers, [CALLER_HEADER]: signed } });
      },
    },
  ],
};
