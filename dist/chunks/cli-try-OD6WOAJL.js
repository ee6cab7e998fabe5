import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  FS_STAGE,
  prepare
} from "./chunk-MGSU2E5G.js";
import {
  finalUserdata
} from "./chunk-BIW5YY4C.js";
import {
  RESULT_LINE_RE,
  readUserdata,
  require_dist
} from "./chunk-G7FRW6BQ.js";
import {
  cliSource,
  readOptions
} from "./chunk-WWOMECBE.js";
import {
  createCliLogger,
  s3Url
} from "./chunk-CA7JAFHB.js";
import {
  UserError,
  errorMessage,
  neutraliseLine
} from "./chunk-QCJIZORW.js";
import "./chunk-AD3J7GL7.js";
import {
  require_tar_stream
} from "./chunk-FUJ7KVUG.js";
import {
  __toESM
} from "./chunk-TS5WFTQ5.js";

// src/fronts/cli-try.ts
import {
  access as access3,
  constants as constants4,
  copyFile as copyFile3,
  mkdir as mkdir3,
  mkdtemp as mkdtemp5,
  readFile as readFile2,
  rename as rename2,
  rm as rm6,
  stat as stat5,
  writeFile as writeFile3
} from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join7, resolve as resolve2 } from "node:path";
import { parseArgs } from "node:util";

// src/vm/base-image.ts
import { createHash } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join as join2 } from "node:path";

// src/vm/exec.ts
import { spawn } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
async function exec(cmd, args, opts = {}) {
  const { input, allowFail, ...spawnOpts } = opts;
  const path = cmd.includes("/") ? cmd : await which(cmd) ?? cmd;
  return new Promise((resolve3, reject) => {
    const child = spawn(path, args, { ...spawnOpts, stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    child.on("error", (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.on("close", (code, signal) => {
      const stderr = Buffer.concat(err).toString("utf8");
      const res = { stdout: Buffer.concat(out), stderr, code: code ?? 128 };
      if (res.code !== 0 && !allowFail) {
        const tail = stderr.trim().split("\n").slice(-15).join("\n");
        reject(new Error(`${cmd} ${signal ? `killed by ${signal}` : `exited with ${res.code}`}: ${tail}`));
      } else resolve3(res);
    });
    child.stdin.on("error", () => void 0);
    child.stdin.end(input ?? "");
  });
}
async function which(name) {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/local/sbin", "/usr/sbin", "/sbin"];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
    }
  }
  return void 0;
}
var TOOL_PACKAGES = {
  "qemu-system-x86_64": "qemu-system-x86",
  "qemu-img": "qemu-utils",
  mmdebstrap: "mmdebstrap",
  "mkfs.ext4": "e2fsprogs",
  debugfs: "e2fsprogs",
  "mkfs.vfat": "dosfstools",
  mcopy: "mtools",
  socat: "socat",
  zstd: "zstd",
  tar: "tar"
};
async function requireTools(names) {
  const found = {};
  const missing = [];
  for (const n of names) {
    const p = await which(n);
    if (p) found[n] = p;
    else missing.push(n);
  }
  if (missing.length) {
    const pkgs = [...new Set(missing.map((m) => TOOL_PACKAGES[m] ?? m))];
    throw new UserError(
      `the VM runner needs ${missing.join(", ")}: install the Debian/Ubuntu packages ${pkgs.join(" ")} (apt-get install ${pkgs.join(" ")})`
    );
  }
  return found;
}

// src/vm/guest/base-customize.sh
var base_customize_default = `#!/bin/sh
# mmdebstrap customize hook for amibake's VM base image: "$1" is the root of the new tree.
# The image plays a freshly launched cloud instance: cloud-init from a NoCloud seed, static
# network via systemd-networkd, nothing that slows a software-emulated boot.
set -eu
root="$1"

# Only the NoCloud seed disk, no probing of cloud metadata services that are not there.
mkdir -p "$root/etc/cloud/cloud.cfg.d"
cat > "$root/etc/cloud/cloud.cfg.d/01_amibake-vm.cfg" <<'CFG'
datasource_list: [ NoCloud, None ]
# One host key type: generating RSA keys under software emulation takes seconds.
ssh_genkeytypes: [ ed25519 ]
CFG

# A system locale, so cloud-init's locale module has nothing to generate (no \`locales\` package).
echo 'LANG=C.UTF-8' > "$root/etc/default/locale"
echo 'amibake' > "$root/etc/hostname"
chmod 644 "$root/etc/hostname" "$root/etc/default/locale"
echo '/dev/vda / ext4 defaults 0 1' > "$root/etc/fstab"

# cloud-init renders its network-config for systemd-networkd (no ifupdown, no netplan). The
# address is static IPv4: waiting for IPv6 too costs seconds under emulation.
chroot "$root" systemctl enable systemd-networkd.service
mkdir -p "$root/etc/systemd/system/systemd-networkd-wait-online.service.d"
cat > "$root/etc/systemd/system/systemd-networkd-wait-online.service.d/amibake.conf" <<'UNIT'
[Service]
ExecStart=
ExecStart=/lib/systemd/systemd-networkd-wait-online --any -4 --timeout=60
UNIT

# Periodic jobs and the VGA console have no place in a minutes-long boot.
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \\
  e2scrub_all.timer e2scrub_reap.service fstrim.timer getty@tty1.service

# The image must look unbooted: no machine id, no host keys (cloud-init makes new ones).
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root"/etc/ssh/ssh_host_*
`;

// src/vm/base-image.ts
var RECIPE_FORMAT = 1;
function debianMirror(env = process.env) {
  return (env.AMIBAKE_DEBIAN_MIRROR || "http://deb.debian.org/debian").replace(/\/+$/, "");
}
var PACKAGES = [
  "linux-image-cloud-amd64",
  "systemd-sysv",
  "udev",
  "dbus",
  "iproute2",
  "python3",
  "cloud-init",
  "curl",
  "openssh-server",
  "e2fsprogs"
];
function baseRecipe(env = process.env, suite = "bookworm") {
  const mirror = debianMirror(env);
  const security = (env.AMIBAKE_DEBIAN_SECURITY_MIRROR ?? `${mirror}-security`).replace(/\/+$/, "");
  return {
    suite,
    mirrors: [
      `deb ${mirror} ${suite} main`,
      `deb ${mirror} ${suite}-updates main`,
      ...security ? [`deb ${security} ${suite}-security main`] : []
    ],
    variant: "minbase",
    // trixie: rsyslog as on Ubuntu, which copies cloud-init's (and the install's) output into
    // /var/log/syslog and friends: what the image hygiene must remove.
    packages: suite === "bookworm" ? PACKAGES : [...PACKAGES, "rsyslog"],
    dpkgOptions: [
      "path-exclude=/usr/share/man/*",
      "path-exclude=/usr/share/doc/*",
      "path-include=/usr/share/doc/*/copyright",
      "path-exclude=/usr/share/locale/*"
    ],
    hook: base_customize_default
  };
}
function recipeHash(recipe) {
  return createHash("sha256").update(JSON.stringify({ format: RECIPE_FORMAT, ...recipe })).digest("hex").slice(0, 16);
}
function cacheDir(env = process.env) {
  if (env.AMIBAKE_CACHE_DIR) return env.AMIBAKE_CACHE_DIR;
  return join2(env.XDG_CACHE_HOME || join2(homedir(), ".cache"), "amibake");
}
function baseImagePath(recipe, env = process.env) {
  return join2(cacheDir(env), `debian-${recipe.suite}-${recipeHash(recipe)}.tar.zst`);
}
async function exists(p) {
  return stat(p).then(
    () => true,
    () => false
  );
}
async function ensureBaseImage(opts = {}) {
  const env = opts.env ?? process.env;
  const recipe = baseRecipe(env, opts.suite);
  const target = baseImagePath(recipe, env);
  if (await exists(target)) return target;
  if (process.getuid?.() !== 0) {
    throw new UserError(
      "building the VM base image needs root (mmdebstrap installs packages as root, and the disk keeps the files' owners): run as root"
    );
  }
  await requireTools(["mmdebstrap", "zstd"]);
  opts.onBuild?.(target);
  await mkdir(cacheDir(env), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  const hookFile = `${tmp}.hook.sh`;
  try {
    await writeFile(hookFile, recipe.hook, { mode: 493 });
    await exec(
      "mmdebstrap",
      [
        `--variant=${recipe.variant}`,
        "--mode=root",
        "--format=tar",
        `--include=${recipe.packages.join(",")}`,
        ...recipe.dpkgOptions.map((o) => `--dpkgopt=${o}`),
        `--customize-hook=sh ${hookFile} "$1"`,
        "--quiet",
        recipe.suite,
        `${tmp}.tar`,
        ...recipe.mirrors
      ],
      { env: { ...process.env, LC_ALL: "C.UTF-8" } }
    ).catch((err) => {
      throw new UserError(
        `could not build the VM base image from ${debianMirror(env)} (set AMIBAKE_DEBIAN_MIRROR to use another Debian mirror): ${err.message}`
      );
    });
    await exec("zstd", ["-q", "-T0", "-6", "--rm", "-f", `${tmp}.tar`, "-o", tmp]);
    await rename(tmp, target);
    return target;
  } finally {
    await rm(hookFile, { force: true });
    await rm(`${tmp}.tar`, { force: true });
    await rm(tmp, { force: true });
  }
}

// src/vm/changes.ts
function diffTrees(before, after) {
  const out = [];
  for (const [path, a] of after) {
    const b = before.get(path);
    if (!b) {
      out.push({ kind: "added", path, after: a, what: [] });
      continue;
    }
    const what = [];
    if (a.type !== b.type) what.push("type");
    if (a.mode !== b.mode) what.push("mode");
    if (a.uid !== b.uid || a.gid !== b.gid) what.push("owner");
    if (a.type === "symlink" && a.target !== b.target) what.push("target");
    if (a.type !== "dir" && b.type !== "dir" && what.length === 0) {
      if (a.inode !== b.inode) what.push("replaced");
      else if (a.size !== b.size || a.mtime !== b.mtime) what.push("content");
    }
    if (what.length) out.push({ kind: "changed", path, before: b, after: a, what });
  }
  for (const [path, b] of before)
    if (!after.has(path)) out.push({ kind: "removed", path, before: b, what: [] });
  return out.sort((x, y) => x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
}
var TYPE_CHAR = {
  file: "-",
  dir: "d",
  symlink: "l",
  char: "c",
  block: "b",
  fifo: "p",
  socket: "s"
};
function modeString(st) {
  const m = st.mode;
  const bit = (mask, c) => m & mask ? c : "-";
  const special = (x, exec2, on) => x ? exec2 ? on : on.toUpperCase() : exec2 ? "x" : "-";
  return (TYPE_CHAR[st.type] ?? "?") + bit(256, "r") + bit(128, "w") + special(!!(m & 2048), !!(m & 64), "s") + bit(32, "r") + bit(16, "w") + special(!!(m & 1024), !!(m & 8), "s") + bit(4, "r") + bit(2, "w") + special(!!(m & 512), !!(m & 1), "t");
}
function describeEntry(st) {
  const link = st.type === "symlink" ? ` -> ${st.target}` : "";
  const size = st.type === "file" ? ` ${st.size}` : "";
  return `${modeString(st)} ${st.uid}:${st.gid}${size} ${st.path}${link}`;
}
function formatChange(c) {
  switch (c.kind) {
    case "added":
      return `+ ${describeEntry(c.after)}`;
    case "removed":
      return `- ${describeEntry(c.before)}`;
    default:
      return `~ ${describeEntry(c.after)} (${c.what.join(", ")})`;
  }
}
function countChanges(changes) {
  const n = { added: 0, removed: 0, changed: 0 };
  for (const c of changes) n[c.kind]++;
  return n;
}

// src/vm/ext4.ts
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm as rm2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join3 } from "node:path";
var TYPES = {
  regular: "file",
  directory: "dir",
  symlink: "symlink",
  "character special": "char",
  "block special": "block",
  FIFO: "fifo",
  socket: "socket"
};
var TYPE_BITS = {
  32768: "file",
  16384: "dir",
  40960: "symlink",
  8192: "char",
  24576: "block",
  4096: "fifo",
  49152: "socket"
};
function quote(path) {
  if (!path.startsWith("/")) throw new Error(`not an absolute path: ${path}`);
  if (/["\n\r]/.test(path))
    throw new Error(`debugfs cannot address a path containing a quote or newline: ${path}`);
  return `"${path}"`;
}
function joinPath(dir, name) {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}
function parseStat(path, text) {
  const head = /Inode:\s+(\d+)\s+Type:\s+(.+?)\s+Mode:\s+([0-7]+)/.exec(text);
  const owner = /User:\s+(\d+)\s+Group:\s+(\d+)(?:\s+Project:\s+\d+)?\s+Size:\s+(\d+)/.exec(text);
  if (!head || !owner) return void 0;
  const time = (name) => {
    const m = new RegExp(`${name}:\\s+0x([0-9a-f]+)`).exec(text);
    return m ? parseInt(m[1], 16) : 0;
  };
  const st = {
    path,
    inode: Number(head[1]),
    type: TYPES[head[2]] ?? "file",
    mode: parseInt(head[3], 8) & 4095,
    uid: Number(owner[1]),
    gid: Number(owner[2]),
    size: Number(owner[3]),
    mtime: time("mtime"),
    ctime: time("ctime")
  };
  if (st.type === "symlink") {
    const fast = /Fast link dest: "(.*)"\s*$/m.exec(text);
    if (fast) st.target = fast[1];
  }
  return st;
}
function parseList(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const m = /^\/(\d+)\/([0-7]+)\/(\d+)\/(\d+)\/(.*)\/(\d*)\/$/.exec(line);
    if (!m || m[5] === "." || m[5] === "..") continue;
    const raw = parseInt(m[2], 8);
    out.push({
      name: m[5],
      inode: Number(m[1]),
      type: TYPE_BITS[raw & 61440] ?? "file",
      mode: raw & 4095,
      uid: Number(m[3]),
      gid: Number(m[4])
    });
  }
  return out;
}
var Ext4Image = class {
  /** `offset`: byte offset of the file system inside a partitioned disk image. */
  constructor(path, offset = 0) {
    this.path = path;
    this.offset = offset;
  }
  path;
  offset;
  get device() {
    return this.offset ? `${this.path}?offset=${this.offset}` : this.path;
  }
  /** Runs requests in one debugfs process and returns each request's output. */
  async batch(requests) {
    if (requests.length === 0) return [];
    const res = await exec("debugfs", ["-f", "-", this.device], { input: requests.join("\n") + "\n" });
    const text = res.stdout.toString("utf8");
    const starts = [];
    let pos = 0;
    for (const r of requests) {
      const echo = `debugfs: ${r}
`;
      const at = text.indexOf(echo, pos);
      if (at < 0) throw new Error(`debugfs did not answer "${r}": ${res.stderr.trim().slice(-500)}`);
      starts.push(at, at + echo.length);
      pos = at + echo.length;
    }
    return requests.map(
      (_, i) => text.slice(starts[2 * i + 1], i + 1 < requests.length ? starts[2 * i + 2] : void 0)
    );
  }
  async statMany(paths) {
    const out = await this.batch(paths.map((p) => `stat ${quote(p)}`));
    const stats = paths.map((p, i) => parseStat(p, out[i]));
    const slow = stats.filter((s) => !!s && s.type === "symlink" && s.target === void 0);
    const targets = await this.batch(slow.map((s) => `cat ${quote(s.path)}`));
    slow.forEach((s, i) => s.target = targets[i].replace(/\n$/, ""));
    return stats;
  }
  async stat(path) {
    return (await this.statMany([path]))[0];
  }
  async list(dir) {
    return parseList((await this.batch([`ls -p ${quote(dir)}`]))[0]);
  }
  /** File content (dumped to a temporary file: debugfs's `cat` output is not binary-safe with -f). */
  async readFile(path) {
    const st = await this.stat(path);
    if (!st) throw new Error(`${path}: not found on the disk image`);
    if (st.type !== "file") throw new Error(`${path}: not a regular file (${st.type})`);
    const dir = await mkdtemp(join3(tmpdir(), "amibake-dump-"));
    try {
      await this.batch([`dump ${quote(path)} ${quote(join3(dir, "f"))}`]);
      return await readFile(join3(dir, "f"));
    } finally {
      await rm2(dir, { recursive: true, force: true });
    }
  }
  /** Copies a directory tree out of the image, with modes and owners. */
  async rdump(path, outDir) {
    await this.batch([`rdump ${quote(path)} ${quote(outDir)}`]);
  }
  /** Every inode reachable from `root`, walked one directory level per debugfs process. */
  async walk(root = "/") {
    const all = /* @__PURE__ */ new Map();
    let level = [root];
    const paths = [root];
    while (level.length) {
      const lists = await this.batch(level.map((d) => `ls -p ${quote(d)}`));
      const next = [];
      level.forEach((dir, i) => {
        for (const e of parseList(lists[i])) {
          const p = joinPath(dir, e.name);
          if (/["\n\r]/.test(p)) continue;
          paths.push(p);
          if (e.type === "dir") next.push(p);
        }
      });
      level = next;
    }
    const stats = await this.statMany(paths);
    for (const s of stats) if (s) all.set(s.path, s);
    return all;
  }
};
async function scanFile(path, needles) {
  const bufs = needles.filter((n) => n.length > 0).map((n) => Buffer.from(n, "utf8"));
  const found = new Map(needles.map((n) => [n, []]));
  const overlap = Math.max(0, ...bufs.map((b) => b.length)) - 1;
  let carry = Buffer.alloc(0);
  let base = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * 1024 * 1024 })) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    for (const b of bufs) {
      for (let i = buf.indexOf(b); i >= 0; i = buf.indexOf(b, i + 1)) {
        if (i + b.length > carry.length) found.get(b.toString("utf8")).push(base + i);
      }
    }
    const keep = Math.min(overlap, buf.length);
    carry = buf.subarray(buf.length - keep);
    base += buf.length - keep;
  }
  return found;
}

// src/vm/machine.ts
import { randomBytes } from "node:crypto";
import { mkdir as mkdir2, mkdtemp as mkdtemp4, rm as rm5 } from "node:fs/promises";
import { join as join6 } from "node:path";

// src/vm/qemu.ts
import { spawn as spawn2 } from "node:child_process";
import { createWriteStream } from "node:fs";
import { access as access2, constants as constants2 } from "node:fs/promises";

// src/vm/seed.ts
var import_yaml = __toESM(require_dist(), 1);
import { mkdtemp as mkdtemp2, rm as rm3, writeFile as writeFile2 } from "node:fs/promises";
import { join as join4 } from "node:path";
var GUEST_MAC = "52:54:00:12:34:56";
var GUEST_IP = "10.0.2.15";
var GATEWAY_IP = "10.0.2.2";
var HOST_ALIAS_IP = "10.0.2.100";
var stringify = (value) => (0, import_yaml.stringify)(value, { version: "1.1" });
function networkConfig() {
  return stringify({
    version: 1,
    config: [
      {
        type: "physical",
        name: "eth0",
        mac_address: GUEST_MAC,
        subnets: [{ type: "static", address: `${GUEST_IP}/24`, gateway: GATEWAY_IP }]
      }
    ]
  });
}
async function makeSeed(path, content) {
  const dir = await mkdtemp2(`${path}.d-`);
  try {
    const files = {
      "meta-data": stringify({
        "instance-id": content.instanceId,
        "local-hostname": content.hostname ?? "amibake"
      }),
      "user-data": content.userData,
      "network-config": networkConfig()
    };
    if (content.vendorData !== void 0) files["vendor-data"] = content.vendorData;
    let bytes = 0;
    for (const [name, data] of Object.entries(files)) {
      await writeFile2(join4(dir, name), data);
      bytes += Buffer.byteLength(data);
    }
    const blocks = Math.max(1024, Math.ceil(bytes / 1024) * 2 + 512);
    await rm3(path, { force: true });
    await exec("mkfs.vfat", ["-n", "CIDATA", "-C", path, String(blocks)]);
    await exec("mcopy", ["-o", "-i", path, ...Object.keys(files).map((f) => join4(dir, f)), "::"], {
      env: { ...process.env, MTOOLS_SKIP_CHECK: "1" }
    });
  } finally {
    await rm3(dir, { recursive: true, force: true });
  }
}

// src/vm/qemu.ts
var LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
function isLoopback(addr) {
  const m = LOOPBACK.exec(addr);
  return !!m && m.slice(1).every((x) => Number(x) <= 255);
}
function netdev(forwards) {
  const rules = forwards.map((f) => {
    const host = f.hostAddr ?? "127.0.0.1";
    if (!isLoopback(host)) throw new Error(`guest forward to ${host}: only loopback addresses are allowed`);
    for (const port of [f.guestPort, f.hostPort]) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${port}`);
    }
    return `guestfwd=tcp:${HOST_ALIAS_IP}:${f.guestPort}-cmd:socat STDIO TCP4:${host}:${f.hostPort}`;
  });
  return ["user", "id=n0", "restrict=on", "ipv6=off", ...rules].join(",");
}
function qemuArgs(spec) {
  const args = [
    "-machine",
    `q35,accel=${spec.accel ?? "tcg"}`,
    "-cpu",
    spec.accel === "kvm" ? "host" : "max",
    "-smp",
    String(spec.cpus ?? 2),
    "-m",
    String(spec.memoryMiB ?? 1024),
    "-display",
    "none",
    "-monitor",
    "none",
    "-no-reboot",
    "-chardev",
    "stdio,id=con0,signal=off",
    "-serial",
    "chardev:con0",
    "-netdev",
    netdev(spec.forwards ?? []),
    "-device",
    `virtio-net-pci,netdev=n0,mac=${GUEST_MAC}`
  ];
  for (const d of spec.disks) {
    if (/,/.test(d.path)) throw new Error(`disk path must not contain a comma: ${d.path}`);
    args.push("-drive", `file=${d.path},if=virtio,format=${d.format}${d.readonly ? ",readonly=on" : ""}`);
  }
  if (spec.boot.kind === "kernel") {
    args.push("-kernel", spec.boot.kernel, "-initrd", spec.boot.initrd, "-append", spec.boot.append);
  }
  return args;
}
async function runVm(spec) {
  const qemu = await which("qemu-system-x86_64") ?? "qemu-system-x86_64";
  const log = createWriteStream(spec.consoleLog);
  const started = Date.now();
  const child = spawn2(qemu, qemuArgs(spec), { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let partial = "";
  child.stderr.on("data", (b) => stderr += b.toString("utf8"));
  child.stdout.on("data", (b) => {
    log.write(b);
    if (!spec.onConsole) return;
    const lines = (partial + b.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) spec.onConsole(l.replace(/\r$/, ""));
  });
  let timedOut = false;
  let aborted = false;
  const kill = () => child.kill("SIGKILL");
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, spec.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  spec.signal?.addEventListener("abort", onAbort);
  if (spec.signal?.aborted) onAbort();
  process.once("exit", kill);
  try {
    const [code, signal] = await new Promise((resolve3, reject) => {
      child.on("error", reject);
      child.on("close", (c, s) => resolve3([c, s]));
    });
    if (partial && spec.onConsole) spec.onConsole(partial);
    return { code, signal, timedOut, aborted, ms: Date.now() - started, stderr };
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener("abort", onAbort);
    process.removeListener("exit", kill);
    await new Promise((r) => log.end(r));
  }
}
var kvmVerdict;
function kvmWorks(kernel) {
  kvmVerdict ??= (async () => {
    try {
      await access2("/dev/kvm", constants2.R_OK | constants2.W_OK);
    } catch {
      return false;
    }
    const qemu = await which("qemu-system-x86_64");
    if (!qemu) return false;
    const res = await exec(
      "timeout",
      [
        "-s",
        "KILL",
        "30",
        qemu,
        ...["-machine", "q35,accel=kvm", "-cpu", "host", "-m", "256", "-display", "none"],
        ...["-monitor", "none", "-serial", "stdio", "-no-reboot", "-kernel", kernel],
        ...["-append", "console=ttyS0 panic=-1 root=/dev/amibake-none"]
      ],
      { allowFail: true }
    );
    return res.code === 0 && /Kernel panic|VFS: (Unable|Cannot) (to )?mount root/.test(res.stdout.toString());
  })();
  return kvmVerdict;
}
async function chooseAccel(kernel, env = process.env) {
  const want = (env.AMIBAKE_VM_ACCEL || "auto").toLowerCase();
  if (want === "tcg" || want === "kvm") return want;
  if (want !== "auto") throw new Error(`AMIBAKE_VM_ACCEL must be tcg, kvm or auto, not "${want}"`);
  return kernel && await kvmWorks(kernel) ? "kvm" : "tcg";
}

// src/vm/rootfs.ts
import { copyFile, mkdtemp as mkdtemp3, readlink, rm as rm4, stat as stat2 } from "node:fs/promises";
import { dirname, join as join5, resolve } from "node:path";
async function unpackRootfs(tarball, workDir) {
  const dir = await mkdtemp3(join5(workDir, "rootfs-"));
  await exec("sh", [
    "-c",
    'zstd -q -dc "$1" | tar -x --numeric-owner --same-owner -p --xattrs --xattrs-include="*" -C "$2"',
    "unpack",
    tarball,
    dir
  ]);
  const inTree = async (link) => {
    const target = resolve(dirname(join5(dir, link)), (await readlink(join5(dir, link))).replace(/^\/+/, ""));
    if (!target.startsWith(dir + "/")) throw new Error(`${link} points outside the base image`);
    await stat2(target);
    return target;
  };
  return {
    dir,
    kernel: await inTree("vmlinuz"),
    initrd: await inTree("initrd.img"),
    dispose: () => rm4(dir, { recursive: true, force: true })
  };
}
var ROOT_LABEL = "amibake-root";
async function makeExt4(tree, image, sizeMiB) {
  await exec("mkfs.ext4", ["-q", "-F", "-L", ROOT_LABEL, "-d", tree, image, `${sizeMiB}M`]);
}
async function copyBootFiles(tree, dir) {
  const kernel = join5(dir, "vmlinuz");
  const initrd = join5(dir, "initrd.img");
  await copyFile(tree.kernel, kernel);
  await copyFile(tree.initrd, initrd);
  return { kernel, initrd };
}

// src/vm/user-image.ts
import { copyFile as copyFile2, constants as constants3, open, truncate, stat as stat3 } from "node:fs/promises";
var SECTOR = 512;
async function imageFormat(path) {
  const fh = await open(path, "r").catch((err) => {
    throw new UserError(`--image ${path}: ${err.message}`);
  });
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    return head.equals(Buffer.from([81, 70, 73, 251])) ? "qcow2" : "raw";
  } finally {
    await fh.close();
  }
}
async function workingCopy(image, out, minMiB) {
  if (await imageFormat(image) === "qcow2") {
    await requireTools(["qemu-img"]);
    await exec("qemu-img", ["convert", "-O", "raw", image, out]);
  } else {
    await copyFile2(image, out, constants3.COPYFILE_FICLONE);
  }
  const size = (await stat3(out)).size;
  if (size < minMiB * 1024 * 1024) await truncate(out, minMiB * 1024 * 1024);
}
async function partitions(path) {
  const fh = await open(path, "r");
  try {
    const read = async (pos, len) => {
      const b = Buffer.alloc(len);
      await fh.read(b, 0, len, pos);
      return b;
    };
    const mbr = await read(0, SECTOR);
    if (mbr.readUInt16LE(510) !== 43605) return [{ index: 0, offset: 0, size: (await fh.stat()).size }];
    const primary = [];
    let gpt = false;
    for (let i = 0; i < 4; i++) {
      const e = 446 + i * 16;
      const type = mbr[e + 4];
      if (type === 0) continue;
      if (type === 238) gpt = true;
      primary.push({
        index: i + 1,
        offset: mbr.readUInt32LE(e + 8) * SECTOR,
        size: mbr.readUInt32LE(e + 12) * SECTOR
      });
    }
    if (!gpt) return primary;
    const header = await read(SECTOR, SECTOR);
    if (header.toString("latin1", 0, 8) !== "EFI PART") return primary;
    const entriesLba = Number(header.readBigUInt64LE(72));
    const count = header.readUInt32LE(80);
    const entrySize = header.readUInt32LE(84);
    const table = await read(entriesLba * SECTOR, count * entrySize);
    const out = [];
    for (let i = 0; i < count; i++) {
      const e = table.subarray(i * entrySize, (i + 1) * entrySize);
      if (e.subarray(0, 16).every((x) => x === 0)) continue;
      const first = Number(e.readBigUInt64LE(32));
      const last = Number(e.readBigUInt64LE(40));
      out.push({ index: i + 1, offset: first * SECTOR, size: (last - first + 1) * SECTOR });
    }
    return out;
  } finally {
    await fh.close();
  }
}
async function isExt(path, offset) {
  const fh = await open(path, "r");
  try {
    const b = Buffer.alloc(2);
    await fh.read(b, 0, 2, offset + 1024 + 56);
    return b.readUInt16LE(0) === 61267;
  } finally {
    await fh.close();
  }
}
async function rootFsOffset(path) {
  const found = [];
  for (const p of await partitions(path)) if (await isExt(path, p.offset)) found.push(p);
  if (!found.length) {
    throw new UserError(
      `${path}: no ext2/3/4 file system found on the disk (amibake reads the result without mounting, with debugfs; XFS or btrfs roots are not supported)`
    );
  }
  return found.sort((a, b) => b.size - a.size)[0].offset;
}

// src/vm/machine.ts
var DEFAULT_DISK_MIB = 4096;
var DEFAULT_MEMORY_MIB = 1024;
var DEFAULT_TIMEOUT_MS = 20 * 6e4;
var KERNEL_APPEND = "root=/dev/vda rw console=ttyS0 quiet fsck.mode=skip";
var VM_TOOLS = ["qemu-system-x86_64", "mkfs.ext4", "debugfs", "mkfs.vfat", "mcopy", "socat", "zstd"];
var BaseImage = class _BaseImage {
  constructor(tree, kernel, initrd, dir) {
    this.tree = tree;
    this.kernel = kernel;
    this.initrd = initrd;
    this.dir = dir;
  }
  tree;
  kernel;
  initrd;
  dir;
  /** `onBuild` is told when the cached tarball is missing and has to be built first. */
  static async open(workDir, onBuild, suite) {
    await checkHost(false);
    const tarball = await ensureBaseImage({ onBuild, suite });
    await mkdir2(workDir, { recursive: true });
    const dir = await mkdtemp4(join6(workDir, "base-"));
    const tree = await unpackRootfs(tarball, dir);
    const boot = await copyBootFiles(tree, dir);
    return new _BaseImage(tree.dir, boot.kernel, boot.initrd, dir);
  }
  async makeDisk(path, sizeMiB = DEFAULT_DISK_MIB) {
    await makeExt4(this.tree, path, sizeMiB);
  }
  async dispose() {
    await rm5(this.dir, { recursive: true, force: true });
  }
};
async function checkHost(userImage) {
  if (!userImage && process.getuid?.() !== 0) {
    throw new UserError(
      "the VM runner needs root for the built-in image: its disk is built from a tree that keeps the files' owners"
    );
  }
  await requireTools(userImage ? VM_TOOLS.filter((t) => t !== "zstd") : VM_TOOLS);
}
function newInstanceId() {
  return `i-${randomBytes(9).toString("hex").slice(0, 17)}`;
}
async function runMachine(opts) {
  const phase = opts.onPhase ?? (() => void 0);
  await mkdir2(opts.dir, { recursive: true });
  const diskPath = join6(opts.dir, "disk.raw");
  const seedPath = join6(opts.dir, "seed.img");
  const consoleLog = join6(opts.dir, "console.log");
  const instanceId = opts.instanceId ?? newInstanceId();
  const diskMiB = opts.diskMiB ?? DEFAULT_DISK_MIB;
  let disk;
  let boot;
  let kernelForProbe;
  if (opts.base instanceof BaseImage) {
    phase(`making the ${diskMiB} MiB root disk`);
    await opts.base.makeDisk(diskPath, diskMiB);
    disk = new Ext4Image(diskPath);
    boot = { kind: "kernel", kernel: opts.base.kernel, initrd: opts.base.initrd, append: KERNEL_APPEND };
    kernelForProbe = opts.base.kernel;
  } else {
    await checkHost(true);
    phase(`copying ${opts.base.image}`);
    await workingCopy(opts.base.image, diskPath, diskMiB);
    disk = new Ext4Image(diskPath, await rootFsOffset(diskPath));
    boot = { kind: "firmware" };
  }
  const before = opts.snapshot ? await disk.walk() : void 0;
  await makeSeed(seedPath, { instanceId, userData: opts.userData, vendorData: opts.vendorData });
  const accel = await chooseAccel(kernelForProbe);
  let status;
  let rebooted = false;
  phase(`booting (${accel === "kvm" ? "KVM" : "software emulation"}), instance ${instanceId}`);
  const exit = await runVm({
    boot,
    accel,
    disks: [
      { path: diskPath, format: "raw" },
      { path: seedPath, format: "raw", readonly: true }
    ],
    forwards: opts.forwards,
    memoryMiB: opts.memoryMiB ?? DEFAULT_MEMORY_MIB,
    cpus: opts.cpus ?? 2,
    consoleLog,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: opts.signal,
    onConsole: (line) => {
      const m = RESULT_LINE_RE.exec(line);
      if (m) status = Number(m[1]);
      if (/\breboot: Restarting system\b/.test(line)) rebooted = true;
      opts.onConsole?.(line);
    }
  });
  if (exit.code !== 0 && !exit.timedOut && !exit.aborted) {
    throw new Error(`qemu failed (exit ${exit.code ?? exit.signal}): ${exit.stderr.trim().slice(-2e3)}`);
  }
  const poweredOff = exit.code === 0 && !exit.timedOut && !exit.aborted && !rebooted;
  if (disk.offset) disk = new Ext4Image(diskPath, await rootFsOffset(diskPath));
  return { exit, status, poweredOff, instanceId, diskPath, consoleLog, disk, before };
}

// src/vm/source-files.ts
var import_tar_stream = __toESM(require_tar_stream(), 1);
var import_yaml2 = __toESM(require_dist(), 1);
import { gunzipSync } from "node:zlib";
var TAR_TYPES = {
  file: "file",
  directory: "dir",
  symlink: "symlink",
  "character-device": "char",
  "block-device": "block",
  fifo: "fifo"
};
async function listFsTgz(tgz) {
  const ex = (0, import_tar_stream.extract)();
  const out = [];
  const done = new Promise((resolve3, reject) => {
    ex.on("entry", (h, stream, next) => {
      const path = "/" + h.name.replace(/^(\.\/|\/)+/, "").replace(/\/$/, "");
      if (path !== "/" && path !== "/.")
        out.push({
          path,
          type: TAR_TYPES[h.type ?? "file"] ?? "file",
          mode: (h.mode ?? 0) & 4095,
          uid: h.uid ?? 0,
          gid: h.gid ?? 0,
          size: h.size ?? 0,
          target: h.type === "symlink" ? h.linkname ?? void 0 : void 0
        });
      stream.on("end", next);
      stream.resume();
    });
    ex.on("finish", resolve3);
    ex.on("error", reject);
  });
  ex.end(gunzipSync(tgz));
  await done;
  return out;
}
function inlineFsTgz(userdataGz) {
  const text = readUserdata(userdataGz);
  const m = /^Content-Type: multipart\/mixed; boundary="([^"]+)"/.exec(text);
  if (!m) return void 0;
  for (const chunk of text.split(`--${m[1]}`).slice(1)) {
    const body = chunk.slice(chunk.indexOf("\n\n") + 2);
    if (!body.includes(FS_STAGE)) continue;
    const doc = (0, import_yaml2.parse)(body, { version: "1.1" });
    const f = doc?.write_files?.find((w) => w.path === FS_STAGE);
    if (f?.content && /^(b64|base64)$/i.test(f.encoding ?? "")) return Buffer.from(f.content, "base64");
  }
  return void 0;
}
var octal = (n) => n.toString(8).padStart(4, "0");
function checkSourceFiles(entries, before, after, skip = () => false) {
  const checked = entries.filter((e) => !skip(e.path));
  const differences = [];
  for (const e of checked) {
    const st = after.get(e.path);
    if (!st) {
      differences.push(`${e.path}: missing`);
      continue;
    }
    const what = [];
    if (st.type !== e.type) what.push(`a ${st.type}, packed as a ${e.type}`);
    const existed = before?.get(e.path);
    const wantMode = e.type === "dir" && existed?.type === "dir" ? existed.mode : e.mode;
    if (st.type === e.type && st.type !== "symlink" && st.mode !== wantMode)
      what.push(`mode ${octal(st.mode)}, packed ${octal(wantMode)}`);
    if (st.uid !== 0 || st.gid !== 0) what.push(`owner ${st.uid}:${st.gid}`);
    if (e.type === "symlink" && st.target !== e.target) what.push(`-> ${st.target}, packed -> ${e.target}`);
    if (e.type === "file" && st.type === "file" && st.size !== e.size)
      what.push(`${st.size} bytes, packed ${e.size}`);
    if (what.length) differences.push(`${e.path}: ${what.join(", ")}`);
  }
  return { entries: checked, asPacked: checked.length - differences.length, differences };
}

// src/vm/stage-server.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { createReadStream as createReadStream2 } from "node:fs";
import { stat as stat4 } from "node:fs/promises";
import { createServer } from "node:http";
var GUEST_STAGE_PORT = 8080;
var MAX_BODY = 16 * 1024 * 1024;
async function startStageServer(opts) {
  const token = randomBytes2(24).toString("hex");
  let result;
  let log;
  let served = 0;
  const fsSize = opts.fsTgz ? (await stat4(opts.fsTgz)).size : 0;
  const readBody = (req) => new Promise((resolve3, reject) => {
    const chunks = [];
    let n = 0;
    req.on("data", (c) => {
      n += c.length;
      if (n > MAX_BODY) req.destroy(new Error("body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve3(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
  const handle = async (req, res) => {
    const [, tok, name] = (req.url ?? "").split("?")[0].split("/");
    if (tok !== token) {
      res.writeHead(403).end();
      return;
    }
    if (req.method === "GET" && name === "fs.tgz" && opts.fsTgz) {
      served++;
      opts.onRequest?.(`fs.tgz downloaded (${fsSize} bytes)`);
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(fsSize) });
      createReadStream2(opts.fsTgz).pipe(res);
      return;
    }
    if (req.method === "PUT" && (name === "result" || name === "log")) {
      const body = await readBody(req);
      if (name === "result") result = body;
      else log = body;
      opts.onRequest?.(
        name === "result" ? `result received: ${body.trim()}` : `install log received (${body.length} bytes)`
      );
      res.writeHead(200).end();
      return;
    }
    res.writeHead(404).end();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise((resolve3, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve3());
  });
  const { port } = server.address();
  const base = `http://${HOST_ALIAS_IP}:${GUEST_STAGE_PORT}/${token}`;
  return {
    port,
    token,
    urls: {
      fsUrl: opts.fsTgz ? `${base}/fs.tgz` : void 0,
      resultUrl: `${base}/result`,
      logUrl: `${base}/log`
    },
    result: () => result,
    log: () => log,
    fsServed: () => served,
    close: () => new Promise((resolve3) => {
      server.closeAllConnections();
      server.close(() => resolve3());
    })
  };
}
function parseResult(body) {
  const m = /^status=(\d+)\s*$/m.exec(body ?? "");
  return m ? Number(m[1]) : void 0;
}

// src/fronts/cli-try.ts
var USAGE = `usage: amibake try SOURCE [--image FILE] [--keep DIR] [--timeout SECONDS]

Bakes the image source SOURCE in a local VM, with no AWS account: prepares it like
'amibake prepare', boots the user data in qemu with real cloud-init (a Debian bookworm
image built and cached on first use, or your own cloud image), serves fs.tgz to the guest
from this machine's loopback, streams the console, and prints the install status and what
changed on the disk. Exits non-zero when the install fails. Needs root, qemu-system-x86,
mmdebstrap, e2fsprogs, dosfstools, mtools, socat and zstd.

options:
  --image FILE       boot this raw or qcow2 cloud image (its own bootloader, an ext4 root)
                     instead of the built-in Debian image; FILE itself is never written
  --keep DIR         keep the disk image (DIR/disk.raw), console log, install log and change list
  --timeout SECONDS  power the VM off after this long (default 1800)

environment:
  AWSREGION, S3URL         as for 'amibake prepare'
  AMIBAKE_CACHE_DIR        where the base image is cached (default $XDG_CACHE_HOME/amibake)
  AMIBAKE_DEBIAN_MIRROR    Debian mirror for the base image (default http://deb.debian.org/debian)
  AMIBAKE_VM_ACCEL         tcg, kvm or auto (default: KVM only when a smoke boot proves it works)`;
var SHOWN_CHANGES = 80;
function clock(started) {
  const s = Math.floor((Date.now() - started) / 1e3);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
var ANSI = new RegExp(String.raw`\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\r`, "g");
function parse2(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      image: { type: "string" },
      keep: { type: "string" },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" }
    }
  });
  if (values.help) return "help";
  if (positionals.length !== 1) throw new UserError(`expected one SOURCE folder
${USAGE}`);
  let timeoutMs = 18e5;
  if (values.timeout !== void 0) {
    const n = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || n < 60 || n > 86400)
      throw new UserError(`--timeout: expected seconds between 60 and 86400, got "${values.timeout}"`);
    timeoutMs = n * 1e3;
  }
  return { source: positionals[0], image: values.image, keep: values.keep, timeoutMs };
}
async function main(args, env = process.env) {
  let opts;
  try {
    opts = parse2(args);
  } catch (err) {
    process.stderr.write(`amibake try: ${errorMessage(err)}
`);
    return 2;
  }
  if (opts === "help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const started = Date.now();
  const logger = createCliLogger(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === "true");
  const say = (m) => logger.info(`[${clock(started)}] ${m}`);
  const out = (m) => process.stdout.write(m + "\n");
  const work = await mkdtemp5(join7(tmpdir2(), "amibake-try-"));
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let base;
  try {
    if (opts.image) {
      const image = opts.image;
      const st = await stat5(resolve2(image)).catch((err) => {
        throw new UserError(`--image ${image}: ${err.message}`);
      });
      if (!st.isFile()) throw new UserError(`--image ${image}: not a file`);
      await access3(resolve2(image), constants4.R_OK).catch((err) => {
        throw new UserError(`--image ${image}: ${err.message}`);
      });
    }
    await checkHost(!!opts.image);
    say(`preparing ${opts.source}`);
    const prepared = await prepareForTry(opts.source, join7(work, "prepared"), env, logger);
    if (!opts.image) {
      base = await BaseImage.open(
        join7(work, "vm"),
        (path) => say(
          `building the Debian ${baseRecipe(env).suite} base image from ${debianMirror(env)} (first run only: about 1 to 3 minutes; cached as ${path})`
        )
      );
      if (abort.signal.aborted) throw new UserError("interrupted");
    }
    const server = await startStageServer({ fsTgz: prepared.fsTgzPath, onRequest: (m) => say(m) });
    try {
      logger.mask(server.token);
      const userData = finalUserdata(await readFile2(prepared.userdataPath), server.urls);
      let lastPhase = Date.now();
      const result = await runMachine({
        userData,
        base: base ?? { image: resolve2(opts.image) },
        dir: join7(work, "vm"),
        forwards: [{ guestPort: GUEST_STAGE_PORT, hostPort: server.port }],
        timeoutMs: opts.timeoutMs,
        snapshot: true,
        signal: abort.signal,
        onPhase: (m) => {
          say(m);
          lastPhase = Date.now();
        },
        // The VM's console: `##[` anywhere is neutralised (the `  | ` prefix already keeps `::` off the start).
        onConsole: (line) => out(`  | ${neutraliseLine(line.replace(ANSI, ""))}`)
      });
      say(`the VM stopped after ${Math.round((Date.now() - lastPhase) / 1e3)} s`);
      const code = await report(result, server, say, out, opts, prepared, userData);
      return code;
    } finally {
      await server.close();
    }
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await base?.dispose();
    await rm6(work, { recursive: true, force: true });
  }
}
async function prepareForTry(source, target, env, logger) {
  const opts = readOptions("prepare", cliSource(env, { source, target }));
  const run = (s3Url2 = opts.s3Url) => prepare({ source: opts.source, target, awsRegion: opts.awsRegion, s3Url: s3Url2, logger, front: "cli", env });
  try {
    return await run();
  } catch (err) {
    if (opts.s3Url || !(err instanceof UserError) || !/^S3URL\b/.test(err.message)) throw err;
    logger.info("the files do not fit in the user data: they go external (served from this machine)");
    return run(s3Url("s3://amibake-try/fs.tgz"));
  }
}
async function report(r, server, say, out, opts, prepared, userData) {
  const problems = [];
  if (r.exit.aborted) problems.push("interrupted");
  if (r.exit.timedOut) problems.push(`the VM did not power off within ${opts.timeoutMs / 1e3} s`);
  else if (!r.poweredOff && !r.exit.aborted) problems.push("the VM rebooted instead of powering off");
  const uploaded = parseResult(server.result());
  const status = uploaded ?? r.status;
  if (uploaded !== void 0 && r.status !== void 0 && uploaded !== r.status)
    problems.push(`the uploaded result (${uploaded}) and the console line (${r.status}) differ`);
  if (status === void 0)
    problems.push("the guest reported no install status (no result upload, no AMIBAKE-RESULT line)");
  say("reading the disk");
  const after = await r.disk.walk();
  const changes = r.before ? diffTrees(r.before, after) : [];
  const leaks = await scanFile(r.diskPath, [server.token]);
  const leaked = leaks.get(server.token).length;
  if (leaked)
    problems.push(
      `the stage URLs are on the disk (${leaked} copies): a real bake would leak presigned URLs into the AMI`
    );
  const tgz = prepared.fsTgzPath ? await readFile2(prepared.fsTgzPath) : inlineFsTgz(await readFile2(prepared.userdataPath));
  const entries = tgz ? await listFsTgz(tgz) : [];
  const staged = (p) => p === "/var/run" || p.startsWith("/var/run/");
  const source = checkSourceFiles(entries, r.before, after, staged);
  const fromSource = new Set(source.entries.map((e) => e.path));
  const lines = changes.map(formatChange);
  out("");
  if (tgz) {
    out(
      `from the image source (fs.tgz): ${source.entries.length} entries, ${source.asPacked} on the disk as packed (mode, owner root, symlink target)${source.differences.length ? ", the others changed after extraction:" : ""}`
    );
    for (const d of source.differences) out(`  ! ${d}`);
    for (const [i, c] of changes.entries()) if (fromSource.has(c.path)) out(`  ${lines[i]}`);
  } else {
    out("from the image source: no files (no fs/ and no install.sh)");
  }
  const others = changes.filter((c) => !fromSource.has(c.path));
  const n = countChanges(others);
  out(
    `other changes on the disk (cloud-init, install.sh, the boot): ${n.added} added, ${n.changed} changed, ${n.removed} removed`
  );
  const otherLines = others.map(formatChange);
  for (const l of otherLines.slice(0, SHOWN_CHANGES)) out(`  ${l}`);
  if (otherLines.length > SHOWN_CHANGES)
    out(
      `  ... ${otherLines.length - SHOWN_CHANGES} more${opts.keep ? ` in ${join7(opts.keep, "changes.txt")}` : " (--keep DIR lists them all)"}`
    );
  const log = server.log();
  if (status !== 0 && log) {
    out("");
    out("install log (tail):");
    for (const l of log.trimEnd().split("\n").slice(-30)) out(`  ${l}`);
  }
  if (opts.keep) {
    const keep = resolve2(opts.keep);
    await mkdir3(keep, { recursive: true });
    await moveFile(r.diskPath, join7(keep, "disk.raw"));
    await moveFile(r.consoleLog, join7(keep, "console.log"));
    await copyFile3(prepared.userdataPath, join7(keep, "userdata.gz"));
    await writeFile3(join7(keep, "userdata-with-stage.gz"), userData);
    await writeFile3(join7(keep, "changes.txt"), lines.join("\n") + "\n");
    if (log !== void 0) await writeFile3(join7(keep, "install.log"), log);
    out("");
    out(
      `kept in ${keep}: disk.raw (read it with: debugfs -R 'ls -l /etc' ${join7(keep, "disk.raw")}), console.log, install.log, changes.txt`
    );
  }
  out("");
  if (status !== void 0) out(`install status ${status}${status === 0 ? " (success)" : " (failed)"}`);
  for (const p of problems) out(`error: ${p}`);
  return status === 0 && problems.length === 0 ? 0 : 1;
}
async function moveFile(from, to) {
  try {
    await rename2(from, to);
  } catch (err) {
    if (err.code !== "EXDEV") throw err;
    await copyFile3(from, to);
    await rm6(from, { force: true });
  }
}
export {
  main
};
