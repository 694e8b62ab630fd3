// Vouchers over GraphQL: admins generate, list and export; any signed-in user redeems.
import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType, type Connection } from '../../graphql/pagination';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import { User } from '../user/user.entity';
import { CreateVouchersInput, RedeemVoucherInput } from './voucher.input';
import { Voucher } from './voucher.entity';

@ObjectType()
export class CreateVouchersPayload {
  @Field(() => ID)
  batchId!: string;

  @Field(() => [String], { description: 'The codes in clear. Also available later through voucherBatchCsv.' })
  codes!: string[];

  @Field(() => [Voucher])
  vouchers!: Voucher[];
}

@ObjectType()
export class RedeemVoucherPayload {
  @Field(() => Voucher)
  voucher!: Voucher;

  @Field(() => User, { description: 'The redeeming user, with the new balance.' })
  user!: User;

  @Field(() => LedgerEntry, { nullable: true, description: 'The credit posting (null for plan vouchers).' })
  entry!: LedgerEntry | null;
}

export const VoucherConnection = connectionType('Voucher', Voucher);

@Resolver(() => Voucher)
export class VoucherResolver {
  @Authorized(ADMIN_ROLES)
  @Query(() => VoucherConnection, { description: 'Vouchers, newest first; optionally one batch.' })
  vouchers(
    @Ctx() context: GraphqlContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('batchId', () => ID, { nullable: true }) batchId?: string | null,
  ): Promise<Connection<Voucher>> {
    return context.services.vouchers.listVouchers(context.em, first, after, batchId);
  }

  @Authorized(ADMIN_ROLES)
  @Query(() => String, { description: 'A batch as CSV text (codes in clear); every export is audited.' })
  voucherBatchCsv(@Ctx() context: GraphqlContext, @Arg('batchId', () => ID) batchId: string): Promise<string> {
    return context.services.vouchers.exportBatchCsv(context.em, context, batchId);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => CreateVouchersPayload)
  createVouchers(@Ctx() context: GraphqlContext, @Arg('input', () => CreateVouchersInput) input: CreateVouchersInput): Promise<CreateVouchersPayload> {
    return context.services.vouchers.createVouchers(context.em, context, input);
  }

  @Authorized()
  @Mutation(() => RedeemVoucherPayload, { description: 'Redeems a code for the signed-in user: NOT_FOUND for unknown or expired codes, CONFLICT when already redeemed.' })
  redeemVoucher(@Ctx() context: GraphqlContext, @Arg('input', () => RedeemVoucherInput) input: RedeemVoucherInput): Promise<RedeemVoucherPayload> {
    return context.services.vouchers.redeemVoucher(context.em, context, input);
  }
}
