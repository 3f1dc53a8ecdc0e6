/** What the test webhook receiver (webhook-receiver.ts) reports; no Node imports, so workerd tests can use it. */
export interface ReceivedDelivery {
  eventId: string | undefined;
  eventType: string | undefined;
  body: unknown;
  /** HMAC-SHA256 over `${t}.${raw body}` matched (node:crypto), and t was within the tolerance. */
  signatureValid: boolean;
  /** What the receiver answered: 200, or the failure it was told to give. */
  status: number;
}
