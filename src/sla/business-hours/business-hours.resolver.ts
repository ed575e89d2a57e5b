import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { connection } from '../../graphql/connection';
import { creationCursor } from '../../common/pagination/keyset';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { BusinessHoursArgs, BusinessHoursConnection, BusinessHoursView, CreateBusinessHoursInput, UpdateBusinessHoursInput } from './dto/business-hours.dto';
import { BusinessHoursService } from './business-hours.service';

@Resolver(() => BusinessHoursView)
export class BusinessHoursResolver {
  constructor(private readonly calendars: BusinessHoursService) {}

  @Query(() => BusinessHoursConnection, { description: 'Business-hours calendars, oldest first.' })
  businessHoursCalendars(@CurrentPrincipal() principal: Principal, @Args() args: BusinessHoursArgs): Promise<BusinessHoursConnection> {
    return connection(() => this.calendars.list(principal, { limit: args.first, cursor: args.after }), creationCursor);
  }

  @Query(() => BusinessHoursView)
  businessHours(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<BusinessHoursView> {
    return this.calendars.get(principal, id);
  }

  @Mutation(() => BusinessHoursView)
  @AdminOnly()
  createBusinessHours(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateBusinessHoursInput): Promise<BusinessHoursView> {
    return this.calendars.create(principal, input);
  }

  @Mutation(() => BusinessHoursView)
  @AdminOnly()
  updateBusinessHours(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('input') input: UpdateBusinessHoursInput,
  ): Promise<BusinessHoursView> {
    return this.calendars.update(principal, id, input);
  }

  @Mutation(() => ID, { description: 'Returns the id of the deleted calendar.' })
  @AdminOnly()
  async deleteBusinessHours(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.calendars.delete(principal, id);
    return id;
  }
}
