// Demo policies, so a new user can file a claim the minute the system is up. Their periods are placed
// around the day of seeding; seeding again leaves existing rows as they are.
import { addDays } from '../domain/shared/calendar.ts';
import type { Database } from './client.ts';
import { and, eq, isNull } from 'drizzle-orm';
import { policies } from './schema.ts';

type NewPolicy = typeof policies.$inferInsert;

const euros = (amount: number) => amount * 100;

export function demoPolicies(today: string): NewPolicy[] {
  const from = addDays(today, -180);
  const to = addDays(from, 364);
  return [
    {
      policyNumber: 'POL-1001',
      lineOfBusiness: 'motor',
      holderId: 'cust-1001',
      holderName: 'Ada Lovelace',
      payoutIban: 'DE89370400440532013000',
      status: 'ACTIVE',
      effectiveFrom: from,
      effectiveTo: to,
      currency: 'EUR',
      coverages: [
        { peril: 'collision', limitMinor: euros(20_000), deductibleMinor: euros(500) },
        { peril: 'theft', limitMinor: euros(25_000), deductibleMinor: euros(250) },
        { peril: 'glass', limitMinor: euros(2_000), deductibleMinor: 0 },
        { peril: 'fire', limitMinor: euros(25_000), deductibleMinor: euros(250) },
        { peril: 'storm', limitMinor: euros(10_000), deductibleMinor: euros(250) },
        { peril: 'vandalism', limitMinor: euros(5_000), deductibleMinor: euros(250) },
      ],
    },
    {
      policyNumber: 'POL-1002',
      lineOfBusiness: 'home',
      holderId: 'cust-1001',
      holderName: 'Ada Lovelace',
      payoutIban: 'DE89370400440532013000',
      status: 'ACTIVE',
      effectiveFrom: from,
      effectiveTo: to,
      currency: 'EUR',
      coverages: [
        { peril: 'fire', limitMinor: euros(300_000), deductibleMinor: euros(1_000) },
        { peril: 'water_damage', limitMinor: euros(50_000), deductibleMinor: euros(500) },
        { peril: 'storm', limitMinor: euros(50_000), deductibleMinor: euros(500) },
        { peril: 'burglary', limitMinor: euros(20_000), deductibleMinor: euros(250) },
      ],
    },
    {
      policyNumber: 'POL-2001',
      lineOfBusiness: 'motor',
      holderId: 'cust-1002',
      holderName: 'Grace Hopper',
      payoutIban: 'NL91ABNA0417164300',
      status: 'ACTIVE',
      effectiveFrom: from,
      effectiveTo: to,
      currency: 'USD',
      coverages: [
        { peril: 'collision', limitMinor: 15_000_00, deductibleMinor: 1_000_00 },
        { peril: 'theft', limitMinor: 15_000_00, deductibleMinor: 1_000_00 },
        { peril: 'third_party_liability', limitMinor: 1_000_000_00, deductibleMinor: 0 },
      ],
    },
    {
      policyNumber: 'POL-2002',
      lineOfBusiness: 'home',
      holderId: 'cust-1002',
      holderName: 'Grace Hopper',
      payoutIban: 'NL91ABNA0417164300',
      status: 'CANCELLED',
      effectiveFrom: from,
      effectiveTo: to,
      cancelledOn: addDays(today, -30),
      currency: 'USD',
      coverages: [
        { peril: 'fire', limitMinor: 250_000_00, deductibleMinor: 1_000_00 },
        { peril: 'water_damage', limitMinor: 40_000_00, deductibleMinor: 1_000_00 },
      ],
    },
    {
      // Household contents in ringgit, so Malaysian receipts (like the SROIE scans) can be claimed as-is.
      policyNumber: 'POL-1003',
      lineOfBusiness: 'home',
      holderId: 'cust-1001',
      holderName: 'Ada Lovelace',
      payoutIban: 'DE89370400440532013000',
      status: 'ACTIVE',
      effectiveFrom: from,
      effectiveTo: to,
      currency: 'MYR',
      coverages: [
        { peril: 'theft', limitMinor: 20_000_00, deductibleMinor: 0 },
        { peril: 'burglary', limitMinor: 20_000_00, deductibleMinor: 0 },
        { peril: 'accidental_damage', limitMinor: 5_000_00, deductibleMinor: 0 },
        { peril: 'water_damage', limitMinor: 10_000_00, deductibleMinor: 50_00 },
      ],
    },
    {
      policyNumber: 'POL-3001',
      lineOfBusiness: 'motor',
      holderId: 'cust-1003',
      holderName: 'Alan Turing',
      payoutIban: 'GB29NWBK60161331926819',
      status: 'ACTIVE',
      effectiveFrom: addDays(today, -400),
      effectiveTo: addDays(today, -36),
      currency: 'GBP',
      coverages: [{ peril: 'collision', limitMinor: 10_000_00, deductibleMinor: 300_00 }],
    },
  ];
}

/**
 * Inserts the demo policies that are not there yet; returns how many were added. Demo policies seeded
 * before accounts were kept on policies get their account, so their claims can be paid.
 */
export async function seedDemoPolicies(db: Database, today: string): Promise<number> {
  const demo = demoPolicies(today);
  const inserted = await db
    .insert(policies)
    .values(demo)
    .onConflictDoNothing({ target: policies.policyNumber })
    .returning({ policyNumber: policies.policyNumber });
  for (const p of demo) {
    await db
      .update(policies)
      .set({ payoutIban: p.payoutIban })
      .where(and(eq(policies.policyNumber, p.policyNumber), eq(policies.holderId, p.holderId), isNull(policies.payoutIban)));
  }
  return inserted.length;
}
