import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { NameString } from '../../common/dto/validators';

export class CreateWorkspaceInput {
  @ApiProperty({ maxLength: 200, example: 'Acme Support' }) @NameString() name: string;
  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', maxLength: 63, description: 'Derived from the name when omitted.' })
  @IsOptional() @MaxLength(63) @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'slug must be 2-63 lower-case letters, digits or dashes' }) slug?: string;
}

export class WorkspaceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
}

export class WorkspaceKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The admin API key of the new workspace. Shown only in this response.' }) key: string;
}

export class CreatedWorkspaceView {
  @ApiProperty({ type: WorkspaceView }) workspace: WorkspaceView;
  @ApiProperty({ type: WorkspaceKeyView }) apiKey: WorkspaceKeyView;
}
