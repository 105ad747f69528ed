// Counts kept in this instance between syncs with a shared counter: while a client is far below
// both limits, its requests are counted here and added to the shared count later in one step
// (docs/ARCHITECTURE.md, "Rate limits"). Pure bookkeeping: the counter does the I/O.
import type { Clock } from "../clock.js";
import type { ClientStanding, CountedLimits, WindowCount } from "./rate-limit-counter.js";

/** A client's shared counts as last read, plus what this instance counted since. */
interface ClientCounts {
  /** Shared counts at the last sync (this instance's synced requests included). */
  requests: WindowCount | undefined;
  failures: WindowCount | undefined;
  /** Requests counted here and not yet sent to the shared counter. */
  pending: number;
  /** Requests sent to the shared counter whose answer has not come yet. */
  sending: number;
  /** When the shared counts were read, ms since the epoch (-Infinity: never). */
  syncedAt: number;
}

/** Requests of one client on their way to the shared counter. */
export interface Batch {
  readonly key: string;
  readonly count: number;
  /** Whether the batch is counted as sending (false when the client table was full). */
  readonly tracked: boolean;
}

/** What a local count must stay under: half of each limit, so decisions near a limit read the shared count. */
const LOCAL_SHARE = 0.5;

/** Clients tracked at most; past it new clients are counted in Redis only (a flood of addresses cannot grow the table). */
export const MAX_TRACKED_CLIENTS = 100_000;

/** The counts of the clients seen within about the last sync interval. */
export interface LocalCounts {
  /**
   * Counts one request of `key` here and returns its standing, or `undefined` when it must be
   * counted on the shared counter: no fresh shared counts (read longer than the sync interval
   * ago, or a window ended since), or the client is past half of a limit.
   */
  countLocally(key: string): ClientStanding | undefined;
  /**
   * Takes `key`'s requests counted here plus `extra` requests not counted yet, to send them: they
   * count as sending until `synced` or `unsent`. Requests of a window that has ended are dropped.
   */
  take(key: string, extra: number): Batch;
  /** Records shared counts just read for `batch.key`, in the answer that added `batch`. */
  synced(batch: Batch, requests: WindowCount | undefined, failures: WindowCount | undefined): void;
  /**
   * `batch` got no answer: this instance no longer counts it (Redis may still have applied it,
   * after a timeout).
   */
  unsent(batch: Batch): void;
  /** Records a failure count just read for `key`. */
  failuresSynced(key: string, failures: WindowCount | undefined): void;
  /** Keys with requests not yet sent to the shared counter. */
  pendingKeys(): string[];
  /** Forgets clients whose counts are stale and have nothing pending or sending (bounds memory). */
  prune(): void;
  readonly size: number;
}

const withHits = (count: WindowCount | undefined, add: number): WindowCount | undefined =>
  count === undefined ? undefined : { hits: count.hits + add, resetAt: count.resetAt };

const ended = (count: WindowCount | undefined, now: number): boolean => count?.resetAt !== undefined && now >= count.resetAt;

/** Local counts for `limits`, fresh for `syncMs` after each sync; `maxClients` bounds the table. */
export function createLocalCounts(limits: CountedLimits, syncMs: number, clock: Clock, maxClients = MAX_TRACKED_CLIENTS): LocalCounts {
  const clients = new Map<string, ClientCounts>();
  const requestCap = limits.requests ? Math.floor((limits.requestsPerWindow ?? 0) * LOCAL_SHARE) : Infinity;
  const failureCap = limits.failures ? Math.floor((limits.failuresPerWindow ?? 0) * LOCAL_SHARE) : Infinity;

  const fresh = (client: ClientCounts, now: number): boolean =>
    now - client.syncedAt < syncMs && !ended(client.requests, now) && !ended(client.failures, now);

  return {
    countLocally(key) {
      const client = clients.get(key);
      if (client === undefined || syncMs <= 0) return undefined;
      const now = clock.now();
      if (!fresh(client, now)) return undefined;
      if (limits.requests && (client.requests === undefined || client.requests.hits + client.sending + client.pending + 1 > requestCap)) return undefined;
      if (limits.failures && (client.failures === undefined || client.failures.hits >= failureCap)) return undefined;
      client.pending += 1;
      return { requests: withHits(client.requests, client.sending + client.pending), failures: client.failures };
    },
    take(key, extra) {
      let client = clients.get(key);
      if (client === undefined) {
        if (clients.size >= maxClients) return { key, count: extra, tracked: false };
        client = { requests: undefined, failures: undefined, pending: 0, sending: 0, syncedAt: -Infinity };
        clients.set(key, client);
      }
      // Requests of a window that has ended belong to no window Redis still counts.
      const pending = ended(client.requests, clock.now()) ? 0 : client.pending;
      client.pending = 0;
      client.sending += pending + extra;
      return { key, count: pending + extra, tracked: true };
    },
    synced(batch, requests, failures) {
      const client = clients.get(batch.key);
      if (client === undefined) {
        if (clients.size < maxClients) clients.set(batch.key, { requests, failures, pending: 0, sending: 0, syncedAt: clock.now() });
        return;
      }
      // Answers on one connection come in order: the latest holds every earlier count.
      client.requests = requests;
      client.failures = failures;
      client.syncedAt = clock.now();
      if (batch.tracked) client.sending -= batch.count;
    },
    unsent(batch) {
      const client = clients.get(batch.key);
      if (client !== undefined && batch.tracked) client.sending -= batch.count;
    },
    failuresSynced(key, failures) {
      const client = clients.get(key);
      if (client !== undefined) client.failures = failures;
    },
    pendingKeys() {
      const keys: string[] = [];
      for (const [key, client] of clients) if (client.pending > 0) keys.push(key);
      return keys;
    },
    prune() {
      const now = clock.now();
      for (const [key, client] of clients) if (client.pending === 0 && client.sending === 0 && !fresh(client, now)) clients.delete(key);
    },
    get size() {
      return clients.size;
    },
  };
}
