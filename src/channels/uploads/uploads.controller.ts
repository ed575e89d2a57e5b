import { Controller, Inject, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth, ApiBody, ApiBodyOptions, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags, ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PortalGuard } from '../portal/portal.guard';
import { actingAsRequester, CurrentPortalSession, PortalSession } from '../portal/portal-session';
import { multipartFiles } from './multipart-files';
import { UploadListView } from './upload.dto';
import { UploadsService } from './uploads.service';

const BODY: ApiBodyOptions = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      file: {
        type: 'array',
        maxItems: 10,
        items: { type: 'string', format: 'binary', maxLength: 20 * 1024 * 1024 },
        description: 'One or more file parts (any field name). The limits shown are the defaults: UPLOAD_MAX_FILES_PER_MESSAGE and UPLOAD_MAX_FILE_BYTES change them.',
      },
    },
  },
};
const TOO_LARGE = 'upload_limit_exceeded: a file over UPLOAD_MAX_FILE_BYTES (default 20 MB), more than UPLOAD_MAX_FILES_PER_MESSAGE files (default 10) or '
  + 'more than UPLOAD_MAX_MESSAGE_BYTES in all; `limit` names the setting. The request is cut off at the limit and nothing of it is kept.';

@ApiTags('Uploads')
@ApiBearerAuth()
@Controller('v1/uploads')
export class UploadsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly uploads: UploadsService) {}

  @Post()
  @ApiOperation({
    summary: 'Upload files to attach to a message',
    description:
      'Any agent or admin. multipart/form-data with one or more file parts, streamed to storage as they arrive. Answers each file\'s id, name, size, '
      + 'contentType (found from the bytes) and expiresAt: pass the ids in `attachments` of POST /v1/tickets (message.attachments), '
      + 'POST /v1/tickets/{id}/messages or a macro\'s add_reply within 24 hours (UPLOAD_TTL_SECONDS), or the upload is removed. Only the caller '
      + 'who uploaded a file may attach it.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(BODY)
  @ApiCreatedResponse({ type: UploadListView })
  @ApiPayloadTooLargeResponse({ description: TOO_LARGE })
  @ApiUnsupportedMediaTypeResponse({ description: 'The body is not multipart/form-data.' })
  create(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<UploadListView> {
    return this.uploads.receive(principal, multipartFiles(request, this.config.uploads)).then((data) => ({ data }));
  }
}

/** The portal's uploads: a requester's files, for their own new requests and replies. */
@ApiTags('Customer portal')
@ApiBearerAuth()
@Public()
@UseGuards(PortalGuard)
@Controller('v1/portal/uploads')
export class PortalUploadsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly uploads: UploadsService) {}

  @Post()
  @ApiOperation({
    summary: 'Upload files to attach to a request or reply (portal)',
    description:
      'Portal token only. Like POST /v1/uploads, for the signed-in requester: pass the ids in `attachments` of POST /v1/portal/tickets '
      + 'or POST /v1/portal/tickets/{id}/messages. Nobody else can attach them.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(BODY)
  @ApiCreatedResponse({ type: UploadListView })
  @ApiPayloadTooLargeResponse({ description: TOO_LARGE })
  @ApiUnsupportedMediaTypeResponse({ description: 'The body is not multipart/form-data.' })
  create(@CurrentPortalSession() session: PortalSession, @Req() request: FastifyRequest): Promise<UploadListView> {
    return this.uploads.receive(actingAsRequester(session), multipartFiles(request, this.config.uploads)).then((data) => ({ data }));
  }
}
