// Counting deliveries in flight (including handlers that outlived their timeout) for graceful drain.

/** A counter whose `drained()` resolves when it next reaches zero. */
export interface InFlight {
  begin(): void;
  end(): void;
  readonly count: number;
  /** Resolves once nothing is in flight (at once when nothing is). */
  drained(): Promise<void>;
}

/** Creates an in-flight counter. */
export function createInFlight(): InFlight {
  let count = 0;
  let waiters: Array<() => void> = [];
  return {
    begin() {
      count++;
    },
    end() {
      count--;
      if (count === 0 && waiters.length > 0) {
        const toWake = waiters;
        waiters = [];
        for (const wake of toWake) wake();
      }
    },
    get count() {
      return count;
    },
    drained() {
      return count === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
