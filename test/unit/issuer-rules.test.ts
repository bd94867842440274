// The issuer as the rules read it from the letterhead (domain/documents/fields/issuer.ts): the name as
// printed, without what OCR adds or confuses around it.
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../domain/documents/extract.ts';
import { linesDocument as doc } from '../support/documents.ts';

describe('the issuer, as the letterhead names it', () => {
  // The rest of a receipt below the letterhead, so that the letterhead is at the top of the page.
  const body = [
    'TAX INVOICE',
    'Date: 25/12/2018',
    'Item 1 9.00',
    'Item 2 4.00',
    'TOTAL 13.00',
    'CASH 20.00',
    'CHANGE 7.00',
    'THANK YOU',
    'PLEASE COME AGAIN',
  ];
  const issuer = (...letterhead: string[]) => extractDocument(doc([...letterhead, ...body])).fields.issuer?.value;

  it('passes over a name handwritten above it (read in small letters)', () => {
    expect(issuer('tan woon yann', 'INDAH GIFT & HOME DECO', '27,JALAN DEDAP 13,')).toBe('INDAH GIFT & HOME DECO');
  });
  it('leaves out the registration number printed after the name', () => {
    expect(issuer('AEON CO. (M) BHD (126926-H)', '3RD FLR, AEON TAMAN MALURI SC')).toBe('AEON CO. (M) BHD');
    expect(issuer('AEON CO. (M) BHD. (126926-H)', '3RD FLR, AEON TAMAN MALURI SC')).toBe('AEON CO. (M) BHD.');
    expect(issuer('THE STORE (MALAYSIA) SDN BHD (8199K)', 'LOT 34817 JALAN BATU AMBAR')).toBe('THE STORE (MALAYSIA) SDN BHD');
    expect(issuer("KING'S CONFECTIONERY S/B 273500-U (KSB)", 'NO.41, JALAN SERI BINTANG 2')).toBe("KING'S CONFECTIONERY S/B");
    expect(issuer('99 SPEED MART 5/B (519537-X)', 'TAMAN BERKELEY')).toBe('99 SPEED MART S/B');
    expect(issuer('99 SPEED MART S/D (519537-X)', 'TAMAN BERKELEY')).toBe('99 SPEED MART S/B');
    // A number that is part of the name stays.
    expect(issuer('7-ELEVEN MALAYSIA SDN BHD', 'LOT 3, JALAN 1')).toBe('7-ELEVEN MALAYSIA SDN BHD');
    expect(issuer('KEDAI 1 MALAYSIA', 'LOT 3, JALAN 1')).toBe('KEDAI 1 MALAYSIA');
    expect(issuer('99 SPEED MART S/B519537-X)', 'TAMAN BERKELEY')).toBe('99 SPEED MART S/B');
    expect(issuer('99 SPEED MART S/B 519537-X) PAT', 'TAMAN BERKELEY')).toBe('99 SPEED MART S/B');
  });
  it('joins a name wrapped onto two lines', () => {
    expect(issuer('HOME MASTER HARDWARE &', 'ELECTRICAL', 'NO.113G & 115G, JALAN SETIA GEMBILANG')).toBe(
      'HOME MASTER HARDWARE & ELECTRICAL',
    );
    expect(issuer('AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN', 'BHD', '822737-X')).toBe(
      'AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD',
    );
  });
  it('does not take a suffix alone for the name', () => {
    expect(issuer('BHD', '822737-X', 'GARDEN TRADING')).toBe('GARDEN TRADING');
  });
  it("puts back the letters OCR confuses in the company's suffix and in words", () => {
    expect(issuer('MR. D.I.Y. (M) SON BHD', '(CO Reg :860671-D)')).toBe('MR. D.I.Y. (M) SDN BHD');
    expect(issuer('BOOK TA .K(TAMAN DAYA) SDN BND', '789417-W')).toBe('BOOK TA .K(TAMAN DAYA) SDN BHD');
    expect(issuer('Geoventure', 'Taste Of The WorId Sdn Bhd', '965857-A')).toBe('Taste Of The World Sdn Bhd');
    expect(issuer('TEO HENG STATIONERY G BOOKS', '(001451637-M)')).toBe('TEO HENG STATIONERY & BOOKS');
  });
});
