import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import {
  CreateCustomFieldInput, CustomFieldEntityEnum, CustomFieldSettingsInput, CustomFieldSettingsView, CustomFieldView, UpdateCustomFieldInput,
} from './dto/field.dto';
import { FieldEntity } from './field-rules';
import { FieldsService } from './fields.service';

const entityArg = { type: () => CustomFieldEntityEnum };

@Resolver(() => CustomFieldView)
export class FieldsResolver {
  constructor(private readonly fields: FieldsService) {}

  @Query(() => [CustomFieldView], { description: 'Custom field definitions of one entity kind, in form order.' })
  customFields(@CurrentPrincipal() principal: Principal, @Args('entity', entityArg) entity: FieldEntity): Promise<CustomFieldView[]> {
    return this.fields.list(principal, entity);
  }

  @Query(() => CustomFieldSettingsView)
  customFieldSettings(@CurrentPrincipal() principal: Principal): Promise<CustomFieldSettingsView> {
    return this.fields.settings(principal);
  }

  @Mutation(() => CustomFieldView)
  @AdminOnly()
  createCustomField(@CurrentPrincipal() principal: Principal, @Args('entity', entityArg) entity: FieldEntity, @Args('input') input: CreateCustomFieldInput): Promise<CustomFieldView> {
    return this.fields.create(principal, entity, input);
  }

  @Mutation(() => CustomFieldView)
  @AdminOnly()
  updateCustomField(
    @CurrentPrincipal() principal: Principal,
    @Args('entity', entityArg) entity: FieldEntity,
    @Args('key') key: string,
    @Args('input') input: UpdateCustomFieldInput,
  ): Promise<CustomFieldView> {
    return this.fields.update(principal, entity, key, input);
  }

  @Mutation(() => String, { description: 'Returns the key of the deleted field; its values are removed from every record.' })
  @AdminOnly()
  async deleteCustomField(@CurrentPrincipal() principal: Principal, @Args('entity', entityArg) entity: FieldEntity, @Args('key') key: string): Promise<string> {
    await this.fields.delete(principal, entity, key);
    return key;
  }

  @Mutation(() => CustomFieldSettingsView)
  @AdminOnly()
  updateCustomFieldSettings(@CurrentPrincipal() principal: Principal, @Args('input') input: CustomFieldSettingsInput): Promise<CustomFieldSettingsView> {
    return this.fields.updateSettings(principal, input.strictCustomFields);
  }
}
