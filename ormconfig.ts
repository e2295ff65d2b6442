import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadAppConfig, readProcessEnvironment } from './src/config/app-config.js';
import { dataSourceOptions } from './src/database/data-source-options.js';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:run`, `migration:revert`).
 * The service runs pending migrations itself on every start, the embedded database included;
 * the CLI is for a PostgreSQL of your own, so it needs DATABASE_URL.
 */
const { database } = loadAppConfig(readProcessEnvironment());
if (!database.url) {
  throw new Error('Set DATABASE_URL for the migration CLI (the service migrates its embedded database on start).');
}

export default new DataSource(dataSourceOptions(database.url));
