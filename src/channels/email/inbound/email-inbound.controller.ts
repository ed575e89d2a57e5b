import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AdminOnly, CurrentPrincipal } from '../../../auth/auth.decorators';
import { Principal } from '../../../auth/principal';
import { createValidationPipe } from '../../../common/errors/validation';
import { InboundEmailInput, InboundEmailQuery, InboundEmailResultView } from '../dto/inbound-email.dto';
import { EmailIntakeService } from './email-intake.service';

const STATUS = { created: 201, appended: 201, duplicate: 200, suppressed: 202 } as const;

@ApiTags('Channels')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/channels/email')
export class EmailInboundController {
  private readonly validation = createValidationPipe();

  constructor(private readonly intake: EmailIntakeService) {}

  @Post('inbound')
  @ApiOperation({
    summary: 'Receive an inbound email',
    description:
      'Admins only: for mail gateways that push instead of being polled. The raw email as message/rfc822 (limit MAIL_MAX_EMAIL_BYTES), or JSON {raw} base64-encoded. A new conversation opens a ticket, a reply (by its headers) is appended to its ticket: 201. The same Message-ID again answers 200 duplicate and stores nothing; automatic replies (RFC 3834 and autoresponder headers) are suppressed (202) so mail cannot loop. mailboxId names the mailbox it arrived at; by default the first recipient that is one of your mailboxes.',
  })
  @ApiConsumes('message/rfc822', 'application/json')
  @ApiBody({ description: 'The raw email (message/rfc822), or JSON {raw} with it base64-encoded.', type: InboundEmailInput })
  @ApiOkResponse({ type: InboundEmailResultView, description: '201 created/appended, 200 duplicate (stored once already), 202 suppressed.' })
  async receive(
    @CurrentPrincipal() principal: Principal,
    @Query() query: InboundEmailQuery,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InboundEmailResultView> {
    // One route, two body shapes: raw MIME arrives as a Buffer from our content-type parser, JSON is validated here.
    const raw = Buffer.isBuffer(body)
      ? body
      : Buffer.from(((await this.validation.transform(body ?? {}, { type: 'body', metatype: InboundEmailInput })) as InboundEmailInput).raw, 'base64');
    const result = await this.intake.receive(principal, raw, { mailboxId: query.mailboxId });
    void reply.status(STATUS[result.outcome]);
    return result;
  }
}
