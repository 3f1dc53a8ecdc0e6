import { describe, expect, it } from "vitest";
import { createTestTenant, oktaUser, scim } from "../helpers/tenant";

describe("smoke", () => {
  it("creates and reads a user", async () => {
    const tenant = await createTestTenant();
    const created = await scim(tenant, "POST", "/Users", oktaUser("ada.lovelace@acme.test"));
    expect(created.status).toBe(201);
    const read = await scim(tenant, "GET", `/Users/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.userName).toBe("ada.lovelace@acme.test");
  });
});
