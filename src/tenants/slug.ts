/**
 * Tenant slugs are DNS labels under the Gatehouse domain. Lower-case letters, digits and inner hyphens only:
 * no `_` (Okta rejects base URLs whose host has one), 3–63 characters (63 is the DNS label limit).
 */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;

/** Names that would read as the vendor's own hosts, or that are easy to phish with. */
export const RESERVED_SLUGS = new Set([
  "admin", "api", "app", "apps", "assets", "auth", "billing", "cdn", "console", "dashboard", "docs", "gatehouse",
  "help", "id", "identity", "internal", "login", "mail", "oauth", "oidc", "okta", "operator", "ops", "root", "saml",
  "scim", "secure", "settings", "signin", "sso", "static", "status", "support", "system", "www",
]);

export type SlugCheck = { ok: true; slug: string } | { ok: false; reason: string };

export function checkSlug(input: string): SlugCheck {
  if (input.length < 3 || input.length > 63) return { ok: false, reason: "A tenant slug has 3 to 63 characters." };
  if (!SLUG_PATTERN.test(input)) {
    return { ok: false, reason: "A tenant slug uses lower-case letters, digits and hyphens (not at either end); no underscores." };
  }
  if (input.includes("--")) return { ok: false, reason: "A tenant slug cannot contain two hyphens in a row." };
  if (RESERVED_SLUGS.has(input)) return { ok: false, reason: `"${input}" is reserved.` };
  return { ok: true, slug: input };
}
