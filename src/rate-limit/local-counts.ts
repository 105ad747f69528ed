// Counts kept in this instance between syncs with a shared counter: while a client is far below
// both limits, its requests are counted here and added to the shared count later in one step
// (docs/ARCHITECTURE.md, "Rate limits"). Pure bookkeeping: the counter does the I/O.
import type { Clock } from "../clock.js";
import type { ClientStanding, CountedLimits, WindowCount } from "./rate-limit-counter.js";

/** A client's shared counts as last read, plus what this instance counted since. */
export interface ClientCounts {
  /** Shared counts at the last sync (this instance's synced requests included). */
  requests: WindowCount | undefined;
  failures: WindowCount | undefined;
  /** Requests counted here and not yet sent to the shared counter. */
  pending: number;
  /** Requests sent to the shared counter whose answer has not come yet. */
  sending: number;
  /** When the shared counts were read, ms since the epoch. */
  syncedAt: number;
}

/** What a local count must stay under: half of each limit, so every decision near a limit reads the shared count. */
const LOCAL_SHARE = 0.5;

/** The counts of all clients seen within the last sync intervals. */
export interface LocalCounts {
  /**
   * Counts one request of `key` here and returns its standing, or `undefined` when it must be
   * counted on the shared counter: no fresh shared counts (older than the sync interval, or a
   * window ended since), or the client is past half of a limit.
   */
  countLocally(key: string): ClientStanding | undefined;
  /** Takes the requests counted here for `key` to send them: they count as sending until `synced` or `unsent`. */
  takePending(key: string): number;
  /** Records shared counts just read for `key`, in the answer that added `sent` taken requests. */
  synced(key: string, requests: WindowCount | undefined, failures: WindowCount | undefined, sent: number): void;
  /** `sent` taken requests failed to reach the shared counter: they are not counted anywhere. */
  unsent(key: string, sent: number): void;
  /** Records a failure count just read for `key`. */
  failuresSynced(key: string, failures: WindowCount | undefined): void;
  /** Keys with requests not yet added to the shared count. */
  pendingKeys(): string[];
  /** Forgets clients whose counts are stale and have nothing pending (bounds memory). */
  prune(): void;
  readonly size: number;
}

const withHits = (count: WindowCount | undefined, add: number): WindowCount | undefined =>
  count === undefined ? undefined : { hits: count.hits + add, resetAt: count.resetAt };

const current = (count: WindowCount | undefined, now: number): boolean => count?.resetAt === undefined || now < count.resetAt;

/** Local counts for `limits`, fresh for `syncMs` after each sync. */
export function createLocalCounts(limits: CountedLimits, syncMs: number, clock: Clock): LocalCounts {
  const clients = new Map<string, ClientCounts>();
  const requestCap = limits.requests ? Math.floor((limits.requestsPerWindow ?? 0) * LOCAL_SHARE) : Infinity;
  const failureCap = limits.failures ? Math.floor((limits.failuresPerWindow ?? 0) * LOCAL_SHARE) : Infinity;

  const fresh = (client: ClientCounts, now: number): boolean =>
    now - client.syncedAt < syncMs && current(client.requests, now) && current(client.failures, now);

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
    takePending(key) {
      const client = clients.get(key);
      if (client === undefined) return 0;
      const pending = client.pending;
      client.pending = 0;
      client.sending += pending;
      return pending;
    },
    synced(key, requests, failures, sent) {
      const client = clients.get(key);
      const syncedAt = clock.now();
      if (client === undefined) {
        clients.set(key, { requests, failures, pending: 0, sending: 0, syncedAt });
        return;
      }
      client.requests = requests;
      client.failures = failures;
      client.sending -= sent;
      client.syncedAt = syncedAt;
    },
    unsent(key, sent) {
      const client = clients.get(key);
      if (client !== undefined) client.sending -= sent;
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
