import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsController } from './contacts.controller';
import { ContactsResolver } from './contacts.resolver';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';
import { ContactEntity } from './entities/contact.entity';
import { OrganizationContactsController } from './organization-contacts.controller';
import { OrganizationContactsResolver, OrganizationMembersResolver } from './organization-contacts.resolver';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ContactCustomFieldValues } from './contact-custom-field-values';
import { FieldsModule } from '../fields/fields.module';

@Module({
  imports: [OrganizationsModule, TypeOrmModule.forFeature([ContactEntity]), FieldsModule],
  controllers: [ContactsController, OrganizationContactsController],
  providers: [ContactsService, ContactsRepository, ContactsResolver, OrganizationContactsResolver, OrganizationMembersResolver, ContactCustomFieldValues],
  exports: [ContactsService],
})
export class ContactsModule {}
