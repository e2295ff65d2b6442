import { setImmediate as nextTurn } from 'node:timers/promises';
import { TurnBatchedOutput } from './turn-batched-output.js';

describe(TurnBatchedOutput.name, () => {
  const outputWrites = (): { writes: string[]; output: { write: (chunk: string) => void } } => {
    const writes: string[] = [];
    return { writes, output: { write: (chunk) => void writes.push(chunk) } };
  };

  it('writes the lines of one turn together, once the turn is over', async () => {
    const { writes, output } = outputWrites();
    const sut = new TurnBatchedOutput(output);
    sut.write('one\n');
    sut.write('two\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['one\ntwo\n']);
  });

  it('writes the next turn’s lines in a write of their own', async () => {
    const { writes, output } = outputWrites();
    const sut = new TurnBatchedOutput(output);
    sut.write('one\n');
    await nextTurn();
    sut.write('two\n');
    await nextTurn();
    expect(writes).toEqual(['one\n', 'two\n']);
  });

  it('writes what is left when the process exits', () => {
    const { writes, output } = outputWrites();
    const sut = new TurnBatchedOutput(output);
    sut.write('last words\n');
    process.emit('exit', 0);
    expect(writes).toEqual(['last words\n']);
  });
});
