/** A moto_server on a free loopback port for one test file, and SDK clients pointed at it. */
import { jest } from '@jest/globals';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

// A fresh moto region loads hundreds of default AMIs on first use: slow on a busy machine.
jest.setTimeout(30_000);

export interface Moto {
  endpoint: string;
  ec2(region?: string): EC2Client;
  ssm(region?: string): SSMClient;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited: ${stderr}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`moto_server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // The code under test builds its own clients from the standard chain.
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION ??= 'us-east-1';
  delete process.env.AWS_PROFILE;
  const creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const clients = new Map<string, EC2Client>();
  return {
    endpoint,
    ec2: (region = 'us-east-1') => {
      if (!clients.has(region)) clients.set(region, new EC2Client({ region, endpoint, credentials: creds }));
      return clients.get(region)!;
    },
    ssm: (region = 'us-east-1') => new SSMClient({ region, endpoint, credentials: creds }),
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
