import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { sendAttachment } from './content-disposition';
import { MessageChannelDetails } from './attachments.service';

@ApiTags('Tickets')
@ApiBearerAuth()
@Controller('v1/tickets/:id/messages/:messageId')
export class AttachmentsController {
  constructor(private readonly details: MessageChannelDetails) {}

  @Get('attachments/:attachmentId')
  @ApiOperation({
    summary: 'Download a message attachment',
    description:
      'Any agent or admin. The file with its stored content type and name, internal notes\' files included. 404 when the ticket, message or attachment does not match.',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, with its stored content type and name.' })
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdParamPipe) id: string,
    @Param('messageId', IdParamPipe) messageId: string,
    @Param('attachmentId', IdParamPipe) attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.details.download(principal, id, messageId, attachmentId);
    await sendAttachment(reply, file);
  }

  @Get('original')
  @ApiOperation({
    summary: 'Download the original email of a message',
    description:
      'Any agent or admin. The email exactly as received (message/rfc822), quoted history and all; 404 for messages that did not arrive by email.',
  })
  @ApiProduces('message/rfc822')
  @ApiOkResponse({ description: 'The email exactly as received, quoted history and all; 404 for messages that did not arrive by email.' })
  async original(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdParamPipe) id: string,
    @Param('messageId', IdParamPipe) messageId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const raw = await this.details.original(principal, id, messageId);
    await reply.header('content-type', 'message/rfc822').header('content-disposition', 'attachment; filename="original.eml"').send(raw);
  }
}
