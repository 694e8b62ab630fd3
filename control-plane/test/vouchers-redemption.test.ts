// Vouchers end to end over GraphQL: generation, CSV export, redemption exactly once under 50-way races, audit rows,
// and the money invariants (balance == ledger sum, Redis wallet moved by the same amount, chain verifies).
import { AuditLog, LedgerEntry, openDatabase } from '../src';
import { errorCode, ROOT_PASSWORD, startHarness, type GraphqlResult, type Harness } from './harness';
import { balanceOf, createUsers, verifyLedger, walletOf, type TestUser } from './money-helpers';

let harness: Harness;
let rootSession: string;
let users: TestUser[];

const CREATE = `mutation ($input: CreateVouchersInput!) {
  createVouchers(input: $input) { batchId codes vouchers { id batchId codeHint kind amount maxRedemptions redemptionCount oncePerUser expiresAt status groups models } }
}`;
const REDEEM = `mutation ($code: String!) {
  redeemVoucher(input: {code: $code}) { voucher { id redemptionCount } user { id balance } entry { id kind amount balanceAfter idempotencyKey actorId } }
}`;

interface CreatedBatch {
  batchId: string;
  codes: string[];
  vouchers: Array<{ id: string; codeHint: string; kind: string; amount: number; maxRedemptions: number | null; redemptionCount: number; oncePerUser: boolean }>;
}
interface Redeemed {
  voucher: { id: string; redemptionCount: number };
  user: { id: string; balance: number };
  entry: { id: string; kind: string; amount: number; balanceAfter: number; idempotencyKey: string; actorId: string } | null;
}

async function createVouchers(input: Record<string, unknown>): Promise<CreatedBatch> {
  const result = await harness.graphql<{ createVouchers: CreatedBatch }>(CREATE, { input }, rootSession);
  if (!result.data) throw new Error(`createVouchers failed: ${JSON.stringify(result.errors)}`);
  return result.data.createVouchers;
}

function redeem(user: TestUser, code: string): Promise<GraphqlResult<{ redeemVoucher: Redeemed }>> {
  return harness.graphql<{ redeemVoucher: Redeemed }>(REDEEM, { code }, user.session);
}

function user(index: number): TestUser {
  const found = users[index];
  if (!found) throw new Error(`no user ${index}`);
  return found;
}

async function withDatabase<T>(read: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
  try {
    return await read(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  harness = await startHarness();
  rootSession = await harness.login('root', ROOT_PASSWORD);
  users = await createUsers(harness, rootSession, 'voucher-user-', 52);
}, 120_000);

afterAll(async () => {
  await harness.stop();
});

describe('generation and export', () => {
  it('generates random prefixed codes, never exposes them on the Voucher type, and exports them as CSV', async () => {
    const batch = await createVouchers({ count: 3, amount: 2_500_000, prefix: 'ng', note: 'launch' });
    expect(batch.codes).toHaveLength(3);
    for (const code of batch.codes) expect(code).toMatch(/^NG(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    expect(new Set(batch.codes).size).toBe(3);
    expect(batch.vouchers.map((voucher) => voucher.kind)).toEqual(['CREDIT', 'CREDIT', 'CREDIT']);
    expect(batch.vouchers[0]).toMatchObject({ amount: 2_500_000, maxRedemptions: 1, redemptionCount: 0, oncePerUser: true });
    expect(batch.vouchers[0]?.codeHint).toMatch(/^NG-…[0-9A-Z]{4}$/);

    const listed = await harness.graphql<{ vouchers: { edges: Array<{ node: Record<string, unknown> }> } }>(
      'query ($batchId: ID) { vouchers(batchId: $batchId) { edges { node { id codeHint amount } } } }', { batchId: batch.batchId }, rootSession,
    );
    expect(listed.data?.vouchers.edges).toHaveLength(3);
    expect(JSON.stringify(listed.data)).not.toContain(batch.codes[0]);

    const csv = await harness.graphql<{ voucherBatchCsv: string }>('query ($batchId: ID!) { voucherBatchCsv(batchId: $batchId) }', { batchId: batch.batchId }, rootSession);
    const lines = (csv.data?.voucherBatchCsv ?? '').trim().split('\r\n');
    expect(lines[0]).toBe('code,kind,amount,plan_id,plan_periods,max_redemptions,redemptions,once_per_user,expires_at,status,models,groups,note');
    expect(lines.slice(1).map((line) => line.split(',')[0]).sort()).toEqual([...batch.codes].sort());
    expect(lines[1]).toContain(',credit,2500000,,,1,0,true,,active,,,launch');

    await withDatabase(async (database) => {
      const rows = await database.orm.em.fork().getConnection().execute('select * from vouchers');
      expect(JSON.stringify(rows)).not.toContain(batch.codes[0]);
      const audits = await database.orm.em.fork().find(AuditLog, { action: { $in: ['voucher.create', 'voucher.export'] } });
      expect(audits.map((audit) => audit.action).sort()).toEqual(['voucher.create', 'voucher.export']);
      expect(JSON.stringify(audits)).not.toContain(batch.codes[0]);
    });
  });

  it('keeps generation and export for admins', async () => {
    const attempt = await harness.graphql(CREATE, { input: { count: 1, amount: 1 } }, user(0).session);
    expect(errorCode(attempt)).toBe('FORBIDDEN');
    const exportAttempt = await harness.graphql('{ voucherBatchCsv(batchId: "x") }', {}, user(0).session);
    expect(errorCode(exportAttempt)).toBe('FORBIDDEN');
  });

  it.each([
    [{ count: 0, amount: 1 }],
    [{ count: 1001, amount: 1 }],
    [{ count: 1 }],
    [{ count: 1, amount: -5 }],
    [{ count: 1, amount: 1, prefix: 'bad-prefix!' }],
    [{ count: 2, amount: 1, giftCode: 'WELCOME2026' }],
    [{ count: 1, amount: 1, giftCode: 'abc' }],
    [{ count: 1, amount: 1, expiresAt: '2001-01-01T00:00:00Z' }],
    [{ count: 1, amount: 1, maxRedemptions: 0 }],
  ])('refuses bad input %o with BAD_USER_INPUT', async (input) => {
    expect(errorCode(await harness.graphql(CREATE, { input }, rootSession))).toBe('BAD_USER_INPUT');
  });

  it('refuses a plan voucher for a plan that does not exist with NOT_FOUND', async () => {
    expect(errorCode(await harness.graphql(CREATE, { input: { count: 1, planId: 'plan-1' } }, rootSession))).toBe('NOT_FOUND');
  });
});

describe('redemption', () => {
  it('credits once through the ledger, moves the Redis wallet, audits, and answers a second try with CONFLICT', async () => {
    const batch = await createVouchers({ count: 1, amount: 3_000_000, prefix: 'ONE' });
    const code = batch.codes[0] ?? '';
    const redeemer = user(0);
    const walletBefore = await walletOf(harness, redeemer.id);
    // Case, spaces and dashes do not matter.
    const result = await redeem(redeemer, ` ${code.toLowerCase().replace(/-/g, ' ')} `);
    expect(result.errors).toBeUndefined();
    const redeemed = result.data?.redeemVoucher;
    expect(redeemed?.entry).toMatchObject({ kind: 'voucher', amount: 3_000_000, idempotencyKey: `voucher:${batch.vouchers[0]?.id}:${redeemer.id}`, actorId: redeemer.id });
    expect(redeemed?.user.balance).toBe(redeemed?.entry?.balanceAfter);
    expect(redeemed?.voucher.redemptionCount).toBe(1);
    expect(await walletOf(harness, redeemer.id)).toBe(walletBefore + 3_000_000);

    const again = await redeem(redeemer, code);
    expect(errorCode(again)).toBe('CONFLICT');
    expect(await walletOf(harness, redeemer.id)).toBe(walletBefore + 3_000_000);
    await withDatabase(async (database) => {
      const audits = await database.orm.em.fork().find(AuditLog, { action: 'voucher.redeem', target: batch.vouchers[0]?.id });
      expect(audits).toHaveLength(1);
      expect(audits[0]?.actorId).toBe(redeemer.id);
      expect(JSON.stringify(audits)).not.toContain(code);
    });
  });

  it('answers unknown, malformed and expired codes alike with NOT_FOUND', async () => {
    const expiring = await createVouchers({ count: 1, amount: 1_000, expiresAt: new Date(Date.now() + 1_500).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const answers = await Promise.all([
      redeem(user(1), 'NG-AAAA-BBBB-CCCC-DDDD-EEEE'),
      redeem(user(1), '!!'),
      redeem(user(1), expiring.codes[0] ?? ''),
    ]);
    for (const answer of answers) {
      expect(errorCode(answer)).toBe('NOT_FOUND');
      expect(answer.errors?.[0]?.message).toBe('no valid voucher with this code');
    }
    expect(await walletOf(harness, user(1).id)).toBe(0);
  });

  it('refuses a user outside the voucher groups', async () => {
    const scoped = await createVouchers({ count: 1, amount: 1_000, groups: ['vip'], models: ['gpt-4o'] });
    expect(errorCode(await redeem(user(1), scoped.codes[0] ?? ''))).toBe('FORBIDDEN');
    expect(errorCode(await harness.graphql(REDEEM, { code: scoped.codes[0] }, null))).toBe('UNAUTHENTICATED');
  });

  it('keeps batch, note and creator admin-only on the Voucher a user gets back', async () => {
    const batch = await createVouchers({ count: 1, amount: 1_000, note: 'internal campaign' });
    const result = await harness.graphql('mutation ($code: String!) { redeemVoucher(input: {code: $code}) { voucher { id note } } }', { code: batch.codes[0] }, user(1).session);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(JSON.stringify(result)).not.toContain('internal campaign');
  });

  it('lets exactly one of 50 different users redeem a single-use code at the same time', async () => {
    const batch = await createVouchers({ count: 1, amount: 7_000_000 });
    const code = batch.codes[0] ?? '';
    const racers = users.slice(2, 52);
    const results = await Promise.all(racers.map((racer) => redeem(racer, code)));
    const winners = results.filter((result) => result.data?.redeemVoucher);
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => errorCode(result) === 'CONFLICT')).toHaveLength(49);
    const winnerId = winners[0]?.data?.redeemVoucher.user.id;
    for (const racer of racers) expect(await walletOf(harness, racer.id)).toBe(racer.id === winnerId ? 7_000_000 : 0);
    await withDatabase(async (database) => {
      const entries = await database.orm.em.fork().find(LedgerEntry, { idempotencyKey: { $like: `voucher:${batch.vouchers[0]?.id}:%` } });
      expect(entries).toHaveLength(1);
      expect(await database.orm.em.fork().count(AuditLog, { action: 'voucher.redeem', target: batch.vouchers[0]?.id })).toBe(1);
    });
  });

  it('lets 50 users each redeem a global gift code once, even when they race', async () => {
    const gift = await createVouchers({ amount: 500_000, giftCode: 'welcome-2026' });
    expect(gift.vouchers[0]).toMatchObject({ maxRedemptions: null, oncePerUser: true });
    const racers = users.slice(2, 52);
    const before = await Promise.all(racers.map((racer) => walletOf(harness, racer.id)));
    const results = await Promise.all(racers.map((racer) => redeem(racer, 'WELCOME2026')));
    expect(results.filter((result) => result.errors)).toEqual([]);
    const after = await Promise.all(racers.map((racer) => walletOf(harness, racer.id)));
    expect(after.map((value, index) => value - (before[index] ?? 0))).toEqual(racers.map(() => 500_000));
    const retry = await redeem(user(2), 'Welcome-2026');
    expect(errorCode(retry)).toBe('CONFLICT');
  });

  it('credits one user once when they fire the same gift code 50 times at once', async () => {
    const gift = await createVouchers({ amount: 250_000, giftCode: 'SAMEUSER50' });
    const racer = user(1);
    const before = await walletOf(harness, racer.id);
    const results = await Promise.all(Array.from({ length: 50 }, () => redeem(racer, 'SAMEUSER50')));
    expect(results.filter((result) => result.data?.redeemVoucher)).toHaveLength(1);
    expect(results.filter((result) => errorCode(result) === 'CONFLICT')).toHaveLength(49);
    expect(await walletOf(harness, racer.id)).toBe(before + 250_000);
    await withDatabase(async (database) => {
      expect(await database.orm.em.fork().count(LedgerEntry, { idempotencyKey: `voucher:${gift.vouchers[0]?.id}:${racer.id}` })).toBe(1);
    });
  });

  it('stops a multi-use code at maxRedemptions when one user may redeem it repeatedly', async () => {
    const batch = await createVouchers({ count: 1, amount: 100_000, maxRedemptions: 3, oncePerUser: false });
    const racer = user(0);
    const before = await walletOf(harness, racer.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(racer, batch.codes[0] ?? '')));
    expect(results.filter((result) => result.data?.redeemVoucher)).toHaveLength(3);
    expect(results.filter((result) => errorCode(result) === 'CONFLICT')).toHaveLength(7);
    expect(await walletOf(harness, racer.id)).toBe(before + 300_000);
  });

  it('leaves every balance equal to its ledger sum and to its Redis wallet, with an intact chain', async () => {
    const verification = await verifyLedger(harness, rootSession);
    expect(verification).toMatchObject({ ok: true, problem: null, balanceMismatches: [] });
    expect(verification.checkedEntries).toBe(verification.headSequence);
    // single-use, admin-field probe, single-use race winner, 50 gift redemptions, same-user race, 3 multi-use.
    expect(verification.checkedEntries).toBe(1 + 1 + 1 + 50 + 1 + 3);
    for (const each of users) expect(await walletOf(harness, each.id)).toBe(await balanceOf(harness, rootSession, each.id));
  });
});
