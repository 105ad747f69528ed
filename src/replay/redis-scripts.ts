// The replay store's Lua scripts: an atomic claim and owner-checked extend / complete / release, run by EVALSHA.
import { defineScript } from "../redis/redis-script.js";

/**
 * Value of a done entry. Owner tokens are UUIDs, so it never equals one; the store also refuses
 * it as an owner argument.
 */
export const DONE_MARKER = "done";

/**
 * KEYS[1] = entry, ARGV = owner, lease ms. Claims with `SET NX PX`; when the key exists, returns
 * its value (the done marker or another owner) from the same atomic step, nil when claimed.
 * (A script rather than `SET ... NX GET` so Redis before 7.0 works too.)
 */
export const CLAIM = defineScript(
  "claim",
  `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])`,
);

/** KEYS[1] = entry, ARGV = owner, lease ms. Resets the lease only while `owner` holds the claim. */
export const EXTEND = defineScript(
  "extend",
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
);

/** KEYS[1] = entry, ARGV = owner, done marker, ttl ms. Turns the claim into a done entry, owner only. */
export const COMPLETE = defineScript(
  "complete",
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`,
);

/** KEYS[1] = entry, ARGV = owner. Deletes the claim, owner only. */
export const RELEASE = defineScript(
  "release",
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);
