import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** One transaction under way, and what is owed once it commits. */
export interface Transaction {
  readonly manager: EntityManager;
  /**
   * Runs `effect` right after the transaction commits, and never if it rolls back: what must
   * follow a change only once it is durable (revocations taking effect here, caches forgetting,
   * soon mail and webhooks queued). Whoever makes the change registers its effect, so no caller
   * has to remember it.
   */
  afterCommit(effect: () => void): void;
}

/** Runs a transaction and then the effects its work registered. */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    const effects: Array<() => void> = [];
    const result = await this.dataSource.transaction((manager) => work({ manager, afterCommit: (effect) => void effects.push(effect) }));
    for (const effect of effects) {
      // The change is committed: a failing effect is reported, and neither undoes it nor stops the others.
      try {
        effect();
      } catch (error) {
        this.logger.error(`An after-commit effect failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    return result;
  }
}
