/** The shared moto_server harness (test/support/moto.ts) with per-region SDK clients for the
 *  golden tests; the process environment points at it so that code building its own clients
 *  (the CLI, the post step) reaches it too. */
import { jest } from '@jest/globals';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { applyEnv, startMoto as startServer } from '../support/moto.js';

// A fresh moto region loads hundreds of default AMIs on first use: slow on a busy machine.
jest.setTimeout(30_000);

export interface Moto {
  endpoint: string;
  ec2(region?: string): EC2Client;
  ssm(region?: string): SSMClient;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const server = await startServer();
  const restore = applyEnv(server.env);
  const clients = new Map<string, EC2Client>();
  return {
    endpoint: server.endpoint,
    ec2: (region = 'us-east-1') => {
      if (!clients.has(region)) clients.set(region, new EC2Client({ region, endpoint: server.endpoint }));
      return clients.get(region)!;
    },
    ssm: (region = 'us-east-1') => new SSMClient({ region, endpoint: server.endpoint }),
    reset: () => server.reset(),
    stop: async () => {
      restore();
      await server.stop();
    },
  };
}
