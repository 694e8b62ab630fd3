// Table tests for the pure hash-chain functions: canonical form, hashing, and the walk's first-break report.
import { canonicalLedgerFields, checkChainHead, computeLedgerHash, GENESIS_HASH, startChainWalk, walkChain, type ChainedRow } from '../src/modules/ledger/ledger-chain';

const base = {
  id: 'e1', userId: 'u1', kind: 'topup', amount: 1_000, balanceAfter: 1_000, reason: 'first', actorId: null, idempotencyKey: 'k1', createdAt: new Date(1_700_000_000_123),
};

function chain(specs: Array<{ amount: number; userId?: string }>): ChainedRow[] {
  const rows: ChainedRow[] = [];
  const balances = new Map<string, number>();
  let prevHash = GENESIS_HASH;
  specs.forEach((spec, index) => {
    const userId = spec.userId ?? 'u1';
    const balanceAfter = (balances.get(userId) ?? 0) + spec.amount;
    balances.set(userId, balanceAfter);
    const fields = { ...base, id: `e${index + 1}`, userId, amount: spec.amount, balanceAfter, idempotencyKey: `k${index + 1}`, sequence: index + 1 };
    const hash = computeLedgerHash(prevHash, fields);
    rows.push({ ...fields, prevHash, hash });
    prevHash = hash;
  });
  return rows;
}

describe('canonicalLedgerFields', () => {
  it('is a fixed-order JSON array with the time in milliseconds', () => {
    expect(canonicalLedgerFields({ ...base, sequence: 7 })).toBe('[7,"e1","u1","topup",1000,1000,"first",null,"k1",1700000000123]');
  });

  it.each([
    ['amount', { amount: 1_001 }],
    ['balanceAfter', { balanceAfter: 999 }],
    ['reason', { reason: 'first ' }],
    ['actorId', { actorId: 'admin' }],
    ['kind', { kind: 'refund' }],
    ['createdAt', { createdAt: new Date(1_700_000_000_124) }],
    ['sequence', { sequence: 2 }],
  ])('changes the hash when %s changes', (_, change) => {
    const original = computeLedgerHash(GENESIS_HASH, { ...base, sequence: 1 });
    expect(computeLedgerHash(GENESIS_HASH, { ...base, sequence: 1, ...change })).not.toBe(original);
  });

  it('depends on the previous hash', () => {
    expect(computeLedgerHash(GENESIS_HASH, { ...base, sequence: 1 })).not.toBe(computeLedgerHash('f'.repeat(64), { ...base, sequence: 1 }));
    expect(computeLedgerHash(GENESIS_HASH, { ...base, sequence: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('walkChain', () => {
  const rows = chain([{ amount: 100 }, { amount: 50, userId: 'u2' }, { amount: -30 }, { amount: 5 }]);

  it('accepts an intact chain across batches and ends at the head', () => {
    const walk = startChainWalk();
    expect(walkChain(walk, rows.slice(0, 2))).toBeNull();
    expect(walkChain(walk, rows.slice(2))).toBeNull();
    expect(walk.checked).toBe(4);
    expect(checkChainHead(walk, { sequence: 4, hash: rows[3]?.hash ?? '' })).toBeNull();
  });

  it.each<[string, (copy: ChainedRow[]) => ChainedRow[], { sequence: number; problem: string }]>([
    ['an edited amount', (copy) => copy.map((row) => (row.sequence === 3 ? { ...row, amount: -3 } : row)), { sequence: 3, problem: 'hash_mismatch' }],
    ['a removed row', (copy) => copy.filter((row) => row.sequence !== 2), { sequence: 3, problem: 'sequence_gap' }],
    ['a re-hashed row', (copy) => copy.map((row) => (row.sequence === 2 ? { ...row, reason: 'x', hash: computeLedgerHash(row.prevHash, { ...row, reason: 'x' }) } : row)), { sequence: 3, problem: 'prev_hash_mismatch' }],
    ['a consistent re-hash with a wrong balance', (copy) => {
      const forged = { ...copy[0]!, amount: 101 };
      return [{ ...forged, hash: computeLedgerHash(forged.prevHash, forged) }];
    }, { sequence: 1, problem: 'balance_after_mismatch' }],
  ])('reports %s at the first broken entry', (_, mutate, expected) => {
    expect(walkChain(startChainWalk(), mutate(rows.map((row) => ({ ...row }))))).toMatchObject(expected);
  });

  it('reports a truncated tail at the head', () => {
    const walk = startChainWalk();
    walkChain(walk, rows.slice(0, 3));
    expect(checkChainHead(walk, { sequence: 4, hash: rows[3]?.hash ?? '' })).toEqual({ entryId: null, sequence: 4, problem: 'head_mismatch' });
  });
});
