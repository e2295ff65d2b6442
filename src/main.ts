import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { InvalidConfigurationError, loadAppConfig, readProcessEnvironment } from './config/app-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(readProcessEnvironment());
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    process.stderr.write(`Portcullis will not start. ${error.message}\n`);
    process.exit(1);
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
}

main().catch((error: unknown) => {
  process.stderr.write(`Portcullis failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
