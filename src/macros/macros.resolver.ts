import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { connection } from '../graphql/connection';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { creationCursor } from '../common/pagination/keyset';
import { CreateMacroInput, MacroApplicationView, MacroConnection, MacrosArgs, MacroView, UpdateMacroInput } from './dto/macro.dto';
import { MacrosService } from './macros.service';

@Resolver(() => MacroView)
export class MacrosResolver {
  constructor(private readonly macrosService: MacrosService) {}

  @Query(() => MacroConnection)
  macros(@CurrentPrincipal() principal: Principal, @Args() args: MacrosArgs): Promise<MacroConnection> {
    return connection(() => this.macrosService.list(principal, { limit: args.first, cursor: args.after }), creationCursor);
  }

  @Query(() => MacroView)
  macro(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<MacroView> {
    return this.macrosService.get(principal, id);
  }

  @Mutation(() => MacroView)
  createMacro(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateMacroInput): Promise<MacroView> {
    return this.macrosService.create(principal, input);
  }

  @Mutation(() => MacroView)
  updateMacro(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string, @Args('input') input: UpdateMacroInput): Promise<MacroView> {
    return this.macrosService.update(principal, id, input);
  }

  @Mutation(() => ID)
  async deleteMacro(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.macrosService.delete(principal, id);
    return id;
  }

  @Mutation(() => MacroApplicationView)
  applyMacro(
    @CurrentPrincipal() principal: Principal,
    @Args('ticketId', { type: () => ID }, IdParamPipe) ticketId: string,
    @Args('macroId', { type: () => ID }, IdParamPipe) macroId: string,
    @Args('dryRun', { type: () => Boolean, defaultValue: false }) dryRun: boolean,
  ): Promise<MacroApplicationView> {
    return this.macrosService.apply(principal, ticketId, macroId, dryRun);
  }
}
