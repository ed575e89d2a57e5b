import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyView } from './api-key.dto';

export class ApiKeyListView {
  @ApiProperty({ type: [ApiKeyView] }) data: ApiKeyView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
