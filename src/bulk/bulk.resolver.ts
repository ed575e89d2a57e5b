import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { BulkUpdateTickets } from './bulk-update-tickets';
import { BulkUpdateTicketsInput, BulkUpdateView } from './dto/bulk.dto';

@Resolver()
export class BulkResolver {
  constructor(private readonly bulk: BulkUpdateTickets) {}

  @Mutation(() => BulkUpdateView, { description: 'POST /v1/tickets/bulk: each ticket in its own transaction; failed ones carry their problem.' })
  bulkUpdateTickets(@CurrentPrincipal() principal: Principal, @Args('input') input: BulkUpdateTicketsInput): Promise<BulkUpdateView> {
    return this.bulk.execute(principal, input);
  }
}
