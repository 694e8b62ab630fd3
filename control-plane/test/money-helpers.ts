// Shared by the voucher, payment and ledger-chain tests: many signed-in users, and the money invariants
// (balance == ledger sum, Redis wallet == balance, the hash chain verifies).
import { redisKeys } from '@nebulagate/schema';
import type { Harness } from './harness';

export interface TestUser {
  id: string;
  username: string;
  session: string;
}

export async function createUsers(harness: Harness, rootSession: string, prefix: string, count: number): Promise<TestUser[]> {
  const users: TestUser[] = [];
  // A few at a time: each login runs scrypt.
  for (let start = 0; start < count; start += 10) {
    const batch = Array.from({ length: Math.min(10, count - start) }, async (_, offset) => {
      const username = `${prefix}${start + offset}`;
      const created = await harness.graphql<{ createUser: { user: { id: string } } }>(
        'mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }',
        { input: { username, password: `${username}-password` } },
        rootSession,
      );
      const id = created.data?.createUser.user.id;
      if (!id) throw new Error(`createUser failed: ${JSON.stringify(created.errors)}`);
      return { id, username, session: await harness.login(username, `${username}-password`) };
    });
    users.push(...(await Promise.all(batch)));
  }
  return users;
}

export interface LedgerVerificationResult {
  ok: boolean;
  checkedEntries: number;
  headSequence: number;
  firstBrokenEntryId: string | null;
  firstBrokenSequence: number | null;
  problem: string | null;
  balanceMismatches: Array<{ userId: string; balance: number; ledgerSum: number }>;
}

export const VERIFY_LEDGER = '{ verifyLedger { ok checkedEntries headSequence headHash firstBrokenEntryId firstBrokenSequence problem balanceMismatches { userId balance ledgerSum } } }';

export async function verifyLedger(harness: Harness, rootSession: string): Promise<LedgerVerificationResult> {
  const result = await harness.graphql<{ verifyLedger: LedgerVerificationResult }>(VERIFY_LEDGER, {}, rootSession);
  if (!result.data) throw new Error(`verifyLedger failed: ${JSON.stringify(result.errors)}`);
  return result.data.verifyLedger;
}

export async function balanceOf(harness: Harness, rootSession: string, userId: string): Promise<number> {
  const result = await harness.graphql<{ users: { edges: Array<{ node: { id: string; balance: number } }> } }>('{ users(first: 200) { edges { node { id balance } } } }', {}, rootSession);
  const node = result.data?.users.edges.find((edge) => edge.node.id === userId)?.node;
  if (!node) throw new Error(`user ${userId} not found`);
  return node.balance;
}

export async function walletOf(harness: Harness, userId: string): Promise<number> {
  return Number(await harness.redis.get(redisKeys.wallet(userId)));
}
