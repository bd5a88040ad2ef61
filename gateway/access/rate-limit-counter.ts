import type { GatewayRepository } from '../../common/data/gateway/gateway.repository';

/** A key's totals for its current minute, as one request sees them. */
export interface Used {
  requests: number;
  cost: number;
  secondsLeft: number;
}

interface Waiter {
  cost: number;
  resolve: (used: Used) => void;
  reject: (err: unknown) => void;
}

/**
 * Rate-limit counting in Postgres with one upsert in flight per key: the hits of a key that arrive while its upsert runs
 * are counted together in the next one (group commit). Every request still gets the totals up to and including itself,
 * as if each had sent its own upsert in arrival order, and replicas still share one atomic count; 50 requests in flight
 * for one key no longer queue 50 statements on the same row lock and the gateway's small pool.
 */
export class RateLimitCounter {
  private readonly running = new Set<string>();
  private readonly pending = new Map<string, Waiter[]>();

  constructor(private readonly repository: GatewayRepository) {}

  hit(key: string, cost: number): Promise<Used> {
    return new Promise<Used>((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ cost, resolve, reject });
      else this.pending.set(key, [{ cost, resolve, reject }]);
      if (!this.running.has(key)) void this.send(key);
    });
  }

  private async send(key: string): Promise<void> {
    const batch = this.pending.get(key);
    if (!batch) return;
    this.pending.delete(key);
    this.running.add(key);
    try {
      const batchCost = batch.reduce((sum, w) => sum + w.cost, 0);
      const used = await this.repository.hit(key, batchCost, batch.length);
      // The batch's requests counted in arrival order: each sees the totals before the batch plus itself and those before it.
      let requests = used.requests - batch.length;
      let cost = used.cost - batchCost;
      for (const waiter of batch) {
        requests += 1;
        cost += waiter.cost;
        waiter.resolve({ requests, cost, secondsLeft: used.secondsLeft });
      }
    } catch (err) {
      for (const waiter of batch) waiter.reject(err);
    } finally {
      this.running.delete(key);
      if (this.pending.has(key)) void this.send(key);
    }
  }
}
