import { DomainError, FieldError } from './domain-errors';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://deskline.dev/problems/';

export function problemType(code: string): string {
  return PROBLEM_BASE + code.replace(/_/g, '-');
}

export function problemFromDomainError(error: DomainError, instance?: string): Problem {
  return {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.detail,
    ...(instance ? { instance } : {}),
    ...error.extensions,
  };
}

const STATUS_TITLES: Record<number, [string, string]> = {
  400: ['bad_request', 'Bad Request'],
  401: ['unauthenticated', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not_found', 'Not Found'],
  405: ['method_not_allowed', 'Method Not Allowed'],
  406: ['not_acceptable', 'Not Acceptable'],
  409: ['conflict', 'Conflict'],
  411: ['length_required', 'Length Required'],
  412: ['precondition_failed', 'Precondition Failed'],
  408: ['request_timeout', 'Request Timeout'],
  413: ['payload_too_large', 'Payload Too Large'],
  414: ['uri_too_long', 'URI Too Long'],
  415: ['unsupported_media_type', 'Unsupported Media Type'],
  422: ['validation_failed', 'Validation Failed'],
  428: ['precondition_required', 'Precondition Required'],
  429: ['too_many_requests', 'Too Many Requests'],
  431: ['request_header_fields_too_large', 'Request Header Fields Too Large'],
};

export function problemForStatus(status: number, detail: string, extra: Record<string, unknown> = {}): Problem {
  const [code, title] = STATUS_TITLES[status] ?? (status >= 500 ? ['internal_error', 'Internal Server Error'] : ['client_error', 'Client Error']);
  return { type: problemType(code), title, status, detail, ...extra };
}
