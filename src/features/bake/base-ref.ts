/** The base image reference as the user writes it (BUILDAMI_BASEAMI, base-ami): the bake's
 *  option, parsed with the options; the base-ami feature resolves it. Loads no AWS SDK. */
import type { Parser } from '../../core/parse.js';

export type BaseAmiRef =
  | { kind: 'id'; raw: string; id: string }
  | { kind: 'ssm'; raw: string; parameter: string }
  | { kind: 'filter'; raw: string; name: string; owners: string[]; architecture?: string };

export const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
const SSM_PREFIX = 'resolve:ssm:';
// A parameter name (path or plain), optionally `:version` or `:label`.
const SSM_NAME = /^(\/?[A-Za-z0-9_.\-/]{1,2047})(:[A-Za-z0-9_.-]{1,100})?$/;
const OWNER = /^(\d{12}|self|amazon|aws-marketplace|aws-backup-vault)$/;
const NAME_PATTERN = /^[A-Za-z0-9()[\]./\-'@_ *?]{1,128}$/;
const ARCHITECTURES = ['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'];

const USAGE =
  'an AMI id (ami-0123456789abcdef0), resolve:ssm:/parameter/path, or name=PATTERN,owner=ACCOUNT[,owner=…][,architecture=ARCH]';

/** Parser for BUILDAMI_BASEAMI / base-ami. */
export const baseAmiRef: Parser<BaseAmiRef> = (input) => {
  const raw = input.trim();
  if (AMI_ID.test(raw)) return { kind: 'id', raw, id: raw };
  if (raw.startsWith(SSM_PREFIX)) {
    const parameter = raw.slice(SSM_PREFIX.length);
    if (!SSM_NAME.test(parameter) || /^\/?aws\/?$/.test(parameter))
      throw new Error(`must name an SSM parameter after resolve:ssm: (got "${raw}")`);
    return { kind: 'ssm', raw, parameter };
  }
  if (raw.includes('=')) {
    let name: string | undefined;
    let architecture: string | undefined;
    const owners: string[] = [];
    for (const part of raw.split(',').map((s) => s.trim())) {
      const eq = part.indexOf('=');
      const key = part.slice(0, eq).trim().toLowerCase();
      const value = part.slice(eq + 1).trim();
      if (eq < 0 || !value) throw new Error(`"${part}" is not key=value; must be ${USAGE}`);
      if (key === 'name') {
        if (name !== undefined) throw new Error('name= is given twice');
        if (!NAME_PATTERN.test(value))
          throw new Error(`name pattern "${value}" may hold AMI name characters and the wildcards * and ?`);
        name = value;
      } else if (key === 'owner') {
        if (!OWNER.test(value))
          throw new Error(`owner "${value}" must be a 12-digit account id, self, amazon or aws-marketplace`);
        owners.push(value);
      } else if (key === 'architecture' || key === 'arch') {
        if (!ARCHITECTURES.includes(value))
          throw new Error(`architecture "${value}" must be one of ${ARCHITECTURES.join(', ')}`);
        architecture = value;
      } else throw new Error(`unknown filter key "${key}"; must be ${USAGE}`);
    }
    if (!name) throw new Error(`a filter needs name=PATTERN; must be ${USAGE}`);
    // Without an owner anyone could publish a newer image that matches the name.
    if (!owners.length) throw new Error(`a name filter needs at least one owner=ACCOUNT (got "${raw}")`);
    return { kind: 'filter', raw, name, owners: [...new Set(owners)], architecture };
  }
  throw new Error(`must be ${USAGE} (got "${raw}")`);
};
