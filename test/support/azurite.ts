/**
 * Azurite's blob service (the Azure Storage emulator, npm `azurite`) on 127.0.0.1, in memory, as a
 * child process: the blob store behind the local Actions results service (results-service.ts).
 *
 *   const blobs = await startAzurite();
 *   blobs.service                       // a BlobServiceClient with the emulator's dev account key
 *   await blobs.stop();
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { freePort } from './moto.js';

/** Azurite's well-known development account (the same in every emulator; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** This environment without AZURITE_ACCOUNTS, which would replace the dev account. */
function devAccountEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.AZURITE_ACCOUNTS;
  return env;
}

export interface Azurite {
  /** http://127.0.0.1:PORT/devstoreaccount1 */
  url: string;
  credential: StorageSharedKeyCredential;
  service: BlobServiceClient;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
  // Azurite takes no port 0 (it would report 0): a port picked just before is the best it allows.
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--inMemoryPersistence',
      // @azure/storage-blob may speak a newer API version than this Azurite knows.
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: devAccountEnv() },
  );
  let out = '';
  const keep = (b: Buffer) => void (out = (out + b.toString()).slice(-10_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`azurite did not listen within 30 s:\n${out}`)), 30_000);
    const check = () => /successfully listens on/.test(out) && finish();
    const exited = () => fail(new Error(`azurite exited (${child.exitCode}):\n${out}`));
    const finish = () => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', exited);
      resolve();
    };
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout!.on('data', check);
    child.once('exit', exited);
    child.once('error', (err) => fail(new Error(`cannot start azurite: ${err.message}`)));
  });
  const url = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
  return {
    url,
    credential,
    service: new BlobServiceClient(url, credential),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
