import { Logger } from '@nestjs/common';
import pino from 'pino';
import { PinoNestLogger } from './pino-nest-logger.js';

describe(PinoNestLogger.name, () => {
  let lines: Record<string, unknown>[];
  let sut: PinoNestLogger;

  beforeEach(() => {
    lines = [];
    sut = new PinoNestLogger(pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }));
  });

  it('writes a message with the context Nest passes last', () => {
    sut.log('Listening', 'Portcullis');
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'Listening', context: 'Portcullis' })]);
  });

  it('keeps the stack Nest passes before the context of an error', () => {
    sut.error('Unexpected failure', 'Error: boom\n    at somewhere', 'HttpErrorFilter');
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'Unexpected failure', context: 'HttpErrorFilter', err: { stack: 'Error: boom\n    at somewhere' } })]);
  });

  it('serializes an Error with its message and stack', () => {
    sut.warn(new Error('slow down'), 'Somewhere');
    expect(lines[0]).toMatchObject({ level: 40, msg: 'slow down', context: 'Somewhere', err: { message: 'slow down', type: 'Error' } });
    expect((lines[0]?.err as { stack: string }).stack).toContain('slow down');
  });

  it('merges an object message into the line', () => {
    sut.log({ tenant: 'acme', count: 2 }, 'Seeder');
    expect(lines[0]).toMatchObject({ level: 30, tenant: 'acme', count: 2, context: 'Seeder' });
  });

  it('writes nothing below the logger level', () => {
    sut.debug('details', 'X');
    sut.verbose('more details', 'X');
    expect(lines).toEqual([]);
  });

  it('receives what a Nest Logger instance writes once it is the application logger', () => {
    Logger.overrideLogger(sut);
    try {
      new Logger('Shutdown').error('Shutdown did not finish');
    } finally {
      Logger.overrideLogger(['log', 'error', 'warn']);
    }
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'Shutdown did not finish', context: 'Shutdown' })]);
  });
});
