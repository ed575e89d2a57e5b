import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireScope } from '../auth/auth.decorators';
import { PLATFORM_SCOPE, Principal } from '../auth/principal';
import { CreatedWorkspaceView, CreateWorkspaceInput } from './dto/workspace.dto';
import { WorkspacesService } from './workspaces.service';

@ApiTags('Workspaces')
@ApiBearerAuth()
@Controller('v1/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post()
  @ApiConflictResponse({ description: 'duplicate: a workspace with this slug exists.' })
  @ApiOperation({
    summary: 'Create a workspace (platform)',
    description:
      'Needs an API key with the platform scope (the bootstrap key); any other caller gets 403. Creates an isolated tenant and its first admin API key, returned in this response only. The slug is derived from the name when omitted; an explicit slug already taken answers 409 duplicate.',
  })
  @RequireScope(PLATFORM_SCOPE)
  @ApiCreatedResponse({ type: CreatedWorkspaceView, description: 'The new workspace and its first admin key (shown once).' })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateWorkspaceInput): Promise<CreatedWorkspaceView> {
    return this.workspaces.create(principal, input);
  }
}
