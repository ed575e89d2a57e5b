import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomFieldDefinitionEntity } from './entities/custom-field-definition.entity';
import { CustomFieldSettingsEntity } from './entities/custom-field-settings.entity';
import { FieldsController } from './fields.controller';
import { FieldsRepository } from './fields.repository';
import { FieldsResolver } from './fields.resolver';
import { FieldsService } from './fields.service';

/** Typed custom fields: definitions per entity kind and the validation every write of customFields goes through. */
@Module({
  imports: [TypeOrmModule.forFeature([CustomFieldDefinitionEntity, CustomFieldSettingsEntity])],
  controllers: [FieldsController],
  providers: [FieldsService, FieldsRepository, FieldsResolver],
  exports: [FieldsService],
})
export class FieldsModule {}
