import { Injectable } from '@nestjs/common';

export interface ResealPage {
  /** Values this page re-sealed with the current key (values already current are left alone). */
  resealed: number;
  /** Where the next page starts; null once the owner's rows are all read. */
  next: string | null;
}

/**
 * A module that keeps values sealed with WEBHOOK_ENCRYPTION_KEY. It re-seals them itself, since only it knows their
 * rows and the associated data that binds each value to its row; the keys module only drives the pages.
 */
export interface SealedSecretsOwner {
  readonly sealedSecrets: string;
  resealPage(after: string | null, limit: number): Promise<ResealPage>;
}

/** Owners register at module init, as the tickets module's change hooks do: keys sits below them and imports none. */
@Injectable()
export class SealedSecretsRegistry {
  private readonly owners: SealedSecretsOwner[] = [];

  register(owner: SealedSecretsOwner): void {
    this.owners.push(owner);
  }

  /** Re-seals every owner's values page by page (one transaction per page), reporting progress per owner. */
  async resealAll(pageSize: number, progress: (owner: string, resealed: number) => void = () => undefined): Promise<number> {
    let total = 0;
    for (const owner of this.owners) {
      let after: string | null = null;
      let resealed = 0;
      do {
        const page: ResealPage = await owner.resealPage(after, pageSize);
        resealed += page.resealed;
        after = page.next;
      } while (after !== null);
      progress(owner.sealedSecrets, resealed);
      total += resealed;
    }
    return total;
  }
}
