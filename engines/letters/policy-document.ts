// The policy document (schedule) of an issued policy, as an A4 PDF: who and what is insured, from when
// to when, the cover with limits and deductibles, and the premium.
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { displayAmount } from '../../domain/shared/money.ts';
import { ledgerStampLines, printable, type LedgerStamp } from './printable.ts';

export interface PolicyDocumentFacts {
  readonly policyNumber: string;
  readonly holderName: string;
  readonly product: string;
  /** What is insured, in the product's words ("Vehicle: ABC 123, 2019, class 3"). */
  readonly insured: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string;
  readonly currency: string;
  readonly premiumMinor: number;
  readonly cover: readonly { readonly peril: string; readonly limitMinor: number; readonly deductibleMinor: number }[];
  readonly decisionReasons: readonly string[];
  /** The issuing decision's place in the decision ledger. */
  readonly ledger?: LedgerStamp;
}

export async function renderPolicyDocument(f: PolicyDocumentFacts): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setCreationDate(new Date(`${f.effectiveFrom}T00:00:00Z`));
  pdf.setModificationDate(new Date(`${f.effectiveFrom}T00:00:00Z`));
  pdf.setTitle(`Policy ${f.policyNumber}`);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page = pdf.addPage([595.28, 841.89]);
  let y = 780;
  const line = (text: string, size = 11, font = regular, gap = 6) => {
    page.drawText(printable(text, font), { x: 64, y, size, font, color: rgb(0.1, 0.1, 0.1) });
    y -= size + gap;
  };
  line('insureflow mutual', 11, bold, 2);
  line('Policy schedule', 9, regular, 24);
  line(`Policy ${f.policyNumber}`, 18, bold, 14);
  line(`Policyholder: ${f.holderName}`);
  line(`Product: ${f.product}`);
  line(f.insured);
  line(`Period of insurance: ${f.effectiveFrom} to ${f.effectiveTo}`);
  line(`Annual premium: ${displayAmount({ minor: f.premiumMinor, currency: f.currency })}`, 11, bold, 16);
  line('Cover', 12, bold, 6);
  for (const c of f.cover) {
    line(
      `- ${c.peril.replace(/_/g, ' ')}: up to ${displayAmount({ minor: c.limitMinor, currency: f.currency })}, deductible ${displayAmount({ minor: c.deductibleMinor, currency: f.currency })}`,
    );
  }
  y -= 8;
  line('Underwriting', 12, bold, 6);
  for (const reason of f.decisionReasons) line(`- ${reason}`);
  y -= 8;
  line('Claims: POST /v1/claims with this policy number, or call us.', 10);
  if (f.ledger) {
    y -= 10;
    for (const text of ledgerStampLines(f.ledger)) line(text, 8, regular, 3);
  }
  return pdf.save();
}
