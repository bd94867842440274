// The API's resources as the console reads them (the OpenAPI document at /openapi.json is the contract).

export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export interface Reason {
  readonly code: string;
  readonly message: string;
}

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface Evidence {
  readonly page: number;
  readonly box: Box;
  readonly text: string;
}

export interface ExtractedField {
  readonly value: string | number | { amount: string; currency: string | null };
  readonly confidence: number;
  readonly evidence: Evidence;
}

export interface Flag {
  readonly code: string;
  readonly severity: 'info' | 'low' | 'medium' | 'high';
  readonly message: string;
  readonly documentId: string | null;
  readonly evidence: readonly (Evidence & { documentId: string })[];
}

export interface ClaimDocument {
  readonly id: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly kind: string | null;
  readonly kindConfidence: number | null;
  readonly pages: number | null;
  readonly pageFrames: readonly { page: number; width: number; height: number; rotation: number }[];
  readonly ocrConfidence: number | null;
  readonly fields: Partial<Record<string, ExtractedField>>;
  readonly flags: readonly Flag[];
}

export interface Claim {
  readonly id: string;
  readonly status: string;
  readonly policyNumber: string;
  readonly claimantId: string;
  readonly lineOfBusiness: string;
  readonly peril: string;
  readonly incidentDate: string;
  readonly reportedOn: string;
  readonly description: string;
  readonly claimedAmount: Money;
  readonly payableAmount: Money | null;
  readonly decision: { kind: string; outcome: string; reasons: readonly Reason[]; decidedBy: string; decidedAt: string } | null;
  readonly flags: readonly Flag[];
  readonly documents: readonly ClaimDocument[];
  readonly queue: string | null;
  readonly waitingSince: string | null;
  readonly assignee: string | null;
  readonly requestedDocuments: readonly string[] | null;
  readonly payments: readonly {
    id: string;
    amount: Money;
    status: string;
    payee: string | null;
    failureReason: string | null;
    createdAt: string;
  }[];
  readonly letterUrl: string | null;
  readonly appeal: { status: string; url: string } | null;
  readonly fraud: { score: number; band: string } | null;
  readonly closedAt: string | null;
  readonly createdAt: string;
}

export interface HistoryEntry {
  readonly at: string;
  readonly source: 'decision' | 'journal';
  readonly kind: string;
  readonly outcome: string | null;
  readonly by: string;
  readonly reasons: readonly Reason[];
  readonly payableAmount: Money | null;
  readonly coverage: { outcome: string; payable: Money; deductible: Money | null; limit: Money | null } | null;
  readonly fraud: { score: number; band: string; reasons: readonly Reason[] } | null;
  readonly text: string | null;
}

export interface QueueItem {
  readonly claimId: string;
  readonly status: string;
  readonly queue: string;
  readonly waitingSince: string;
  readonly waitingHours: number;
  readonly policyNumber: string;
  readonly claimantId: string;
  readonly peril: string;
  readonly claimedAmount: Money;
  readonly fraudBand: string | null;
  readonly fraudScore: number | null;
  readonly assignee: string | null;
  readonly reasons: readonly string[];
  readonly why: readonly Reason[];
}

export interface QueuePage {
  readonly items: readonly QueueItem[];
  readonly total: number;
  readonly nextOffset: number | null;
  readonly counts: Record<'adjusters' | 'senior-adjusters' | 'claimant' | 'mine', number>;
}
