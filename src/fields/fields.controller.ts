import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import {
  CreateCustomFieldInput, CustomFieldListView, CustomFieldSettingsInput, CustomFieldSettingsView, CustomFieldView, FieldEntityParams, FieldKeyParams, UpdateCustomFieldInput,
} from './dto/field.dto';
import { FieldsService } from './fields.service';

@ApiTags('CustomFields')
@ApiBearerAuth()
@Controller('v1')
export class FieldsController {
  constructor(private readonly fields: FieldsService) {}

  @Put('field-settings')
  @ApiOperation({
    summary: 'Update the custom field settings',
    description:
      'Admins only. strictCustomFields true refuses (422 naming customFields.<key>) every write of a key without a definition; false (the default) keeps such keys as free-form values. Emits custom_field.settings_updated.',
  })
  @AdminOnly()
  @ApiOkResponse({ type: CustomFieldSettingsView })
  updateSettings(@CurrentPrincipal() principal: Principal, @Body() input: CustomFieldSettingsInput): Promise<CustomFieldSettingsView> {
    return this.fields.updateSettings(principal, input.strictCustomFields);
  }

  @Get('fields/:entity')
  @ApiOperation({ summary: 'List custom fields', description: 'Any agent or admin. The custom field definitions of tickets, contacts or organizations, in form order (position), and whether the workspace refuses keys without a definition (strictCustomFields).' })
  @ApiOkResponse({ type: CustomFieldListView })
  async list(@CurrentPrincipal() principal: Principal, @Param() params: FieldEntityParams): Promise<CustomFieldListView> {
    const data = await this.fields.list(principal, params.entity);
    return { data, strictCustomFields: (await this.fields.settings(principal)).strictCustomFields };
  }

  @Post('fields/:entity')
  @ApiConflictResponse({ description: 'duplicate: another field of this entity kind has this key; too_many_fields: the entity kind has 200 fields.' })
  @ApiOperation({
    summary: 'Create a custom field',
    description:
      'Admins only. key is unique per entity kind and never changes. dropdown and multiselect need options with unique, stable values; regex needs a pattern. required: never, always (every write must keep it filled in) or on_solve (tickets only: a ticket cannot be resolved while it is empty). Emits custom_field.created.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: CustomFieldView })
  create(@CurrentPrincipal() principal: Principal, @Param() params: FieldEntityParams, @Body() input: CreateCustomFieldInput): Promise<CustomFieldView> {
    return this.fields.create(principal, params.entity, input);
  }

  @Get('fields/:entity/:key')
  @ApiOperation({ summary: 'Get a custom field', description: 'Any agent or admin. 404 for a key not defined in this workspace.' })
  @ApiOkResponse({ type: CustomFieldView })
  get(@CurrentPrincipal() principal: Principal, @Param() params: FieldKeyParams): Promise<CustomFieldView> {
    return this.fields.get(principal, params.entity, params.key);
  }

  @Patch('fields/:entity/:key')
  @ApiConflictResponse({ description: 'field_in_use: the type changes while records hold a value (count says how many); option_in_use: an option value dropped while in use.' })
  @ApiOperation({
    summary: 'Update a custom field',
    description:
      'Admins only. Changes only the fields sent. Labels and options may change, but option values are stable: dropping one still in use answers 409 option_in_use. Changing the type while records hold a value answers 409 field_in_use with their count. Emits custom_field.updated.',
  })
  @AdminOnly()
  @ApiOkResponse({ type: CustomFieldView })
  update(@CurrentPrincipal() principal: Principal, @Param() params: FieldKeyParams, @Body() input: UpdateCustomFieldInput): Promise<CustomFieldView> {
    return this.fields.update(principal, params.entity, params.key, input);
  }

  @Delete('fields/:entity/:key')
  @ApiOperation({
    summary: 'Delete a custom field',
    description:
      'Admins only. Deletes the definition, then removes its values from every record in batches of 200, each record with its own history entry (ticket.updated, contact.updated). Emits custom_field.deleted.',
  })
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, and its values removed.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param() params: FieldKeyParams): Promise<void> {
    await this.fields.delete(principal, params.entity, params.key);
  }
}
