// What kind of document this is, from the words it uses. Each kind has telling phrases with weights;
// the kind with the most weight wins if it has enough, and the margin over the runner-up is its
// confidence.

export const documentKinds = [
  'receipt',
  'estimate',
  'medical_bill',
  'police_report',
  'id_document',
  'claim_form',
  'vehicle_registration',
  'claims_history',
  'other',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

const cues: Record<Exclude<DocumentKind, 'other'>, readonly [RegExp, number][]> = {
  receipt: [
    [/\bRECEIPT\b|\bRESIT\b/, 3],
    [/\bTAX\s*INVOICE\b|\bINVOICE\b/, 3],
    [/\bCASH\s*BILL\b|\bCASH\s*SALE/, 3],
    [/\bCASHIER\b|\bCOUNTER\b/, 2],
    [/\bTOTAL\b/, 1.5],
    [/\bCHANGE\b/, 1.5],
    [/\bCASH\b/, 1],
    [/\bGST\b|\bSST\b|\bVAT\b/, 1],
    [/\bQTY\b|\bQUANTITY\b/, 1],
    [/THANK\s*YOU/, 1],
    [/\bSUBTOTAL\b|\bSUB\s*TOTAL\b/, 1],
  ],
  estimate: [
    [/\bESTIMATE\b|\bQUOTATION\b|\bQUOTE\b|\bSEBUT\s*HARGA\b/, 4],
    [/\bREPAIR/, 2],
    [/\bLABOU?R\b/, 2],
    [/\bPARTS?\b/, 1],
    [/\bPANEL\b|\bPAINT|\bBODY\s*WORK/, 1],
    [/\bVALID\s*(?:FOR|UNTIL)\b/, 1],
    [/\bWORKSHOP\b|\bGARAGE\b/, 1],
  ],
  medical_bill: [
    [/\bPATIENT\b|\bPESAKIT\b/, 3],
    [/\bCLINIC\b|\bKLINIK\b|\bHOSPITAL\b|\bMEDICAL\s*CENT/, 3],
    [/\bDIAGNOSIS\b/, 2],
    [/\bCONSULTATION\b|\bPHYSICIAN\b|\bDOCTOR\b|\bDR\.\s/, 2],
    [/\bTREATMENT\b|\bMEDICATION\b|\bPRESCRIPTION\b/, 1.5],
    [/\bWARD\b|\bADMISSION\b/, 1],
  ],
  police_report: [
    [/\bPOLICE\b|\bPOLIS\b/, 4],
    [/\bREPORT\s*(?:NO|NUMBER)\b|\bLAPORAN\b/, 2],
    [/\bOFFICER\b|\bCONSTABLE\b|\bSTATION\b|\bBALAI\b/, 2],
    [/\bINCIDENT\b|\bOFFEN[CS]E\b|\bCOMPLAINANT\b/, 1.5],
    [/\bSTATEMENT\b/, 1],
  ],
  id_document: [
    [/\bPASSPORT\b/, 4],
    [/DRIVING\s*LICEN[CS]E|DRIVER'?S?\s*LICEN[CS]E/, 4],
    [/IDENTITY\s*CARD|\bMYKAD\b|\bID\s*CARD\b/, 4],
    [/DATE\s*OF\s*BIRTH|\bDOB\b/, 2],
    [/\bNATIONALITY\b|\bSEX\b|\bGENDER\b/, 1.5],
    [/\bDATE\s*OF\s*EXPIRY|\bEXPIRES?\b/, 1],
  ],
  claim_form: [
    [/CLAIM\s*FORM|NOTICE\s*OF\s*(?:LOSS|CLAIM)|CLAIM\s*NOTIFICATION/, 4],
    [/\bPOLICY\s*(?:NO|NUMBER)/, 2],
    [/\bCLAIMANT\b|\bINSURED\b/, 2],
    [/DATE\s*OF\s*(?:LOSS|INCIDENT|ACCIDENT)/, 2],
    [/\bDECLAR(?:E|ATION)\b|\bSIGNATURE\b/, 1],
    [/\bCLAIM(?:ED)?\s*AMOUNT\b/, 1.5],
  ],
  // Evidence for underwriting: the vehicle's registration certificate and the previous insurer's record.
  vehicle_registration: [
    [/REGISTRATION\s*(?:CERTIFICATE|DOCUMENT)|CERTIFICATE\s*OF\s*REGISTRATION|\bV5C?\b|VEHICLE\s*REGISTRATION/, 4],
    [/REGISTERED\s*(?:KEEPER|OWNER)/, 3],
    [/\bMAKE\b|\bMODEL\b/, 1],
    [/\bVIN\b|CHASSIS|FRAME\s*(?:NO|NUMBER)/, 1.5],
    [/FIRST\s*REGIST/, 1.5],
    [/\bENGINE\b|\bCYLINDER|\bKW\b|\bCC\b/, 1],
  ],
  claims_history: [
    [/CLAIMS?\s*(?:HISTORY|EXPERIENCE|RECORD)|PROOF\s*OF\s*NO\s*CLAIMS|NO\s*CLAIMS?\s*(?:DISCOUNT|BONUS|CERTIFICATE)/, 4],
    [/(?:PREVIOUS|FORMER|PRIOR)\s*INSURER/, 2],
    [/NUMBER\s*OF\s*CLAIMS|CLAIMS\s*(?:MADE|RECORDED)/, 2],
    [/\bPERIOD\s*OF\s*(?:COVER|INSURANCE)/, 1],
    [/\bPOLICY\s*(?:NO|NUMBER)/, 0.5],
  ],
};

export function classifyDocument(text: string): { kind: DocumentKind; confidence: number } {
  const scores = (Object.entries(cues) as [Exclude<DocumentKind, 'other'>, readonly [RegExp, number][]][])
    .map(([kind, list]) => ({ kind, score: list.reduce((s, [re, w]) => s + (re.test(text) ? w : 0), 0) }))
    .sort((a, b) => b.score - a.score);
  const [first, second] = scores;
  if (!first || first.score < 3) return { kind: 'other', confidence: first ? Math.round((1 - first.score / 3) * 100) / 100 : 1 };
  const margin = first.score - (second?.score ?? 0);
  return { kind: first.kind, confidence: Math.round(Math.min(1, 0.5 + margin / 8) * 100) / 100 };
}
