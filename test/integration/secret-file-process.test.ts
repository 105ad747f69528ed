// The serve process with WEBHOOK_SECRET_FILE: SIGHUP re-reads (and does not end it), a swapped file
// applies, and SIGTERM still ends it cleanly (the watches keep nothing alive).
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { createSecretVolume } from "../support/secret-volume.js";
import { startServiceProcess } from "../support/service-process.js";

const OLD = `old_${randomBytes(16).toString("hex")}`;
const NEW = `new_${randomBytes(16).toString("hex")}`;
const volume = createSecretVolume({ "webhook-secret": `${OLD}\n` });
afterAll(() => volume.remove());

describe("serve with WEBHOOK_SECRET_FILE", () => {
  it("survives SIGHUP, applies a swapped file, and exits 0 on SIGTERM", async () => {
    const service = await startServiceProcess({ WEBHOOK_SECRET: "", WEBHOOK_SECRET_FILE: volume.path("webhook-secret") });
    const post = async (secret: string): Promise<number> => {
      const body = uniqueEvent();
      const response = await fetch(service.webhookUrl, { method: "POST", body, headers: { "content-type": "application/json", ...chatgptHeaders(body, secret) } });
      return response.status;
    };
    try {
      service.signal("SIGHUP");
      expect(await post(OLD)).toBe(200);
      volume.update({ "webhook-secret": `${NEW}\n` });
      await service.waitFor('"msg":"secret file reloaded"');
      expect(await post(NEW)).toBe(200);
      expect(await post(OLD)).toBe(401);
    } finally {
      expect(await service.stop()).toBe(0);
    }
    expect(service.output()).not.toContain(OLD);
    expect(service.output()).not.toContain(NEW);
  });
});
