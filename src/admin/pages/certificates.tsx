/** The IdP signing certificates as facts an admin can check against Okta's (subject, dates, key, fingerprint). */
import type { CertificateInfo } from "../../saml/certs";
import { certificateHealth } from "../status";

/** Nothing while a certificate is good; a warning from 30 days before it expires; an alarm once it has. */
export function CertificateHealthBadge(props: { notAfter: string; now: number }) {
  const health = certificateHealth(props.notAfter, props.now);
  if (health === "ok") return null;
  return <span class={`badge ${health === "expired" ? "bad" : "warn"}`}>{health === "expired" ? "expired" : "expires within 30 days"}</span>;
}

export function CertificateFacts(props: { certificate: Omit<CertificateInfo, "base64">; now: number }) {
  const { certificate } = props;
  return (
    <dl class="values">
      <dt>Subject</dt>
      <dd>{certificate.subject}</dd>
      <dt>Issuer</dt>
      <dd>{certificate.issuer}</dd>
      <dt>Valid</dt>
      <dd>
        {certificate.notBefore.slice(0, 10)} to {certificate.notAfter.slice(0, 10)} <CertificateHealthBadge notAfter={certificate.notAfter} now={props.now} />
      </dd>
      <dt>Key</dt>
      <dd>{certificate.keyType}</dd>
      <dt>SHA-256 fingerprint</dt>
      <dd>
        <code>{certificate.fingerprintSha256}</code>
      </dd>
    </dl>
  );
}
