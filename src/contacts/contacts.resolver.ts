import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { connection } from '../graphql/connection';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { contactCursor, ContactsService } from './contacts.service';
import { ContactConnection, ContactsArgs, ContactView, CreateContactInput, UpdateContactInput } from './dto/contact.dto';

@Resolver(() => ContactView)
export class ContactsResolver {
  constructor(private readonly contactsService: ContactsService) {}

  @Query(() => ContactConnection, { description: 'Contacts of the workspace, newest first.' })
  contacts(@CurrentPrincipal() principal: Principal, @Args() args: ContactsArgs): Promise<ContactConnection> {
    return connection(() => this.contactsService.list(principal, { limit: args.first, cursor: args.after, email: args.email, externalId: args.externalId, q: args.q, organizationId: args.organizationId }), contactCursor);
  }

  @Query(() => ContactView)
  contact(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<ContactView> {
    return this.contactsService.get(principal, id);
  }

  @Mutation(() => ContactView)
  createContact(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateContactInput): Promise<ContactView> {
    return this.contactsService.create(principal, input);
  }

  @Mutation(() => ContactView)
  updateContact(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('input') input: UpdateContactInput,
  ): Promise<ContactView> {
    return this.contactsService.update(principal, id, input);
  }

  @Mutation(() => ID, { description: 'Returns the id of the deleted contact.' })
  async deleteContact(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.contactsService.delete(principal, id);
    return id;
  }
}
