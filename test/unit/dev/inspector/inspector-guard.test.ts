// Who may use the inspector's data and actions: the dev token in its header, and no other site.
import { describe, expect, it } from "vitest";
import { inspectorRefusal } from "../../../../src/dev/inspector/inspector-guard.js";

const TOKEN = "dev-token-value";

describe("inspectorRefusal", () => {
  it("lets the page's own requests with the token through", () => {
    expect(inspectorRefusal({ "x-dev-token": TOKEN }, TOKEN)).toBeUndefined();
    expect(inspectorRefusal({ "x-dev-token": TOKEN, "sec-fetch-site": "same-origin" }, TOKEN)).toBeUndefined();
    expect(inspectorRefusal({ "x-dev-token": TOKEN, "sec-fetch-site": "none" }, TOKEN)).toBeUndefined();
  });

  it("refuses a missing or wrong token with 401", () => {
    expect(inspectorRefusal({}, TOKEN)).toEqual({ status: 401, error: "dev_token_required" });
    expect(inspectorRefusal({ "x-dev-token": `${TOKEN}x` }, TOKEN)).toEqual({ status: 401, error: "dev_token_required" });
    expect(inspectorRefusal({ "x-dev-token": "" }, TOKEN)).toEqual({ status: 401, error: "dev_token_required" });
  });

  it("refuses another site's requests with 403, token or not", () => {
    for (const site of ["cross-site", "same-site"]) {
      expect(inspectorRefusal({ "x-dev-token": TOKEN, "sec-fetch-site": site }, TOKEN)).toEqual({ status: 403, error: "cross_origin_request" });
    }
  });
});
