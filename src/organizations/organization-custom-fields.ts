import { Principal } from '../auth/principal';

/**
 * The one place an organization's customFields are checked before they are stored (create and update). Free-form JSON
 * for now (the DTO bounds its size); typed field definitions plug in here.
 */
export function validateOrganizationCustomFields(_principal: Principal, customFields: Record<string, unknown>): Record<string, unknown> {
  return customFields;
}
