import { authHeaders } from './stack';

export interface ResponseBody {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: ResponseBody | undefined;
}

/**
 * One HTTP request as a client (or an attacker) would send it; never throws on an HTTP error status. It carries the
 * test stack's all-scopes key unless `init.headers` sets an authorization of its own: hostile requests come from key holders too.
 */
export async function send(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const response = await fetch(url, { ...init, headers: { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) } });
  const text = await response.text();
  let json: ResponseBody | undefined;
  try {
    json = JSON.parse(text) as ResponseBody;
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
}

/** POSTs a JSON body (any value: arrays and bad shapes included). */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
