import { Field, InputType } from 'type-graphql';
import { Role } from './user.entity';

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
}
