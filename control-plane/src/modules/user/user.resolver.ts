import { Arg, Authorized, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { connectionType } from '../../graphql/pagination';
import { CreateUserInput, UpdateUserInput } from './user.input';
import { User } from './user.entity';

export const UserConnection = connectionType('User', User);

@InputType()
export class LoginInput {
  @Field(() => String)
  username!: string;

  @Field(() => String)
  password!: string;
}

@ObjectType()
export class LoginPayload {
  @Field(() => User)
  user!: User;

  @Field(() => String, { description: 'Bearer session token for scripts; the UI uses the httpOnly cookie.' })
  sessionToken!: string;
}

@ObjectType()
export class UserPayload {
  @Field(() => User)
  user!: User;
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true })
  me(@Ctx() context: GraphqlContext): User | null {
    return context.user;
  }

  @Authorized(ADMIN_ROLES)
  @Query(() => UserConnection)
  users(
    @Ctx() context: GraphqlContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return context.services.users.listUsers(context.em, first, after);
  }

  @Mutation(() => LoginPayload)
  async login(@Ctx() context: GraphqlContext, @Arg('input', () => LoginInput) input: LoginInput): Promise<LoginPayload> {
    const result = await context.services.sessions.login(context.em, context, input.username, input.password);
    context.setSessionCookie(result.sessionToken, result.expiresAt);
    return { user: result.user, sessionToken: result.sessionToken };
  }

  @Mutation(() => Boolean)
  async logout(@Ctx() context: GraphqlContext): Promise<boolean> {
    await context.services.sessions.logout(context.em, context, context.sessionToken);
    context.clearSessionCookie();
    return true;
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => UserPayload, { description: 'Role (root only), group, status, password, rate limits or e-mail address of a user.' })
  async updateUser(@Ctx() context: GraphqlContext, @Arg('input', () => UpdateUserInput) input: UpdateUserInput): Promise<UserPayload> {
    return { user: await context.services.users.updateUser(context.em, context, input) };
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => UserPayload)
  async createUser(@Ctx() context: GraphqlContext, @Arg('input', () => CreateUserInput) input: CreateUserInput): Promise<UserPayload> {
    return { user: await context.services.users.createUser(context.em, context, input) };
  }
}
