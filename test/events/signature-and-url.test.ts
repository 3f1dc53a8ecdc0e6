/**
 * The pure rules of webhook delivery: the signature a host app verifies (and what it must refuse), which URLs may
 * receive events, and the retry schedule. The signature is also checked independently, with node:crypto, by the
 * test receiver in webhooks.test.ts.
 */
import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../src/events/retry";
import { signWebhookBody, verifyWebhookSignature } from "../../src/events/signature";
import { validateWebhookUrl } from "../../src/events/webhook-url";

const SECRET = "whsec_test-secret-0123456789";
const BODY = '{"id":"aud_1","type":"user.created","data":{"userName":"ada@acme.test"}}';
const NOW = Date.UTC(2026, 3, 1, 12, 0, 0);

describe("webhook signatures", () => {
  it("verifies what it signed, at the time it was sent and within the tolerance", async () => {
    const header = await signWebhookBody(SECRET, BODY, NOW);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW)).toEqual({ ok: true, timestamp: NOW / 1000 });
    expect((await verifyWebhookSignature(SECRET, header, BODY, NOW + 299_000)).ok).toBe(true);
  });

  it("matches an HMAC-SHA256 over `${t}.${body}` keyed with the secret's text", async () => {
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${NOW / 1000}.${BODY}`)));
    const hex = [...mac].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    expect(await signWebhookBody(SECRET, BODY, NOW)).toBe(`t=${NOW / 1000},v1=${hex}`);
  });

  it.each([
    ["a changed body", SECRET, BODY.replace("ada", "eve"), NOW, "signature_mismatch"],
    ["another secret", "whsec_other", BODY, NOW, "signature_mismatch"],
    ["a replay six minutes later", SECRET, BODY, NOW + 360_000, "timestamp_outside_tolerance"],
    ["a timestamp from the future", SECRET, BODY, NOW - 360_000, "timestamp_outside_tolerance"],
  ])("refuses %s", async (_, secret, body, now, reason) => {
    const header = await signWebhookBody(SECRET, BODY, NOW);
    expect(await verifyWebhookSignature(secret, header, body, now)).toEqual({ ok: false, reason });
  });

  it("refuses a timestamp moved to now, since the MAC covers it", async () => {
    const header = await signWebhookBody(SECRET, BODY, NOW - 3_600_000);
    const moved = header.replace(/^t=\d+/, `t=${NOW / 1000}`);
    expect(await verifyWebhookSignature(SECRET, moved, BODY, NOW)).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("accepts any one matching v1 (a secret being rotated) and ignores unknown fields", async () => {
    const header = await signWebhookBody(SECRET, BODY, NOW);
    const v1 = header.split("v1=")[1]!;
    expect((await verifyWebhookSignature(SECRET, `t=${NOW / 1000},v1=${"0".repeat(64)},v2=whatever,v1=${v1}`, BODY, NOW)).ok).toBe(true);
  });

  it.each([
    ["no header", null],
    ["an empty header", ""],
    ["no timestamp", `v1=${"a".repeat(64)}`],
    ["no v1", "t=1775044800"],
    ["two timestamps", `t=1775044800,t=1775044801,v1=${"a".repeat(64)}`],
    ["a non-numeric timestamp", `t=soon,v1=${"a".repeat(64)}`],
    ["a short MAC", "t=1775044800,v1=abc"],
    ["an upper-case MAC", `t=1775044800,v1=${"A".repeat(64)}`],
    ["a header of 2 KB", `t=1775044800,${"v1=".padEnd(2048, "a")}`],
  ])("refuses %s as malformed", async (_, header) => {
    expect(await verifyWebhookSignature(SECRET, header, BODY, NOW)).toEqual({ ok: false, reason: "malformed_header" });
  });
});

describe("webhook URLs", () => {
  it.each([
    ["https://app.example.com/hooks/gatehouse", "https://app.example.com/hooks/gatehouse"],
    ["  https://App.Example.com:8443/h?tenant=acme  ", "https://app.example.com:8443/h?tenant=acme"],
    ["http://localhost:3000/hooks", "http://localhost:3000/hooks"],
    ["http://127.0.0.1:3000/hooks", "http://127.0.0.1:3000/hooks"],
    ["http://app.localhost:3000/hooks", "http://app.localhost:3000/hooks"],
    ["https://[2606:4700::1111]/hooks", "https://[2606:4700::1111]/hooks"],
  ])("accepts %s", (input, url) => {
    expect(validateWebhookUrl(input)).toEqual({ ok: true, url });
  });

  it.each([
    ["", "empty"],
    ["app.example.com/hooks", "not_a_url"],
    ["ftp://app.example.com/hooks", "not_a_url"],
    ["javascript:alert(1)", "not_a_url"],
    ["http://app.example.com/hooks", "not_https"],
    ["https://user:secret@app.example.com/hooks", "credentials"],
    ["https://app.example.com/hooks#top", "fragment"],
    ["https://10.1.2.3/hooks", "private_address"],
    ["https://172.20.0.1/hooks", "private_address"],
    ["https://192.168.1.10/hooks", "private_address"],
    ["https://169.254.169.254/latest/meta-data", "private_address"],
    ["https://100.64.0.1/hooks", "private_address"],
    ["https://127.0.0.2/hooks", "private_address"],
    ["https://0x7f000002/hooks", "private_address"],
    ["https://0.0.0.0/hooks", "private_address"],
    ["https://[::1]/hooks", "private_address"],
    ["https://[fd00::1]/hooks", "private_address"],
    ["https://[::ffff:10.0.0.1]/hooks", "private_address"],
    ["https://intranet/hooks", "single_label_host"],
    [`https://app.example.com/${"a".repeat(2048)}`, "too_long"],
  ])("refuses %s (%s)", (input, reason) => {
    const checked = validateWebhookUrl(input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.reason).toBe(reason);
      expect(checked.message.length).toBeGreaterThan(10);
    }
  });
});

describe("retry schedule", () => {
  it("doubles from the base after each failed attempt, at most an hour", () => {
    expect([1, 2, 3, 4, 10, 11, 13, 50].map((attempt) => retryDelaySeconds(attempt, 2))).toEqual([2, 4, 8, 16, 1024, 2048, 3600, 3600]);
    expect(retryDelaySeconds(5, 0)).toBe(0);
  });
});
