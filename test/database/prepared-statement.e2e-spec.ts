import { DataSource } from 'typeorm';
import { PreparedStatement, poolOf } from '../../src/database/prepared-statement.js';
import { createTestDatabase } from '../support/test-app.js';

describe(PreparedStatement.name, () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    // One connection, so that every run meets the statement prepared by the one before.
    dataSource = new DataSource({ type: 'postgres', url: await createTestDatabase(), extra: { max: 1 } });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE probe (id integer PRIMARY KEY, label text NOT NULL)');
    await dataSource.query(`INSERT INTO probe VALUES (1, 'one'), (2, 'two')`);
  });
  afterAll(() => dataSource.destroy());

  const backendPid = async (): Promise<number> => ((await dataSource.query<[{ pid: number }]>('SELECT pg_backend_pid() AS pid'))[0].pid);

  it('prepares once per connection and answers the rows', async () => {
    const sut = new PreparedStatement<{ label: string }>('probe-label', 'SELECT label FROM probe WHERE id = $1');
    expect(await sut.run(dataSource, [1])).toEqual([{ label: 'one' }]);
    expect(await sut.run(dataSource, [2])).toEqual([{ label: 'two' }]);
    expect(await dataSource.query(`SELECT name FROM pg_prepared_statements WHERE name = 'probe-label'`)).toEqual([{ name: 'probe-label' }]);
  });

  it('keeps the connection after an error the server answered, and passes the error on', async () => {
    const sut = new PreparedStatement('probe-insert', 'INSERT INTO probe VALUES ($1, $2)');
    const before = await backendPid();
    await expect(sut.run(dataSource, [1, 'again'])).rejects.toMatchObject({ code: '23505' });
    expect(await backendPid()).toBe(before);
    expect(poolOf(dataSource)?.totalCount).toBe(1);
  });

  it('runs again, unprepared, when a migration changed what the prepared statement answers', async () => {
    const sut = new PreparedStatement<{ id: unknown }>('probe-id', 'SELECT id FROM probe ORDER BY id');
    expect(await sut.run(dataSource, [])).toEqual([{ id: 1 }, { id: 2 }]);
    const before = await backendPid();
    // The cached plan's result type changes under the prepared statement: PostgreSQL refuses it (0A000).
    await dataSource.query('ALTER TABLE probe ALTER COLUMN id TYPE bigint');
    expect(await sut.run(dataSource, [])).toEqual([{ id: '1' }, { id: '2' }]);
    expect(await backendPid()).not.toBe(before); // the connection holding the stale statement was dropped
    expect(await sut.run(dataSource, [])).toEqual([{ id: '1' }, { id: '2' }]);
  });
});
