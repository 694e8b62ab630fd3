// What one node may spend for a user while Redis is unreachable (DESIGN §7): requests keep flowing for callers this
// node has seen recently, up to the smaller of a fixed cap per user (OFFLINE_SPEND_ALLOWANCE) and the wallet balance
// the node last saw, less what it spent offline and Redis has not booked yet. The charges are applied to Redis when it
// returns (the spool replay, or the settle itself if Redis is back by then); only then does that spend leave the
// count, so a short Redis blip (one reserve answered between two outages) cannot hand out the same balance twice. The
// bound is per node: N nodes may let a user overspend by at most N x the cap, never by an unbounded amount.
// Not offered: quota-limited keys (their remaining quota is not known offline) and spend that only a plan allowance
// would cover (the node learns wallet balances, not allowances).

/** Users whose last balance is remembered; beyond this the least recently seen are forgotten (they get 503 offline). */
const MAX_KNOWN_USERS = 100_000;

export class OfflineAllowance {
  private readonly knownWallets = new Map<string, number>();
  private readonly spentOffline = new Map<string, number>();

  /** `capPerUser` 0 turns offline spending off: every reserve answers 503 while Redis is down. */
  constructor(readonly capPerUser: number) {}

  /**
   * Records the wallet balance Redis just reported for a user. What was spent offline is kept: Redis does not know it
   * until it is booked (booked()), so the reported balance does not include it yet.
   */
  observe(userId: string, wallet: number): void {
    if (this.capPerUser === 0) return;
    // Insertion order is enough for forgetting the oldest: re-ordering on every request cost more than it saved.
    this.knownWallets.set(userId, wallet);
    if (this.knownWallets.size > MAX_KNOWN_USERS) {
      const oldest = this.knownWallets.keys().next().value;
      if (oldest !== undefined) this.knownWallets.delete(oldest);
    }
  }

  /** Takes `amount` from the user's offline allowance; false when it does not fit (or the user is unknown). */
  tryReserve(userId: string, amount: number): boolean {
    const wallet = this.knownWallets.get(userId);
    if (wallet === undefined) return false;
    const spent = this.spentOffline.get(userId) ?? 0;
    if (spent + amount > this.capPerUser || spent + amount > wallet) return false;
    this.spentOffline.set(userId, spent + amount);
    return true;
  }

  /** Replaces a reservation's `reserved` by what the request actually cost. */
  settle(userId: string, reserved: number, actual: number): void {
    const spent = this.spentOffline.get(userId);
    if (spent === undefined) return;
    this.spentOffline.set(userId, Math.max(0, spent - reserved + actual));
  }

  /**
   * An offline request's charge reached Redis (late charge booked, or found booked already): it leaves the offline
   * count, and the balance last seen drops by what the wallet paid (until the next observe() reads it afresh).
   */
  booked(userId: string, cost: number, walletCost: number): void {
    const spent = this.spentOffline.get(userId);
    if (spent !== undefined) {
      if (spent - cost > 0) this.spentOffline.set(userId, spent - cost);
      else this.spentOffline.delete(userId);
    }
    const wallet = this.knownWallets.get(userId);
    if (wallet !== undefined && walletCost > 0) this.knownWallets.set(userId, Math.max(0, wallet - walletCost));
  }

  /** Credits a user has spent offline on this node that Redis has not booked yet. */
  spent(userId: string): number {
    return this.spentOffline.get(userId) ?? 0;
  }
}
