/** The signing service's request, shared by the Node service and the workerd tests (no Node imports here). */
import type { ResponseSpec } from "./okta-response";

export type { ResponseSpec };
export type KeyName = "rsa" | "rsa-next" | "ec" | "attacker";
export type WrappingAttack = "xsw1" | "xsw2" | "xsw3" | "xsw4" | "xsw5" | "xsw6" | "xsw7" | "xsw8" | "duplicate_id" | "reference_other_element";

export interface SignRequest {
  spec: ResponseSpec;
  /** Whose response shape: Okta's (prefixed, InclusiveNamespaces) or Entra ID's (default namespace). */
  shape?: "okta" | "entra";
  signer?: "xmlsec1" | "xml-crypto";
  key?: KeyName;
  wrap?: WrappingAttack;
  /** Replace the NameID text after signing (tampering). */
  tamperNameId?: string;
  /** Insert an empty comment into the NameID at this offset after signing. */
  commentAt?: number;
  /** Text spliced in after the XML declaration after signing (e.g. a DOCTYPE). */
  prolog?: string;
  /** After signing, replace the first occurrence of one string with another (an algorithm URI, say). */
  replaceAfterSigning?: [string, string];
}
