/** `KEY='value'` files that are safe to `source` from a shell whatever the values, and parsed
 *  here without running a shell. */

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function formatEnv(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => {
      if (!NAME.test(k)) throw new Error(`invalid variable name "${k}"`);
      return `${k}=${shellQuote(v)}\n`;
    })
    .join('');
}

/**
 * Parses the subset of shell assignment syntax that formatEnv writes, plus unquoted and
 * double-quoted values without expansions (what people write by hand in ami.env).
 * `file` names the file in errors.
 */
export function parseEnv(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i].replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line)) continue;
    line = line.replace(/^\s*export\s+/, '');
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq) : '';
    if (!NAME.test(key)) throw new Error(`${file}:${lineNo}: expected NAME=value`);
    let rest = line.slice(eq + 1);
    let value = '';
    while (rest.length > 0) {
      if (rest[0] === "'") {
        let end = rest.indexOf("'", 1);
        // A single-quoted value may span lines.
        while (end < 0 && i + 1 < lines.length) {
          rest += '\n' + lines[++i];
          end = rest.indexOf("'", 1);
        }
        if (end < 0) throw new Error(`${file}:${lineNo}: unterminated single quote`);
        value += rest.slice(1, end);
        rest = rest.slice(end + 1);
      } else if (rest[0] === '"') {
        const m = /^"((?:[^"\\$`]|\\["\\$`])*)"/.exec(rest);
        if (!m) throw new Error(`${file}:${lineNo}: unsupported double-quoted value (no expansions allowed)`);
        value += m[1].replace(/\\(["\\$`])/g, '$1');
        rest = rest.slice(m[0].length);
      } else if (rest[0] === '\\' && rest.length > 1) {
        value += rest[1];
        rest = rest.slice(2);
      } else if (/^\s*(#.*)?$/.test(rest)) {
        break;
      } else {
        const m = /^[^\s'"\\$`;&|<>()]+/.exec(rest);
        if (!m) throw new Error(`${file}:${lineNo}: unsupported character in value of ${key}`);
        value += m[0];
        rest = rest.slice(m[0].length);
      }
    }
    out[key] = value;
  }
  return out;
}
