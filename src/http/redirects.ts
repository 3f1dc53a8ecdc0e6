/**
 * Where a sign-in may send the browser afterwards: a path on the same tenant, nothing else. A RelayState that is
 * absolute, protocol-relative (`//evil.test`), backslashed (`/\evil.test`, which browsers read as `//`), or that
 * resolves to another origin is ignored — never followed (no open redirect).
 */
const MAX_RELAY_STATE = 2048;

export function safeRelayPath(value: string | null | undefined, origin: string): string | null {
  if (!value || value.length > MAX_RELAY_STATE) return null;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || /[\u0000-\u001f\u007f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : null;
}
