// Token provider policy on a fake clock and a fake fetch: cache, single-flight, refresh-ahead, retries, timeouts.
import { describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/oauth/index.js";
import type { HttpFetch, TokenProviderOptions } from "../../src/oauth/index.js";

interface Harness {
  readonly now: { value: number };
  readonly calls: { count: number; bodies: string[] };
  readonly sleeps: number[];
  options(overrides?: Partial<TokenProviderOptions>): TokenProviderOptions;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A harness whose fetch answers with `answer(n)` for the n-th call (1-based). */
function harness(answer: (n: number, signal: AbortSignal | undefined) => Promise<Response> | Response): Harness {
  const now = { value: 1_700_000_000_000 };
  const calls = { count: 0, bodies: [] as string[] };
  const sleeps: number[] = [];
  const fetch: HttpFetch = async (_url, init) => {
    calls.count++;
    calls.bodies.push(init.body instanceof URLSearchParams ? init.body.toString() : "");
    return answer(calls.count, init.signal ?? undefined);
  };
  return {
    now,
    calls,
    sleeps,
    options: (overrides = {}) => ({
      tokenEndpoint: "https://as.example.test/token",
      clientId: "client-1",
      scopes: ["webhooks:verify"],
      auth: { method: "client_secret_post", clientSecret: "the-client-secret" },
      clock: { now: () => now.value },
      fetch,
      random: () => 0.5,
      sleep: (ms) => {
        sleeps.push(ms);
        now.value += ms;
        return Promise.resolve();
      },
      ...overrides,
    }),
  };
}

/** A fetch answer that never comes: it rejects when the request's signal fires (as undici's does). */
const hang = (signal: AbortSignal | undefined): Promise<Response> =>
  new Promise<Response>((_resolve, reject) => {
    if (signal?.aborted) reject(signal.reason as Error);
    signal?.addEventListener("abort", () => reject(signal.reason as Error));
  });

const tokenBody = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  access_token: `token-${n}`,
  token_type: "Bearer",
  expires_in: 3600,
  scope: "webhooks:verify",
  ...extra,
});

describe("cache and single-flight", () => {
  it("50 concurrent callers share one request, later callers hit the cache", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const h = harness(async (n) => {
      await gate;
      return json(200, tokenBody(n));
    });
    const provider = createTokenProvider(h.options());
    const all = Promise.all(Array.from({ length: 50 }, () => provider.getToken()));
    release();
    expect(new Set(await all)).toEqual(new Set(["token-1"]));
    await expect(provider.getToken()).resolves.toBe("token-1");
    expect(h.calls.count).toBe(1);
    expect(h.calls.bodies[0]).toContain("grant_type=client_credentials");
    expect(h.calls.bodies[0]).toContain("scope=webhooks%3Averify");
  });

  it("sends the audience as RFC 8707 resource", async () => {
    const h = harness((n) => json(200, tokenBody(n)));
    await createTokenProvider(h.options({ audience: "https://keys.example.test/" })).getToken();
    expect(h.calls.bodies[0]).toContain("resource=https%3A%2F%2Fkeys.example.test%2F");
  });

  it("invalidate() drops the cached token", async () => {
    const h = harness((n) => json(200, tokenBody(n)));
    const provider = createTokenProvider(h.options());
    await provider.getToken();
    provider.invalidate();
    await expect(provider.getToken()).resolves.toBe("token-2");
  });
});

describe("refresh-ahead on a fake clock", () => {
  it("serves the cached token and refreshes once in the background within 60 s of expiry", async () => {
    const h = harness((n) => json(200, tokenBody(n)));
    const provider = createTokenProvider(h.options());
    const start = h.now.value;
    await provider.getToken();
    h.now.value = start + 3_539_000; // 61 s before expiry: still plainly cached
    await expect(provider.getToken()).resolves.toBe("token-1");
    expect(h.calls.count).toBe(1);
    h.now.value = start + 3_541_000; // 59 s before expiry: refresh-ahead window
    const [a, b] = await Promise.all([provider.getToken(), provider.getToken()]);
    expect([a, b]).toEqual(["token-1", "token-1"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.calls.count).toBe(2);
    await expect(provider.getToken()).resolves.toBe("token-2");
  });

  it("a failed background refresh keeps serving the token until its expiry skew, then callers wait", async () => {
    const h = harness((n) => (n === 1 ? json(200, tokenBody(n)) : n === 2 ? json(400, { error: "invalid_grant" }) : json(200, tokenBody(n))));
    const provider = createTokenProvider(h.options());
    const start = h.now.value;
    await provider.getToken();
    h.now.value = start + 3_550_000;
    await expect(provider.getToken()).resolves.toBe("token-1");
    await new Promise((resolve) => setImmediate(resolve));
    h.now.value = start + 3_591_000; // inside the last 10 s: no longer handed out
    await expect(provider.getToken()).resolves.toBe("token-3");
  });

  it("a response without expires_in lives the default 300 s (refresh at 240 s)", async () => {
    const h = harness((n) => json(200, tokenBody(n, { expires_in: undefined })));
    const provider = createTokenProvider(h.options());
    const start = h.now.value;
    await provider.getToken();
    h.now.value = start + 239_000;
    await provider.getToken();
    expect(h.calls.count).toBe(1);
    h.now.value = start + 241_000;
    await provider.getToken();
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.calls.count).toBe(2);
  });
});

describe("refresh-ahead of short-lived tokens (README: 60 s, or half the token's life if shorter)", () => {
  it.each([
    // [expires_in, last second with no refresh, first second with one]: half the life, not life - 60 s.
    [100, 49, 51],
    [60, 29, 31],
    [30, 14, 16],
  ])("a token of %i s is refreshed from half its life on", async (expiresIn, quietSecond, refreshSecond) => {
    let second!: () => void;
    const refreshed = new Promise<void>((resolve) => (second = resolve));
    const h = harness((n) => {
      if (n === 2) second();
      return json(200, tokenBody(n, { expires_in: expiresIn }));
    });
    const provider = createTokenProvider(h.options());
    const start = h.now.value;
    await provider.getToken();
    h.now.value = start + quietSecond * 1000;
    await expect(provider.getToken()).resolves.toBe("token-1");
    h.now.value = start + refreshSecond * 1000;
    await expect(provider.getToken()).resolves.toBe("token-1"); // still served while the next one comes
    // The background request is sent (a counted event, with a deadline instead of the test's).
    let deadline: NodeJS.Timeout | undefined;
    const sent = await Promise.race([refreshed.then(() => true), new Promise<false>((resolve) => (deadline = setTimeout(() => resolve(false), 5_000)))]);
    clearTimeout(deadline);
    expect(sent).toBe(true);
    expect(h.calls.count).toBe(2);
  });

  it("sends no refresh before half the life (checked at every second of the first half)", async () => {
    const h = harness((n) => json(200, tokenBody(n, { expires_in: 100 })));
    const provider = createTokenProvider(h.options());
    const start = h.now.value;
    await provider.getToken();
    for (let second = 1; second <= 49; second++) {
      h.now.value = start + second * 1000;
      await provider.getToken();
    }
    expect(h.calls.count).toBe(1);
  });
});

describe("default retry limits (README: at most 3 retries, 30 s in all)", () => {
  it("retries a network error 3 times by default, then fails", async () => {
    const h = harness(() => Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) })));
    const options = h.options();
    const error = await createTokenProvider({ ...options, maxRetries: undefined, maxTotalMs: undefined }).getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "token_request_failed", retryable: true });
    expect(h.calls.count).toBe(4);
  });

  it("honours a Retry-After inside the 30 s budget by default, and stops at one beyond it", async () => {
    const within = harness((n) => (n === 1 ? json(503, {}, { "retry-after": "20" }) : json(200, tokenBody(n))));
    await expect(createTokenProvider({ ...within.options(), maxTotalMs: undefined }).getToken()).resolves.toBe("token-2");
    expect(within.sleeps).toEqual([20_000]);
    const beyond = harness(() => json(503, {}, { "retry-after": "31" }));
    await expect(createTokenProvider({ ...beyond.options(), maxTotalMs: undefined }).getToken()).rejects.toMatchObject({ status: 503, retryAfterMs: 31_000 });
    expect(beyond.calls.count).toBe(1);
    expect(beyond.sleeps).toEqual([]);
  });
});

describe("retries", () => {
  it("never retries a 400 / 401 and reports the RFC 6749 error code", async () => {
    const h = harness(() => json(400, { error: "invalid_scope", error_description: "nope" }));
    await expect(createTokenProvider(h.options()).getToken()).rejects.toMatchObject({ code: "token_request_rejected", error: "invalid_scope", status: 400, retryable: false });
    expect(h.calls.count).toBe(1);
  });

  it("retries network errors with full-jitter exponential backoff, bounded by maxRetries", async () => {
    const h = harness(() => Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) })));
    const error = await createTokenProvider(h.options({ maxRetries: 3 })).getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "token_request_failed", retryable: true, cause: { code: "ECONNREFUSED" } });
    expect(h.calls.count).toBe(4);
    expect(h.sleeps).toEqual([100, 200, 400]); // random 0.5 x 200 ms x 2^n
  });

  it("stops when the total time budget would be exceeded, and when Retry-After is beyond it", async () => {
    const h = harness(() => json(503, {}, { "retry-after": "120" }));
    await expect(createTokenProvider(h.options({ maxTotalMs: 30_000 })).getToken()).rejects.toMatchObject({ code: "token_request_failed", status: 503, retryAfterMs: 120_000 });
    expect(h.calls.count).toBe(1);
  });

  it("times out each attempt through its AbortSignal", async () => {
    const h = harness((_n, signal) => hang(signal));
    await expect(createTokenProvider(h.options({ timeoutMs: 20, maxRetries: 1 })).getToken()).rejects.toMatchObject({ code: "token_request_timeout" });
    expect(h.calls.count).toBe(2);
  });
});

describe("response validation", () => {
  it.each([
    ["no access_token", { token_type: "Bearer" }],
    ["a DPoP token", { access_token: "secret-token-value", token_type: "DPoP" }],
  ])("%s -> invalid_token_response, no token in the error", async (_name, body) => {
    const h = harness(() => json(200, body));
    const error = await createTokenProvider(h.options()).getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_token_response", retryable: false });
    expect(JSON.stringify(error) + String(error) + String((error as Error).cause)).not.toContain("secret-token-value");
  });

  it("a granted scope lacking a required one -> insufficient_scope", async () => {
    const h = harness((n) => json(200, tokenBody(n, { scope: "webhooks:read" })));
    await expect(createTokenProvider(h.options()).getToken()).rejects.toMatchObject({ code: "insufficient_scope" });
  });
});

describe("configuration and lifecycle", () => {
  it("refuses http:// on a non-loopback host", () => {
    const h = harness((n) => json(200, tokenBody(n)));
    expect(() => createTokenProvider(h.options({ tokenEndpoint: "http://as.example.test/token" }))).toThrow(expect.objectContaining({ code: "invalid_config", variable: "TOKEN_ENDPOINT" }) as Error);
  });

  it("close() aborts and later calls fail with token_provider_closed", async () => {
    const h = harness((_n, signal) => hang(signal));
    const provider = createTokenProvider(h.options());
    const pending = provider.getToken();
    await provider.close();
    await expect(pending).rejects.toMatchObject({ code: "token_provider_closed" });
    await expect(provider.getToken()).rejects.toMatchObject({ code: "token_provider_closed" });
  });
});
