import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFailed } from '../errors/domain-errors';
import { isUuid } from '../ids';


/** Path ids are UUIDs; anything else is answered before it reaches the database. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUuid(value)) throw ValidationFailed.field(metadata.data ?? 'id', 'must be a UUID');
    return value.toLowerCase();
  }
}
