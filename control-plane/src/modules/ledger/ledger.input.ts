import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class AdjustBalanceInput {
  @Field(() => ID)
  userId!: string;

  @Field(() => SafeIntResolver, { description: 'Credits; negative to deduct.' })
  amount!: number;

  @Field(() => String)
  reason!: string;

  @Field(() => String, { nullable: true, description: 'Optional; a repeated key does nothing.' })
  idempotencyKey?: string | null;
}
