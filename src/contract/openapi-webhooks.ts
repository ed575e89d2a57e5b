import { OpenAPIObject } from '@nestjs/swagger';
import { EVENT_TYPES } from '../events/event-catalogue';

/** The 3.1 `webhooks` section: one entry per event type, each delivering the versioned envelope. */
export function addWebhookCatalogue(document: OpenAPIObject): OpenAPIObject {
  const webhooks: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    webhooks[type] = {
      post: {
        summary: `${type} event`,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['id', 'type', 'version', 'createdAt', 'workspaceId', 'data'],
                properties: {
                  id: { type: 'string', format: 'uuid' },
                  type: { type: 'string', const: type },
                  version: { type: 'integer', const: 1 },
                  createdAt: { type: 'string', format: 'date-time' },
                  workspaceId: { type: 'string', format: 'uuid' },
                  data: { type: 'object', additionalProperties: true },
                },
              },
            },
          },
        },
        responses: { '2XX': { description: 'Any 2xx status acknowledges the delivery.' } },
      },
    };
  }
  return { ...document, webhooks } as OpenAPIObject;
}
