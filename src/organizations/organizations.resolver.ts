import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { connection } from '../graphql/connection';
import { CreateOrganizationInput, OrganizationConnection, OrganizationsArgs, OrganizationView, UpdateOrganizationInput } from './dto/organization.dto';
import { organizationCursor, OrganizationsService } from './organizations.service';

@Resolver(() => OrganizationView)
export class OrganizationsResolver {
  constructor(private readonly organizationsService: OrganizationsService) {}

  @Query(() => OrganizationConnection, { description: 'Organizations of the workspace, oldest first.' })
  organizations(@CurrentPrincipal() principal: Principal, @Args() args: OrganizationsArgs): Promise<OrganizationConnection> {
    return connection(
      () => this.organizationsService.list(principal, { limit: args.first, cursor: args.after, externalId: args.externalId, domain: args.domain, q: args.q }),
      organizationCursor,
    );
  }

  @Query(() => OrganizationView)
  organization(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<OrganizationView> {
    return this.organizationsService.get(principal, id);
  }

  @Mutation(() => OrganizationView)
  @AdminOnly()
  createOrganization(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateOrganizationInput): Promise<OrganizationView> {
    return this.organizationsService.create(principal, input);
  }

  @Mutation(() => OrganizationView)
  @AdminOnly()
  updateOrganization(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('input') input: UpdateOrganizationInput,
  ): Promise<OrganizationView> {
    return this.organizationsService.update(principal, id, input);
  }

  @Mutation(() => ID, { description: 'Returns the id of the deleted organization. detach: true removes its contacts from it first (otherwise contacts make it a conflict).' })
  @AdminOnly()
  async deleteOrganization(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('detach', { type: () => Boolean, nullable: true }) detach?: boolean,
  ): Promise<string> {
    await this.organizationsService.delete(principal, id, { detach: detach ?? false });
    return id;
  }
}
