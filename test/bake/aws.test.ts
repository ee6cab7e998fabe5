/**
 * The AWS clients the build makes: the SDK's adaptive retry strategy (throttling included) with
 * more attempts than the SDK's default, and path-style S3 behind a custom endpoint. Against a
 * local server that answers like EC2 and S3 do when they throttle or fail.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, test } from '@jest/globals';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { MAX_ATTEMPTS, createEc2, createS3, customS3Endpoint } from '../../src/aws/clients.js';
import { applyEnv, awsEnv } from '../support/moto.js';

interface Seen {
  method: string;
  host: string;
  url: string;
  /** The SDK's `amz-sdk-request` header: `attempt=N; max=M`. */
  attempt: string;
}

let server: Server | undefined;
const port = () => (server!.address() as { port: number }).port;
let restore: (() => void) | undefined;
afterEach(async () => {
  restore?.();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** Serves `answers` in turn (the last one repeats) and points the SDK at it. */
async function serve(answers: { status: number; body: string }[]): Promise<Seen[]> {
  const seen: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({
        method: req.method!,
        host: String(req.headers.host),
        url: req.url!,
        attempt: String(req.headers['amz-sdk-request']),
      });
      const a = answers[Math.min(seen.length - 1, answers.length - 1)];
      res.writeHead(a.status, { 'content-type': 'text/xml' });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  // A host name, not an address: the SDK would use path-style for an IP address by itself.
  restore = applyEnv(awsEnv(`http://localhost:${port}`));
  return seen;
}

const ec2Error = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code>` +
  `<Message>${code}</Message></Error></Errors><RequestID>r</RequestID></Response>`;

describe('retries', () => {
  test('EC2: throttling and server errors are retried, more often than the SDK default of 3', async () => {
    const seen = await serve([
      { status: 503, body: ec2Error('RequestLimitExceeded') },
      { status: 500, body: ec2Error('InternalError') },
      { status: 503, body: ec2Error('Unavailable') },
      { status: 500, body: ec2Error('InternalError') },
      {
        status: 200,
        body:
          '<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>' +
          '<imagesSet><item><imageId>ami-1</imageId><imageState>available</imageState></item></imagesSet>' +
          '</DescribeImagesResponse>',
      },
    ]);
    const out = await createEc2('us-east-1').send(new DescribeImagesCommand({ ImageIds: ['ami-1'] }));
    expect(out.Images?.[0]?.ImageId).toBe('ami-1');
    expect(seen.map((s) => s.attempt)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `attempt=${n}; max=${MAX_ATTEMPTS}`),
    );
    expect(MAX_ATTEMPTS).toBeGreaterThan(3);
  });

  test('S3: SlowDown is retried; a custom endpoint gets path-style requests', async () => {
    const seen = await serve([
      {
        status: 503,
        body: '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce your request rate</Message></Error>',
      },
      { status: 200, body: 'status=0\n' },
    ]);
    const s3 = createS3('us-east-1');
    const out = await s3.send(new GetObjectCommand({ Bucket: 'my-bucket', Key: 'a/b.result' }));
    expect(await out.Body?.transformToString()).toBe('status=0\n');
    expect(seen.map((s) => `${s.host}${s.url.split('?')[0]}`)).toEqual(
      [1, 2].map(() => `localhost:${port()}/my-bucket/a/b.result`),
    );
    expect(seen[1].attempt).toBe(`attempt=2; max=${MAX_ATTEMPTS}`);
  });
});

describe('custom endpoints', () => {
  test('path-style S3 with AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3, not with an EC2 endpoint alone', () => {
    expect(customS3Endpoint({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' })).toBe(true);
    expect(customS3Endpoint({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' })).toBe(true);
    expect(customS3Endpoint({ AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9' })).toBe(false);
    expect(customS3Endpoint({})).toBe(false);
  });
});
