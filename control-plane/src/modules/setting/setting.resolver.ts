import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ADMIN_ROLES } from '../../graphql/auth-checker';
import type { GraphqlContext } from '../../graphql/context';
import { GatewaySettings, GatewaySettingsPayload, UpdateGatewaySettingsInput } from './setting.types';

@Resolver(() => GatewaySettings)
export class SettingResolver {
  @Authorized(ADMIN_ROLES)
  @Query(() => GatewaySettings, { description: 'Routing, retry, breaker, affinity and limit settings, and group price multipliers.' })
  gatewaySettings(@Ctx() context: GraphqlContext): Promise<GatewaySettings> {
    return context.services.settings.get(context.em);
  }

  @Authorized(ADMIN_ROLES)
  @Mutation(() => GatewaySettingsPayload)
  async updateGatewaySettings(
    @Ctx() context: GraphqlContext,
    @Arg('input', () => UpdateGatewaySettingsInput) input: UpdateGatewaySettingsInput,
  ): Promise<GatewaySettingsPayload> {
    return { settings: await context.services.settings.update(context.em, context, input) };
  }
}
