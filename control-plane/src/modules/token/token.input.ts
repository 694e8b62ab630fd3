import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateTokenInput {
  @Field(() => String)
  name!: string;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;

  @Field(() => [String], { nullable: true })
  models?: string[] | null;
}

@InputType()
export class RevokeTokenInput {
  @Field(() => ID)
  id!: string;
}
