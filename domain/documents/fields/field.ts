// What an extracted field is: its value, how sure the engine is of it, and where on the page it was read.
import type { CurrencyMarks } from '../currency.ts';
import type { DocumentKind } from '../classify.ts';
import type { DateOrder } from '../dates.ts';
import type { Box } from '../layout.ts';
import type { FieldSelectors } from './selector.ts';

export interface Evidence {
  readonly page: number;
  readonly box: Box;
  readonly text: string;
}

export interface Field<T> {
  readonly value: T;
  /** 0-1: how sure the rules and the OCR are together. */
  readonly confidence: number;
  readonly evidence: Evidence;
}

export interface DocumentAmount {
  /** Hundredths of the major unit. */
  readonly cents: number;
  /** ISO code printed with it or elsewhere on the document; null when the document names none. */
  readonly currency: string | null;
  /** All the document prints about its currency, for establishing it against the policy's (currency.ts). */
  readonly marks?: CurrencyMarks;
}

export interface ExtractedFields {
  readonly total?: Field<DocumentAmount>;
  /** ISO date. */
  readonly date?: Field<string>;
  readonly issuer?: Field<string>;
  readonly policyNumber?: Field<string>;
  readonly claimantName?: Field<string>;
  readonly vehicleRegistration?: Field<string>;
  readonly vin?: Field<string>;
  /** ISO date: ID documents and driving licences. */
  readonly dateOfBirth?: Field<string>;
  /** Claims a previous insurer records for the holder: claims-history letters. */
  readonly claimCount?: Field<number>;
}

export interface DocumentExtraction {
  readonly kind: DocumentKind;
  readonly kindConfidence: number;
  readonly fields: ExtractedFields;
  /** Amounts with cents printed anywhere on it: none says a photo or a letter, not a bill whose total was missed. */
  readonly amountsPrinted: number;
  readonly version: string;
}

export interface ExtractionOptions {
  /** How to read 03/04/2018; day first unless the documents come from month-first countries. */
  readonly dateOrder?: DateOrder;
  /** Trained choices among the candidates for the total and the issuer (models/receipt-fields.json); without them the rules decide. */
  readonly selectors?: FieldSelectors;
}
