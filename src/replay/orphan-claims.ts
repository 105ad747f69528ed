// Claims whose answer never reached us: released (owner-checked) once Redis answers again, so retries are not blocked.

/** Options of {@link createOrphanClaims}. */
export interface OrphanClaimsOptions {
  /** Owner-checked release; resolves when Redis answered (either way), rejects when it did not. */
  readonly release: (key: string, owner: string) => Promise<unknown>;
  /** Most orphans remembered; the oldest are dropped first (their leases free them anyway). Defaults to 10000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/** The claims a timed-out or broken command may have made, waiting to be released. */
export interface OrphanClaims {
  /**
   * Remembers a claim attempt that failed without an answer, until its lease would have ended.
   * `late` is the command still in flight: when it settles, Redis is answering, so a flush starts.
   */
  add(key: string, owner: string, leaseMs: number, late: Promise<unknown>): void;
  /** Tries to release every orphan; those Redis did not answer for stay for the next flush. */
  flush(): Promise<void>;
  /** Orphans still remembered. */
  readonly size: number;
  /** Forgets every orphan. */
  clear(): void;
}

interface Orphan {
  readonly key: string;
  readonly owner: string;
  readonly expiresAt: number;
}

/** Creates the tracker. A flush never throws; concurrent flush requests share one run plus one rerun. */
export function createOrphanClaims(options: OrphanClaimsOptions): OrphanClaims {
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  // Keyed by owner: unique per claim attempt, so one key claimed twice is two orphans.
  const orphans = new Map<string, Orphan>();
  let running: Promise<void> | undefined;
  let again = false;

  async function releaseAll(): Promise<void> {
    for (const [owner, orphan] of [...orphans]) {
      if (orphan.expiresAt <= now()) {
        orphans.delete(owner);
        continue;
      }
      try {
        await options.release(orphan.key, orphan.owner);
        orphans.delete(owner);
      } catch {
        return; // Redis is not answering: keep the rest for the next flush.
      }
    }
  }

  async function flush(): Promise<void> {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await releaseAll();
      } while (again && orphans.size > 0);
    })();
    try {
      await running;
    } finally {
      running = undefined;
    }
  }

  return {
    add(key, owner, leaseMs, late) {
      if (orphans.size >= max) {
        const oldest = orphans.keys().next();
        if (oldest.done !== true) orphans.delete(oldest.value);
      }
      orphans.set(owner, { key, owner, expiresAt: now() + leaseMs });
      void late.then(flush, flush);
    },
    flush,
    get size() {
      return orphans.size;
    },
    clear: () => orphans.clear(),
  };
}
