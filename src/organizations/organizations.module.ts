import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationDomainEntity } from './entities/organization-domain.entity';
import { OrganizationEntity } from './entities/organization.entity';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsResolver } from './organizations.resolver';
import { OrganizationsService } from './organizations.service';

/** Below contacts and tickets: they name organizations; contacts registers the members delete needs (useMembers). */
import { FieldsModule } from '../fields/fields.module';
import { OrganizationCustomFieldValues } from './organization-custom-field-values';

@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, OrganizationDomainEntity]), FieldsModule],
  controllers: [OrganizationsController],
  providers: [OrganizationCustomFieldValues, OrganizationsService, OrganizationsRepository, OrganizationsResolver],
  exports: [OrganizationsService],
})
export class OrganizationsModule {}
