import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsController } from './contacts.controller';
import { ContactsResolver } from './contacts.resolver';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';
import { ContactEntity } from './entities/contact.entity';
import { ContactCustomFieldValues } from './contact-custom-field-values';
import { FieldsModule } from '../fields/fields.module';

@Module({
  imports: [TypeOrmModule.forFeature([ContactEntity]), FieldsModule],
  controllers: [ContactsController],
  providers: [ContactsService, ContactsRepository, ContactsResolver, ContactCustomFieldValues],
  exports: [ContactsService],
})
export class ContactsModule {}
