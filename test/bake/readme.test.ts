/**
 * The build reference (docs/build.md) as a new user copies it: the complete workflow (also
 * examples/github-workflow.yml) must be a workflow the actions accept, and the IAM policy must
 * allow every AWS call amibake makes, and no more than least privilege needs. The calls are
 * found twice: in the source (every command, waiter and upload), and on the wire (a default bake
 * of the documented shape against moto, through a gate that records each call).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import * as ebsApi from '@aws-sdk/client-ebs';
import * as ec2Api from '@aws-sdk/client-ec2';
import * as s3Api from '@aws-sdk/client-s3';
import * as ssmApi from '@aws-sdk/client-ssm';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { startInstanceDouble, type InstanceDouble } from '../support/instance-double.js';
import { useMoto, useGate } from '../support/moto.js';
import { ROOT } from '../support/runner.js';
import { makePrepared } from './fixture.js';
import { bakeInProcess, buildEnv, motoIds, s3For } from './helpers.js';

jest.setTimeout(60_000);

const doc = readFileSync(join(ROOT, 'docs/build.md'), 'utf8');
const build = doc.slice(doc.indexOf('<!-- section:build -->'), doc.indexOf('<!-- /section:build -->'));

/** The fenced blocks of `lang` in `text`, after the heading `from`. */
function blocks(text: string, lang: string, from: string): string[] {
  const at = text.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  return [...text.slice(at).matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map(
    (m) => m[1],
  );
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
interface Policy {
  Statement: Statement[];
}
function parseError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);
const actionsOf = (p: Policy) => new Set(p.Statement.flatMap((s) => list(s.Action)));

const [trust, base, golden, disk] = blocks(build, 'json', '## IAM').map((b) => JSON.parse(b));
const workflowText = blocks(build, 'yaml', '## A complete workflow')[0];
type Step = { id?: string; uses?: string; with?: Record<string, unknown>; run?: string };
type Job = {
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  steps: Step[];
};
const workflow = parse(workflowText) as { on: Record<string, unknown>; jobs: Record<string, Job> };

function actionYml(name: string): {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
} {
  return parse(readFileSync(join(ROOT, name, 'action.yml'), 'utf8'));
}

describe('the complete workflow', () => {
  test('examples/github-workflow.yml is the workflow of docs/build.md', () => {
    const file = readFileSync(join(ROOT, 'examples/github-workflow.yml'), 'utf8');
    // The file's own header comment aside.
    expect(file.replace(/^(#.*\n)+/, '')).toBe(workflowText);
  });

  test('push and workflow_dispatch; prepare without credentials, build with OIDC in an environment', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    const { prepare, build: b } = workflow.jobs;
    expect(prepare.permissions).toEqual({ contents: 'read' });
    expect(list(b.needs ?? [])).toContain('prepare');
    expect(b.environment).toBeTruthy();
    expect(b.permissions).toEqual({ 'id-token': 'write' });
    // The trust policy admits that environment only.
    expect(trust.Condition.StringEquals['token.actions.githubusercontent.com:sub']).toMatch(
      new RegExp(`:environment:${b.environment}$`),
    );
    // Credentials first, and a session that outlives the job (the post step needs it).
    const creds = b.steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    const bake = b.steps.findIndex((s) => s.uses?.includes('/action-build@'));
    expect(creds).toBeGreaterThanOrEqual(0);
    expect(creds).toBeLessThan(bake);
    const session = Number(b.steps[creds].with!['role-duration-seconds']);
    expect(b['timeout-minutes']! * 60).toBeLessThan(session);
  });

  test('the amibake steps name real actions, real inputs (every required one) and real outputs', () => {
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const ours = steps.filter((s) => s.uses?.includes('/amibake/'));
    expect(ours.map((s) => s.uses)).toEqual([
      'OWNER/amibake/action-prepare@v1',
      'OWNER/amibake/action-build@v1',
    ]);
    for (const step of ours) {
      const yml = actionYml(/\/(action-[a-z]+)@/.exec(step.uses!)![1]);
      for (const key of Object.keys(step.with ?? {})) expect(Object.keys(yml.inputs)).toContain(key);
      for (const [key, def] of Object.entries(yml.inputs))
        if (def.required) expect(Object.keys(step.with ?? {})).toContain(key);
    }
    const buildYml = actionYml('action-build');
    for (const m of workflowText.matchAll(/steps\.bake\.outputs\.([\w-]+)/g))
      expect(Object.keys(buildYml.outputs)).toContain(m[1]);
  });
});

/** Every AWS API the source calls, as IAM actions. */
function sourceActions(): Set<string> {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  const out = new Set<string>();
  const waiters: Record<string, string> = {
    waitUntilImageAvailable: 'ec2:DescribeImages',
    waitUntilInstanceTerminated: 'ec2:DescribeInstances',
  };
  for (const f of files) {
    const text = readFileSync(join(ROOT, 'src', f), 'utf8');
    for (const [, op] of text.matchAll(/new (\w+)Command\(/g)) {
      const service =
        `${op}Command` in ec2Api
          ? 'ec2'
          : `${op}Command` in s3Api
            ? 's3'
            : `${op}Command` in ssmApi
              ? 'ssm'
              : `${op}Command` in ebsApi
                ? 'ebs'
                : undefined;
      expect({ file: f, op, service }).toEqual({ file: f, op, service: expect.any(String) });
      out.add(`${service}:${op}`);
    }
    for (const [, w] of text.matchAll(/\b(waitUntil\w+)\(/g)) {
      expect(waiters).toHaveProperty(w);
      out.add(waiters[w]);
    }
    if (/new Upload\(/.test(text)) ['s3:PutObject', 's3:AbortMultipartUpload'].forEach((a) => out.add(a));
  }
  return out;
}

describe('the docs', () => {
  test('every json block of docs/*.md is JSON (a policy copied from them parses)', () => {
    const dir = join(ROOT, 'docs');
    const found: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const [n, m] of [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].entries()) {
        found.push(`${file} #${n + 1}`);
        expect({ block: `${file} #${n + 1}`, error: parseError(m[1]) }).toEqual({
          block: `${file} #${n + 1}`,
          error: undefined,
        });
      }
    }
    expect(found).toContain('build.md #4');
  });
});

describe('the IAM policy', () => {
  test('allows every call in the source (the build and the golden-image options)', () => {
    const used = sourceActions();
    expect([...used]).toEqual(
      expect.arrayContaining(['ec2:RunInstances', 's3:GetObject', 'ssm:GetParameter']),
    );
    const allowed = new Set([...actionsOf(base), ...actionsOf(golden), ...actionsOf(disk)]);
    expect([...used].filter((a) => !allowed.has(a)).sort()).toEqual([]);
  });

  test('least privilege: no wildcard action, and whatever ends, changes or reads an instance is tag-bound', () => {
    for (const p of [base, golden, disk]) {
      for (const s of p.Statement as Statement[]) {
        for (const a of list(s.Action)) expect(a).not.toMatch(/\*/);
        const sensitive = list(s.Action).filter((a) =>
          /^ec2:(Terminate|Deregister|DeleteSnapshot|Modify|Enable|GetConsoleOutput)/.test(a),
        );
        if (sensitive.length) expect({ sid: s.Sid, condition: s.Condition }).toMatchObject({ condition: {} });
        // Tags only at creation, or amibake's own on snapshots and copies.
        if (list(s.Action).includes('ec2:CreateTags')) expect(s.Condition).toBeDefined();
      }
    }
    const launchTagged = (base.Statement as Statement[]).filter(
      (s) =>
        list(s.Action).includes('ec2:RunInstances') && list(s.Resource).some((r) => r.includes(':instance/')),
    );
    expect(launchTagged).toHaveLength(1);
    expect(launchTagged[0].Condition).toEqual({ Null: { 'aws:RequestTag/amibake:run': 'false' } });
  });

  describe('a default bake of the documented shape calls nothing else', () => {
    const m = useMoto({ beforeAll, afterAll });
    const g = useGate(m, { beforeAll, afterAll }, { processEnv: true });
    let double: InstanceDouble | undefined;
    afterEach(async () => double?.stop());

    test('resolve:ssm base, external files staged under the policy prefix, IMDSv2 AMI', async () => {
      const ids = await motoIds(m.moto.endpoint);
      const staging = (base.Statement as Statement[]).find((s) => s.Sid === 'Staging')!;
      const [, bucket, prefix] = /^arn:aws:s3:::([^/]+)\/(.*)\*$/.exec(list(staging.Resource)[0])!;
      await s3For(m.moto.endpoint).send(new CreateBucketCommand({ Bucket: bucket }));
      await new ssmApi.SSMClient({ region: 'us-east-1', endpoint: m.moto.endpoint }).send(
        new ssmApi.PutParameterCommand({ Name: '/amibake-test/base', Value: ids.baseAmi, Type: 'String' }),
      );
      const f = await makePrepared({ fsMode: 'external', s3Url: `s3://${bucket}/${prefix}fs.tgz` });
      double = startInstanceDouble({ endpoint: m.moto.endpoint, behaviour: 'succeed' });
      const from = g.gate.calls.length;
      const r = await bakeInProcess(
        f.userdataPath,
        buildEnv(ids, { BUILDAMI_BASEAMI: 'resolve:ssm:/amibake-test/base' }),
        { waitInstance: 0.2, waitAmi: 0.2 },
      );
      expect(r.error).toBeUndefined();
      const calls = g.gate.calls.slice(from);

      const allowed = actionsOf(base);
      const iam = new Set<string>();
      for (const c of calls) {
        const s3 = /^S3:(\w+) \/([^/]+)\/(.*)$/.exec(c.action);
        if (s3) {
          const [, method, b, key] = s3;
          // Every object is under the policy's bucket and prefix (fs.tgz, the result, the log).
          expect(`${b}/${key}`.startsWith(`${bucket}/${prefix}`)).toBe(true);
          iam.add(method === 'GET' || method === 'HEAD' ? 's3:GetObject' : 's3:PutObject');
        } else iam.add(`${`${c.action}Command` in ec2Api ? 'ec2' : 'ssm'}:${c.action}`);
      }
      for (const a of ['ssm:GetParameter', 'ec2:RunInstances', 'ec2:ModifyImageAttribute', 's3:PutObject'])
        expect(iam).toContain(a);
      expect([...iam].filter((a) => !allowed.has(a)).sort()).toEqual([]);
    });
  });
});
