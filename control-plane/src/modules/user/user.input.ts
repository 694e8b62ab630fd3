import { Field, ID, InputType } from 'type-graphql';
import { LimitsInput } from '../setting/setting.types';
import { Role, UserStatus } from './user.entity';

@InputType()
export class CreateUserInput {
  @Field(() => String)
  username!: string;

  @Field(() => String)
  password!: string;

  @Field(() => Role, { nullable: true, defaultValue: Role.USER })
  role?: Role;

  @Field(() => String, { nullable: true, defaultValue: 'default' })
  group?: string;

  @Field(() => String, { nullable: true, description: 'Address for notices (low balance, plan ending).' })
  email?: string | null;
}

@InputType({ description: 'Only the fields given change. limits: null returns the user to the group defaults; email: null removes the address.' })
export class UpdateUserInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => String, { nullable: true })
  group?: string | null;

  @Field(() => UserStatus, { nullable: true })
  status?: UserStatus | null;

  @Field(() => String, { nullable: true, description: 'A new password (8-256 characters); ends the user\'s sessions.' })
  password?: string | null;

  @Field(() => LimitsInput, { nullable: true })
  limits?: LimitsInput | null;

  @Field(() => String, { nullable: true, description: 'Address for notices; null or an empty string removes it.' })
  email?: string | null;
}
