import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { ApplyMacroQuery, CreateMacroInput, MacroApplicationView, MacroListView, MacroView, UpdateMacroInput } from './dto/macro.dto';
import { MacrosService } from './macros.service';

@ApiTags('Macros')
@ApiBearerAuth()
@Controller('v1')
export class MacrosController {
  constructor(private readonly macros: MacrosService) {}

  @Get('macros')
  @ApiOkResponse({ type: MacroListView, description: 'Oldest first; agents see workspace macros, their teams\' and their own.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<MacroView>> {
    return this.macros.list(principal, page);
  }

  @Get('macros/:id')
  @ApiOkResponse({ type: MacroView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<MacroView> {
    return this.macros.get(principal, id);
  }

  @Post('macros')
  @ApiCreatedResponse({ type: MacroView, description: 'Unknown template placeholders and actions missing their fields are a 422 naming the field.' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateMacroInput): Promise<MacroView> {
    return this.macros.create(principal, input);
  }

  @Patch('macros/:id')
  @ApiOkResponse({ type: MacroView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateMacroInput): Promise<MacroView> {
    return this.macros.update(principal, id, input);
  }

  @Delete('macros/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.macros.delete(principal, id);
  }

  @Post('tickets/:id/macros/:macroId/apply')
  @HttpCode(200)
  @ApiTags('Tickets')
  @ApiOkResponse({ type: MacroApplicationView })
  apply(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdParamPipe) id: string,
    @Param('macroId', IdParamPipe) macroId: string,
    @Query() query: ApplyMacroQuery,
  ): Promise<MacroApplicationView> {
    return this.macros.apply(principal, id, macroId, query.dryRun ?? false);
  }
}
