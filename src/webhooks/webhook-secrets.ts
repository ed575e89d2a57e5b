import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SecretBox } from './signing/secret-box';

/** Seals signing secrets to their subscription row with the configured key. */
@Injectable()
export class WebhookSecrets {
  private readonly box: SecretBox;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.box = new SecretBox(config.webhooks.encryptionKey, config.webhooks.previousEncryptionKey);
  }

  seal(workspaceId: string, subscriptionId: string, secret: string): string {
    return this.box.seal(secret, `${workspaceId}/${subscriptionId}`);
  }

  open(workspaceId: string, subscriptionId: string, sealed: string): string {
    return this.box.open(sealed, `${workspaceId}/${subscriptionId}`);
  }

  /** The value sealed again with the current key, or null when it already is. */
  reseal(workspaceId: string, subscriptionId: string, sealed: string): string | null {
    const associatedData = `${workspaceId}/${subscriptionId}`;
    return this.box.isCurrent(sealed, associatedData) ? null : this.box.seal(this.box.open(sealed, associatedData), associatedData);
  }
}
