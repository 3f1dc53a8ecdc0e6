/** Escaping for XML we write ourselves (AuthnRequests, SP metadata): text and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}
