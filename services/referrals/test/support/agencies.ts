/**
 * Test support: onboards a partner agency straight into the referrals table (as the admin API
 * would), so that `agencyOf` knows the client id a test's token carries.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Agency } from '../../src/domain/agency';
import { AgencyExists, createAgenciesStore } from '../../src/store/agencies-store';

export async function onboardAgency(
  documents: DynamoDBDocumentClient,
  tableName: string,
  agency: { agencyId: string; clientId: string; name?: string },
): Promise<void> {
  const now = new Date('2026-01-05T09:00:00Z');
  const record: Agency = {
    agencyId: agency.agencyId,
    name: agency.name ?? `Agency ${agency.agencyId}`,
    type: 'school',
    referralSource: '2A',
    contactEmail: 'safeguarding@school.example.org',
    clientId: agency.clientId,
    status: 'active',
    secrets: [{ secretId: `${agency.clientId}--1`, createdAt: now.toISOString() }],
    onboardedAt: now.toISOString(),
    onboardedBy: 'test-admin',
    version: 1,
  };
  try {
    await createAgenciesStore(documents, tableName).saveNew(record, [], now);
  } catch (error) {
    // Already onboarded (the local cloud's demo agency, for example): exactly what the test needs.
    if (!(error instanceof AgencyExists)) throw error;
  }
}
