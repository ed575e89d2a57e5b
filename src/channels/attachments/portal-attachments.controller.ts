import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { PortalGuard } from '../portal/portal.guard';
import { actingAsRequester, CurrentPortalSession, PortalSession } from '../portal/portal-session';
import { PortalTicketsService } from '../portal/portal-tickets.service';
import { MessageChannelDetails } from './attachments.service';
import { sendAttachment } from './content-disposition';

/** Lives with the attachments it serves (the portal module cannot import the channels module that imports it). */
@ApiTags('Customer portal')
@ApiBearerAuth()
@Public()
@UseGuards(PortalGuard)
@Controller('v1/portal/tickets/:id/messages/:messageId')
export class PortalAttachmentsController {
  constructor(private readonly portal: PortalTicketsService, private readonly details: MessageChannelDetails) {}

  @Get('attachments/:attachmentId')
  @ApiOperation({
    summary: 'Download a file from the requester\'s own ticket (portal)',
    description:
      'Portal token only. The file of a public message on the requester\'s own ticket; 404 for internal notes\' files and for other requesters\' tickets.',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, with its stored content type and name; 404 for internal notes and other requesters\' tickets.' })
  async download(
    @CurrentPortalSession() session: PortalSession,
    @Param('id', IdParamPipe) id: string,
    @Param('messageId', IdParamPipe) messageId: string,
    @Param('attachmentId', IdParamPipe) attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.portal.assertOwn(session, id);
    const file = await this.details.download(actingAsRequester(session), id, messageId, attachmentId, { publicOnly: true });
    await sendAttachment(reply, file);
  }
}
