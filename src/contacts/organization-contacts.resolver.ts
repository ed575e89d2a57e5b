import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { connection } from '../graphql/connection';
import { requestLoader } from '../graphql/request-loaders';
import { OrganizationView } from '../organizations/dto/organization.dto';
import { OrganizationsService } from '../organizations/organizations.service';
import { contactCursor, ContactsService } from './contacts.service';
import { ContactConnection, ContactPageArgs, ContactView } from './dto/contact.dto';

/** The contact–organization link in GraphQL: a contact's organization, an organization's contacts. */
@Resolver(() => ContactView)
export class OrganizationContactsResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationView, { nullable: true })
  async organization(@Parent() contact: ContactView, @CurrentPrincipal() principal: Principal, @Context() context: object): Promise<OrganizationView | null> {
    if (!contact.organizationId) return null;
    return requestLoader(context, 'organizations', (ids) => this.organizations.findByIds(principal, ids)).load(contact.organizationId);
  }
}

@Resolver(() => OrganizationView)
export class OrganizationMembersResolver {
  constructor(private readonly contactsService: ContactsService) {}

  @ResolveField(() => ContactConnection, { description: 'The contacts that belong to the organization, newest first.' })
  contacts(@Parent() organization: OrganizationView, @CurrentPrincipal() principal: Principal, @Args() args: ContactPageArgs): Promise<ContactConnection> {
    return connection(() => this.contactsService.list(principal, { limit: args.first, cursor: args.after, organizationId: organization.id }), contactCursor);
  }
}
