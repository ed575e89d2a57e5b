import { ApiProperty } from '@nestjs/swagger';

export class UploadView {
  @ApiProperty({ format: 'uuid', description: 'Pass it in `attachments` of a new ticket, reply, note or macro.' }) id: string;
  @ApiProperty({ description: 'The name the file was sent under.' }) filename: string;
  @ApiProperty({ description: 'Bytes.' }) size: number;
  @ApiProperty({ description: 'Found from the file\'s bytes, not from its name or the type the client sent.' }) contentType: string;
  @ApiProperty({ type: Date, nullable: true, description: 'When the upload is removed unless a message references it first; null once one does.' })
  expiresAt: Date | null;
}

export class UploadListView {
  @ApiProperty({ type: [UploadView], description: 'One entry per file, in the order they were sent.' }) data: UploadView[];
}
