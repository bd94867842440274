// The payment gateway as the engine sees it: payouts to a bank account, created once per idempotency
// key, settled later, cancellable until settled. Spoken over HTTP (docs/adr/0008-payment-gateway.md);
// the sandbox in sandbox-gateway.ts speaks the same protocol for development and tests.

export type PayoutStatus = 'pending' | 'paid' | 'failed' | 'canceled';

export interface PayoutRequest {
  /** The same key always means the same payout: a retried request returns it, never pays again. */
  readonly idempotencyKey: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly destination: { readonly iban: string; readonly holder: string };
  /** Shown on the payee's statement: the claim id. */
  readonly reference: string;
}

export interface Payout {
  readonly id: string;
  readonly status: PayoutStatus;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reference: string;
  readonly failureReason: string | null;
}

export interface PaymentGateway {
  createPayout(request: PayoutRequest): Promise<Payout>;
  getPayout(id: string): Promise<Payout>;
  /** Cancels a payout that has not settled; a settled one comes back as it is ('paid'). */
  cancelPayout(id: string): Promise<Payout>;
}

/** A refusal the gateway will repeat however often it is asked (a bad request, not an outage). */
export class PaymentRejected extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'PaymentRejected';
    this.code = code;
  }
}

interface WirePayout {
  id: string;
  status: PayoutStatus;
  amount: number;
  currency: string;
  reference: string;
  failure_reason: string | null;
}

const fromWire = (p: WirePayout): Payout => ({
  id: p.id,
  status: p.status,
  amountMinor: p.amount,
  currency: p.currency,
  reference: p.reference,
  failureReason: p.failure_reason,
});

export interface HttpGatewayOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Per request; the activity's own timeout and retry policy sit above it. */
  readonly timeoutMs?: number;
}

export function createHttpPaymentGateway({ baseUrl, apiKey, timeoutMs = 10_000 }: HttpGatewayOptions): PaymentGateway {
  const root = baseUrl.replace(/\/+$/, '');
  async function call(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Payout> {
    const response = await fetch(`${root}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      throw new Error(`Payment gateway answered ${response.status} with a body that is not JSON`);
    }
    if (response.ok) return fromWire(payload as WirePayout);
    const error = (payload as { error?: { code?: string; message?: string } }).error;
    const message = `Payment gateway: ${response.status} ${error?.code ?? ''} ${error?.message ?? ''}`.trim();
    // 4xx other than 408/409/429 will be answered the same way again; 5xx and the rest are worth a retry.
    if (response.status >= 400 && response.status < 500 && ![408, 409, 429].includes(response.status))
      throw new PaymentRejected(error?.code ?? `http_${response.status}`, message);
    throw new Error(message);
  }
  return {
    createPayout: (r) =>
      call(
        'POST',
        '/v1/payouts',
        {
          amount: r.amountMinor,
          currency: r.currency,
          destination: { iban: r.destination.iban, holder: r.destination.holder },
          reference: r.reference,
        },
        r.idempotencyKey,
      ),
    getPayout: (id) => call('GET', `/v1/payouts/${encodeURIComponent(id)}`),
    cancelPayout: (id) => call('POST', `/v1/payouts/${encodeURIComponent(id)}/cancel`, {}),
  };
}
