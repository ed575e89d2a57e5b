import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SecretBox } from '../webhooks/signing/secret-box';

/**
 * Seals mailbox and portal credentials with the instance's encryption key. The associated data binds each sealed
 * value to its row and purpose, so a ciphertext copied onto another mailbox (or from IMAP to SMTP) fails to open.
 */
@Injectable()
export class ChannelSecrets {
  private readonly box: SecretBox;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.box = new SecretBox(config.webhooks.encryptionKey, config.webhooks.previousEncryptionKey);
  }

  seal(workspaceId: string, purpose: string, rowId: string, secret: string): string {
    return this.box.seal(secret, `channels/${purpose}/${workspaceId}/${rowId}`);
  }

  open(workspaceId: string, purpose: string, rowId: string, sealed: string): string {
    return this.box.open(sealed, `channels/${purpose}/${workspaceId}/${rowId}`);
  }

  /** The value sealed again with the current key, or null when it already is. */
  reseal(workspaceId: string, purpose: string, rowId: string, sealed: string): string | null {
    const associatedData = `channels/${purpose}/${workspaceId}/${rowId}`;
    return this.box.isCurrent(sealed, associatedData) ? null : this.box.seal(this.box.open(sealed, associatedData), associatedData);
  }
}
