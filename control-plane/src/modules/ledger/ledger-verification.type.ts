// What verifyLedger reports: the chain walk's first break (if any) and users whose balance is not their ledger sum.
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class BalanceMismatch {
  @Field(() => ID)
  userId!: string;

  @Field(() => SafeIntResolver, { description: 'users.balance as stored.' })
  balance!: number;

  @Field(() => SafeIntResolver, { description: 'Sum of the user\'s postings.' })
  ledgerSum!: number;
}

@ObjectType()
export class LedgerVerification {
  @Field(() => Boolean, { description: 'true when the chain is intact and every balance equals its ledger sum.' })
  ok!: boolean;

  @Field(() => Int, { description: 'Postings checked before the first break (all of them when the chain is intact).' })
  checkedEntries!: number;

  @Field(() => SafeIntResolver)
  headSequence!: number;

  @Field(() => String)
  headHash!: string;

  @Field(() => ID, { nullable: true, description: 'The first posting that fails verification.' })
  firstBrokenEntryId!: string | null;

  @Field(() => SafeIntResolver, { nullable: true })
  firstBrokenSequence!: number | null;

  @Field(() => String, { nullable: true, description: 'sequence_gap | prev_hash_mismatch | hash_mismatch | balance_after_mismatch | head_mismatch' })
  problem!: string | null;

  @Field(() => [BalanceMismatch], { description: 'At most 100 users whose balance differs from the sum of their postings.' })
  balanceMismatches!: BalanceMismatch[];
}
