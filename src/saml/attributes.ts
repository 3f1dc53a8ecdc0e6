/**
 * The profile a SAML assertion carries, under the attribute names Okta's and Entra's apps use by default. Pure.
 */
const NAMES = {
  givenName: ["firstName", "givenName", "given_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"],
  familyName: ["lastName", "surname", "familyName", "family_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"],
  email: ["email", "mail", "emailAddress", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"],
  groups: ["groups", "memberOf", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"],
  roles: ["roles", "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"],
} as const;

export interface AssertedProfile {
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  /** null when the assertion has no groups attribute (then SCIM memberships are used). */
  groups: string[] | null;
  roles: string[];
}

function values(attributes: Record<string, string[]>, names: readonly string[]): string[] | null {
  const lower = new Map(Object.entries(attributes).map(([name, list]) => [name.toLowerCase(), list]));
  for (const name of names) {
    const found = lower.get(name.toLowerCase());
    if (found) return found;
  }
  return null;
}

export function readProfile(attributes: Record<string, string[]>): AssertedProfile {
  return {
    givenName: values(attributes, NAMES.givenName)?.[0] ?? null,
    familyName: values(attributes, NAMES.familyName)?.[0] ?? null,
    email: values(attributes, NAMES.email)?.[0] ?? null,
    groups: values(attributes, NAMES.groups),
    roles: values(attributes, NAMES.roles) ?? [],
  };
}
