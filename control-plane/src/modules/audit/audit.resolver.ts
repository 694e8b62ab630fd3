// Audit-trail integrity over GraphQL (admins): seal pending rows, walk the chain, report the first broken row.
import { SafeIntResolver } from 'graphql-scalars';
import { Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { verifyAuditChain } from './audit-chain';

@ObjectType()
export class AuditVerification {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Int)
  checkedEntries!: number;

  @Field(() => SafeIntResolver)
  headSequence!: number;

  @Field(() => String)
  headHash!: string;

  @Field(() => ID, { nullable: true })
  firstBrokenEntryId!: string | null;

  @Field(() => SafeIntResolver, { nullable: true })
  firstBrokenSequence!: number | null;

  @Field(() => String, { nullable: true, description: 'sequence_gap | prev_hash_mismatch | hash_mismatch | head_mismatch' })
  problem!: string | null;
}

@Resolver()
export class AuditResolver {
  @Authorized(ADMIN_ROLES)
  @Query(() => AuditVerification, { description: 'Seals pending audit rows, then walks the audit hash chain and reports the first broken row.' })
  async verifyAuditLog(@Ctx() context: GraphqlContext): Promise<AuditVerification> {
    const report = await verifyAuditChain(context.em);
    return {
      ok: report.broken === null,
      checkedEntries: report.checked,
      headSequence: report.head.sequence,
      headHash: report.head.hash,
      firstBrokenEntryId: report.broken?.entryId ?? null,
      firstBrokenSequence: report.broken?.sequence ?? null,
      problem: report.broken?.problem ?? null,
    };
  }
}
