/** SCIM request bodies in the shapes IdPs send (no workerd or Node imports: both test projects use them). */

export function oktaUser(userName: string, extra: Record<string, unknown> = {}) {
  const [given = "Test", family = "User"] = userName.split("@")[0]!.split(".");
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: `${given} ${family}`,
    locale: "en-US",
    externalId: `00u${userName.replace(/[^a-z0-9]/gi, "").slice(0, 14)}`,
    groups: [],
    password: "Okta-sends-a-random-password-1!",
    active: true,
    ...extra,
  };
}
