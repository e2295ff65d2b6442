import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { UnitOfWork } from './unit-of-work.js';

describe(UnitOfWork.name, () => {
  let log: string[];
  /** A DataSource whose transactions log their commit (or rollback, when the work throws). */
  const dataSource = {
    async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
      try {
        const result = await work({} as EntityManager);
        log.push('commit');
        return result;
      } catch (error) {
        log.push('rollback');
        throw error;
      }
    },
  } as unknown as DataSource;
  const sut = new UnitOfWork(dataSource);

  beforeEach(() => {
    log = [];
  });

  it('runs the effects the work registered after the commit, in order, and answers the result', async () => {
    const result = await sut.run((transaction) => {
      transaction.afterCommit(() => log.push('first effect'));
      transaction.afterCommit(() => log.push('second effect'));
      log.push('work');
      return Promise.resolve(42);
    });
    expect(result).toBe(42);
    expect(log).toEqual(['work', 'commit', 'first effect', 'second effect']);
  });

  it('runs no effect when the transaction rolls back', async () => {
    await expect(
      sut.run((transaction) => {
        transaction.afterCommit(() => log.push('effect'));
        return Promise.reject(new Error('conflict'));
      }),
    ).rejects.toThrow('conflict');
    expect(log).toEqual(['rollback']);
  });

  it('runs the other effects when one fails, reports it, and still answers: the change is committed', async () => {
    const reported = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const result = await sut.run((transaction) => {
      transaction.afterCommit(() => {
        throw new Error('cache gone');
      });
      transaction.afterCommit(() => log.push('second effect'));
      return Promise.resolve('done');
    });
    expect(result).toBe('done');
    expect(log).toEqual(['commit', 'second effect']);
    expect(reported).toHaveBeenCalledWith(expect.stringContaining('cache gone'));
    reported.mockRestore();
  });
});
