export const id = 125;
export const ids = [125];
export const modules = {

/***/ 1790:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Yd: () => (/* binding */ finalUserdata)
/* harmony export */ });
/* unused harmony exports stageEnv, stagePart */
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _core_contract_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2013);
/* harmony import */ var _core_envfile_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5934);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _core_userdata_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4808);
/** The build's part of the user data: what only the build knows (presigned URLs), written to
 *  STAGE_ENV on the instance's tmpfs. */





function stageEnv(urls, facts = {}) {
    const vars = {};
    if (urls.fsUrl)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.fsUrl] = urls.fsUrl;
    if (urls.resultUrl)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.resultUrl] = urls.resultUrl;
    if (urls.logUrl)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.logUrl] = urls.logUrl;
    if (facts.keyPair)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.keyPair] = facts.keyPair;
    return (0,_core_envfile_js__WEBPACK_IMPORTED_MODULE_4__/* .formatEnv */ .R_)(vars);
}
/** The cloud-config of the build's part. */
function stagePart(urls, facts = {}) {
    const doc = {
        write_files: [
            { path: _core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_ENV */ .R4, owner: 'root:root', permissions: '0600', content: stageEnv(urls, facts) },
        ],
    };
    // YAML 1.1, as cloud-init (PyYAML) reads it: scalars special in 1.1 only get quoted.
    return '#cloud-config\n' + (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .stringify */ .As)(doc, { lineWidth: 0, version: '1.1' });
}
/** The user data sent to RunInstances: prepare's message plus the build's part, within EC2's limit. */
function finalUserdata(prepared, urls, facts = {}) {
    const out = (0,_core_userdata_js__WEBPACK_IMPORTED_MODULE_3__/* .appendPart */ .U$)(prepared, { filename: _core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .BUILD_PART_FILENAME */ .zQ, content: stagePart(urls, facts) });
    if (out.length > _core_userdata_js__WEBPACK_IMPORTED_MODULE_3__/* .USERDATA_LIMIT */ .SF) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`the user data is ${out.length} bytes with the build's part (its presigned URLs), over EC2's ` +
            `limit of ${_core_userdata_js__WEBPACK_IMPORTED_MODULE_3__/* .USERDATA_LIMIT */ .SF}: prepared ${prepared.length} bytes, the build's part ` +
            `${out.length - prepared.length} (prepare keeps ${_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .BUILD_RESERVE */ .qY} bytes for it). Use a shorter S3 ` +
            'location (bucket and key) for the staged files');
    }
    return out;
}


/***/ }),

/***/ 2125:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: ./src/features/bake/userdata.ts
var userdata = __webpack_require__(1790);
// EXTERNAL MODULE: ./src/compile/prepare.ts + 7 modules
var prepare = __webpack_require__(7197);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/inert.ts
var inert = __webpack_require__(8275);
// EXTERNAL MODULE: ./src/core/log.ts
var log = __webpack_require__(4325);
// EXTERNAL MODULE: ./src/compile/options.ts
var options = __webpack_require__(9643);
// EXTERNAL MODULE: ./src/core/options.ts
var core_options = __webpack_require__(3457);
// EXTERNAL MODULE: ./src/core/parse.ts
var parse = __webpack_require__(1896);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/vm/exec.ts
/** Running the host tools the VM runner is made of (mmdebstrap, mkfs.ext4, debugfs, mtools, qemu). */




/** Runs a command without a shell; rejects with its stderr tail when it exits non-zero (unless
 *  `allowFail`). The command is looked up like `which` does, sbin folders included. */
async function exec(cmd, args, opts = {}) {
    const { input, allowFail, ...spawnOpts } = opts;
    const path = cmd.includes('/') ? cmd : ((await which(cmd)) ?? cmd);
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)(path, args, { ...spawnOpts, stdio: ['pipe', 'pipe', 'pipe'] });
        const out = [];
        const err = [];
        child.stdout.on('data', (b) => out.push(b));
        child.stderr.on('data', (b) => err.push(b));
        child.on('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
        child.on('close', (code, signal) => {
            const stderr = Buffer.concat(err).toString('utf8');
            const res = { stdout: Buffer.concat(out), stderr, code: code ?? 128 };
            if (res.code !== 0 && !allowFail) {
                const tail = stderr.trim().split('\n').slice(-15).join('\n');
                reject(new Error(`${cmd} ${signal ? `killed by ${signal}` : `exited with ${res.code}`}: ${tail}`));
            }
            else
                resolve(res);
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(input ?? '');
    });
}
/** Where mkfs.ext4, debugfs and the like live, and a non-login root shell's PATH may not reach. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];
/** The full path of an executable on PATH, else in the sbin folders. @actions/io's `which` checks
 *  that the match is an executable file (a directory named like the tool is no match); it searches
 *  process.env.PATH only, so the sbin folders are asked by full path after it. */
async function which(name) {
    for (const candidate of [name, ...SBIN.map((dir) => (0,external_node_path_.join)(dir, name))]) {
        const found = await io/* which */.K7(candidate);
        if (found)
            return found;
    }
    return undefined;
}
/** Debian package of each tool the runner calls, for the error that says what to install. */
const TOOL_PACKAGES = {
    'qemu-system-x86_64': 'qemu-system-x86',
    'qemu-img': 'qemu-utils',
    mmdebstrap: 'mmdebstrap',
    'mkfs.ext4': 'e2fsprogs',
    debugfs: 'e2fsprogs',
    'mkfs.vfat': 'dosfstools',
    mcopy: 'mtools',
    socat: 'socat',
    zstd: 'zstd',
    tar: 'tar',
};
/** Fails with one message naming every missing tool and the package that provides it. */
async function requireTools(names) {
    const found = {};
    const missing = [];
    for (const n of names) {
        const p = await which(n);
        if (p)
            found[n] = p;
        else
            missing.push(n);
    }
    if (missing.length) {
        const pkgs = [...new Set(missing.map((m) => TOOL_PACKAGES[m] ?? m))];
        throw new errors/* UserError */.yo(`the VM runner needs ${missing.join(', ')}: install the Debian/Ubuntu packages ${pkgs.join(' ')} ` +
            `(apt-get install ${pkgs.join(' ')})`);
    }
    return found;
}

;// CONCATENATED MODULE: ./src/vm/guest/base-customize.sh
/* harmony default export */ const base_customize = ("#!/bin/sh\n# mmdebstrap customize hook for amibake's VM base image: \"$1\" is the root of the new tree.\n# The image plays a freshly launched cloud instance: cloud-init from a NoCloud seed, static\n# network via systemd-networkd, nothing that slows a software-emulated boot.\nset -eu\nroot=\"$1\"\n\n# Only the NoCloud seed disk, no probing of cloud metadata services that are not there.\nmkdir -p \"$root/etc/cloud/cloud.cfg.d\"\ncat > \"$root/etc/cloud/cloud.cfg.d/01_amibake-vm.cfg\" <<'CFG'\ndatasource_list: [ NoCloud, None ]\n# One host key type: generating RSA keys under software emulation takes seconds.\nssh_genkeytypes: [ ed25519 ]\nCFG\n\n# A system locale, so cloud-init's locale module has nothing to generate (no `locales` package).\necho 'LANG=C.UTF-8' > \"$root/etc/default/locale\"\necho 'amibake' > \"$root/etc/hostname\"\nchmod 644 \"$root/etc/hostname\" \"$root/etc/default/locale\"\necho '/dev/vda / ext4 defaults 0 1' > \"$root/etc/fstab\"\n\n# cloud-init renders its network-config for systemd-networkd (no ifupdown, no netplan). The\n# address is static IPv4: waiting for IPv6 too costs seconds under emulation.\nchroot \"$root\" systemctl enable systemd-networkd.service\nmkdir -p \"$root/etc/systemd/system/systemd-networkd-wait-online.service.d\"\ncat > \"$root/etc/systemd/system/systemd-networkd-wait-online.service.d/amibake.conf\" <<'UNIT'\n[Service]\nExecStart=\nExecStart=/lib/systemd/systemd-networkd-wait-online --any -4 --timeout=60\nUNIT\n\n# Periodic jobs and the VGA console have no place in a minutes-long boot.\nchroot \"$root\" systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \\\n  e2scrub_all.timer e2scrub_reap.service fstrim.timer getty@tty1.service\n\n# The image must look unbooted: no machine id, no host keys (cloud-init makes new ones).\n: > \"$root/etc/machine-id\"\nrm -f \"$root/var/lib/dbus/machine-id\" \"$root\"/etc/ssh/ssh_host_*\n");

;// CONCATENATED MODULE: ./src/vm/base-image.ts
/**
 * The built-in base image: a Debian root filesystem with cloud-init, built from Debian's package
 * mirror with mmdebstrap and cached as a zstd tarball keyed by its recipe. Two generations:
 * bookworm (Debian 12, cloud-init 22.4, the default) and trixie (Debian 13, cloud-init 25.1, with
 * rsyslog as on Ubuntu, so that build-time output reaches /var/log/syslog as it does there).
 */








/** Bump when the way the recipe is turned into a tarball changes. */
const RECIPE_FORMAT = 1;
function debianMirror(env = process.env) {
    return (env.AMIBAKE_DEBIAN_MIRROR || 'http://deb.debian.org/debian').replace(/\/+$/, '');
}
/** The Debian releases the VM runner can build a base image of. */
const BASE_SUITES = (/* unused pure expression or super */ null && (['bookworm', 'trixie']));
/** cloud-init's own needs (ip, systemctl, dbus for hostnamectl), curl for the guest's download,
 * sshd so that sanitising really has host keys to remove. */
const PACKAGES = [
    'linux-image-cloud-amd64',
    'systemd-sysv',
    'udev',
    'dbus',
    'iproute2',
    'python3',
    'cloud-init',
    'curl',
    'openssh-server',
    'e2fsprogs',
];
/**
 * The recipe of a suite (bookworm unless told). Security updates come from `<mirror>-security`
 * unless the variable overrides it. The bookworm recipe is kept byte for byte as it was, so that
 * its cache key (and an image already cached) stays valid.
 */
function baseRecipe(env = process.env, suite = 'bookworm') {
    const mirror = debianMirror(env);
    const security = (env.AMIBAKE_DEBIAN_SECURITY_MIRROR ?? `${mirror}-security`).replace(/\/+$/, '');
    return {
        suite,
        mirrors: [
            `deb ${mirror} ${suite} main`,
            `deb ${mirror} ${suite}-updates main`,
            ...(security ? [`deb ${security} ${suite}-security main`] : []),
        ],
        variant: 'minbase',
        // trixie: rsyslog as on Ubuntu, which copies cloud-init's (and the install's) output into
        // /var/log/syslog and friends: what the image hygiene must remove.
        packages: suite === 'bookworm' ? PACKAGES : [...PACKAGES, 'rsyslog'],
        dpkgOptions: [
            'path-exclude=/usr/share/man/*',
            'path-exclude=/usr/share/doc/*',
            'path-include=/usr/share/doc/*/copyright',
            'path-exclude=/usr/share/locale/*',
        ],
        hook: base_customize,
    };
}
function recipeHash(recipe) {
    return (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify({ format: RECIPE_FORMAT, ...recipe }))
        .digest('hex')
        .slice(0, 16);
}
/** `$AMIBAKE_CACHE_DIR`, else `$XDG_CACHE_HOME/amibake`, else `~/.cache/amibake`. */
function cacheDir(env = process.env) {
    if (env.AMIBAKE_CACHE_DIR)
        return env.AMIBAKE_CACHE_DIR;
    return (0,external_node_path_.join)(env.XDG_CACHE_HOME || (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.cache'), 'amibake');
}
function baseImagePath(recipe, env = process.env) {
    return (0,external_node_path_.join)(cacheDir(env), `debian-${recipe.suite}-${recipeHash(recipe)}.tar.zst`);
}
async function exists(p) {
    return (0,promises_.stat)(p).then(() => true, () => false);
}
/** The cached base image tarball, built first when the cache has none for this recipe. */
async function ensureBaseImage(opts = {}) {
    const env = opts.env ?? process.env;
    const recipe = baseRecipe(env, opts.suite);
    const target = baseImagePath(recipe, env);
    if (await exists(target))
        return target;
    if (process.getuid?.() !== 0) {
        throw new errors/* UserError */.yo('building the VM base image needs root (mmdebstrap installs packages as root, and the disk keeps ' +
            "the files' owners): run as root");
    }
    await requireTools(['mmdebstrap', 'zstd']);
    opts.onBuild?.(target);
    await io/* mkdirP */.U$(cacheDir(env));
    // Build beside the target and rename: a crash or a concurrent build never leaves a partial file.
    const tmp = `${target}.${process.pid}.tmp`;
    const hookFile = `${tmp}.hook.sh`;
    try {
        await (0,promises_.writeFile)(hookFile, recipe.hook, { mode: 0o755 });
        await exec('mmdebstrap', [
            `--variant=${recipe.variant}`,
            '--mode=root',
            '--format=tar',
            `--include=${recipe.packages.join(',')}`,
            ...recipe.dpkgOptions.map((o) => `--dpkgopt=${o}`),
            `--customize-hook=sh ${hookFile} "$1"`,
            '--quiet',
            recipe.suite,
            `${tmp}.tar`,
            ...recipe.mirrors,
        ], { env: { ...process.env, LC_ALL: 'C.UTF-8' } }).catch((err) => {
            throw new errors/* UserError */.yo(`could not build the VM base image from ${debianMirror(env)} (set AMIBAKE_DEBIAN_MIRROR to use ` +
                `another Debian mirror): ${err.message}`);
        });
        await exec('zstd', ['-q', '-T0', '-6', '--rm', '-f', `${tmp}.tar`, '-o', tmp]);
        await (0,promises_.rename)(tmp, target);
        return target;
    }
    finally {
        await (0,promises_.rm)(hookFile, { force: true });
        await (0,promises_.rm)(`${tmp}.tar`, { force: true });
        await (0,promises_.rm)(tmp, { force: true });
    }
}

;// CONCATENATED MODULE: ./src/vm/changes.ts
function diffTrees(before, after) {
    const out = [];
    for (const [path, a] of after) {
        const b = before.get(path);
        if (!b) {
            out.push({ kind: 'added', path, after: a, what: [] });
            continue;
        }
        const what = [];
        if (a.type !== b.type)
            what.push('type');
        if (a.mode !== b.mode)
            what.push('mode');
        if (a.uid !== b.uid || a.gid !== b.gid)
            what.push('owner');
        if (a.type === 'symlink' && a.target !== b.target)
            what.push('target');
        // A directory's own content is its entries, reported one by one.
        if (a.type !== 'dir' && b.type !== 'dir' && what.length === 0) {
            if (a.inode !== b.inode)
                what.push('replaced');
            else if (a.size !== b.size || a.mtime !== b.mtime)
                what.push('content');
        }
        if (what.length)
            out.push({ kind: 'changed', path, before: b, after: a, what });
    }
    for (const [path, b] of before)
        if (!after.has(path))
            out.push({ kind: 'removed', path, before: b, what: [] });
    return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
const TYPE_CHAR = {
    file: '-',
    dir: 'd',
    symlink: 'l',
    char: 'c',
    block: 'b',
    fifo: 'p',
    socket: 's',
};
/** `ls -l` style mode string, setuid/setgid/sticky included. */
function modeString(st) {
    const m = st.mode;
    const bit = (mask, c) => (m & mask ? c : '-');
    const special = (x, exec, on) => x ? (exec ? on : on.toUpperCase()) : exec ? 'x' : '-';
    return ((TYPE_CHAR[st.type] ?? '?') +
        bit(0o400, 'r') +
        bit(0o200, 'w') +
        special(!!(m & 0o4000), !!(m & 0o100), 's') +
        bit(0o40, 'r') +
        bit(0o20, 'w') +
        special(!!(m & 0o2000), !!(m & 0o10), 's') +
        bit(0o4, 'r') +
        bit(0o2, 'w') +
        special(!!(m & 0o1000), !!(m & 0o1), 't'));
}
function describeEntry(st) {
    const link = st.type === 'symlink' ? ` -> ${st.target}` : '';
    const size = st.type === 'file' ? ` ${st.size}` : '';
    return `${modeString(st)} ${st.uid}:${st.gid}${size} ${st.path}${link}`;
}
function formatChange(c) {
    switch (c.kind) {
        case 'added':
            return `+ ${describeEntry(c.after)}`;
        case 'removed':
            return `- ${describeEntry(c.before)}`;
        default:
            return `~ ${describeEntry(c.after)} (${c.what.join(', ')})`;
    }
}
function countChanges(changes) {
    const n = { added: 0, removed: 0, changed: 0 };
    for (const c of changes)
        n[c.kind]++;
    return n;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/vm/ext4.ts
/**
 * Reading an ext2/3/4 file system image without mounting it: debugfs from e2fsprogs, run in
 * batches (one process for many requests), so a whole-tree walk takes a second or two.
 */






const TYPES = {
    regular: 'file',
    directory: 'dir',
    symlink: 'symlink',
    'character special': 'char',
    'block special': 'block',
    FIFO: 'fifo',
    socket: 'socket',
};
const TYPE_BITS = {
    0o100000: 'file',
    0o040000: 'dir',
    0o120000: 'symlink',
    0o020000: 'char',
    0o060000: 'block',
    0o010000: 'fifo',
    0o140000: 'socket',
};
/** debugfs parses its requests like a shell line: double quotes keep spaces, nothing escapes a quote. */
function quote(path) {
    if (!path.startsWith('/'))
        throw new Error(`not an absolute path: ${path}`);
    if (/["\n\r]/.test(path))
        throw new Error(`debugfs cannot address a path containing a quote or newline: ${path}`);
    return `"${path}"`;
}
function joinPath(dir, name) {
    return dir === '/' ? `/${name}` : `${dir}/${name}`;
}
function parseStat(path, text) {
    const head = /Inode:\s+(\d+)\s+Type:\s+(.+?)\s+Mode:\s+([0-7]+)/.exec(text);
    const owner = /User:\s+(\d+)\s+Group:\s+(\d+)(?:\s+Project:\s+\d+)?\s+Size:\s+(\d+)/.exec(text);
    if (!head || !owner)
        return undefined;
    const time = (name) => {
        const m = new RegExp(`${name}:\\s+0x([0-9a-f]+)`).exec(text);
        return m ? parseInt(m[1], 16) : 0;
    };
    const st = {
        path,
        inode: Number(head[1]),
        type: TYPES[head[2]] ?? 'file',
        mode: parseInt(head[3], 8) & 0o7777,
        uid: Number(owner[1]),
        gid: Number(owner[2]),
        size: Number(owner[3]),
        mtime: time('mtime'),
        ctime: time('ctime'),
    };
    if (st.type === 'symlink') {
        const fast = /Fast link dest: "(.*)"\s*$/m.exec(text);
        if (fast)
            st.target = fast[1];
    }
    return st;
}
function parseList(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const m = /^\/(\d+)\/([0-7]+)\/(\d+)\/(\d+)\/(.*)\/(\d*)\/$/.exec(line);
        if (!m || m[5] === '.' || m[5] === '..')
            continue;
        const raw = parseInt(m[2], 8);
        out.push({
            name: m[5],
            inode: Number(m[1]),
            type: TYPE_BITS[raw & 0o170000] ?? 'file',
            mode: raw & 0o7777,
            uid: Number(m[3]),
            gid: Number(m[4]),
        });
    }
    return out;
}
class Ext4Image {
    path;
    offset;
    /** `offset`: byte offset of the file system inside a partitioned disk image. */
    constructor(path, offset = 0) {
        this.path = path;
        this.offset = offset;
    }
    get device() {
        return this.offset ? `${this.path}?offset=${this.offset}` : this.path;
    }
    /** Runs requests in one debugfs process and returns each request's output. */
    async batch(requests) {
        if (requests.length === 0)
            return [];
        const res = await exec('debugfs', ['-f', '-', this.device], { input: requests.join('\n') + '\n' });
        // In -f mode debugfs echoes each request as "debugfs: <request>" before its output, which
        // does not always end with a newline: cut at the echoes, found in order.
        const text = res.stdout.toString('utf8');
        const starts = [];
        let pos = 0;
        for (const r of requests) {
            const echo = `debugfs: ${r}\n`;
            const at = text.indexOf(echo, pos);
            if (at < 0)
                throw new Error(`debugfs did not answer "${r}": ${res.stderr.trim().slice(-500)}`);
            starts.push(at, at + echo.length);
            pos = at + echo.length;
        }
        return requests.map((_, i) => text.slice(starts[2 * i + 1], i + 1 < requests.length ? starts[2 * i + 2] : undefined));
    }
    async statMany(paths) {
        const out = await this.batch(paths.map((p) => `stat ${quote(p)}`));
        const stats = paths.map((p, i) => parseStat(p, out[i]));
        // Targets longer than 60 bytes live in a data block rather than in the inode.
        const slow = stats.filter((s) => !!s && s.type === 'symlink' && s.target === undefined);
        const targets = await this.batch(slow.map((s) => `cat ${quote(s.path)}`));
        slow.forEach((s, i) => (s.target = targets[i].replace(/\n$/, '')));
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
        if (!st)
            throw new Error(`${path}: not found on the disk image`);
        if (st.type !== 'file')
            throw new Error(`${path}: not a regular file (${st.type})`);
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'amibake-dump-'));
        try {
            await this.batch([`dump ${quote(path)} ${quote((0,external_node_path_.join)(dir, 'f'))}`]);
            return await (0,promises_.readFile)((0,external_node_path_.join)(dir, 'f'));
        }
        finally {
            await io/* rmRF */.Yz(dir);
        }
    }
    /** Copies a directory tree out of the image, with modes and owners. */
    async rdump(path, outDir) {
        await this.batch([`rdump ${quote(path)} ${quote(outDir)}`]);
    }
    /** Every inode reachable from `root`, walked one directory level per debugfs process. */
    async walk(root = '/') {
        const all = new Map();
        let level = [root];
        const paths = [root];
        while (level.length) {
            const lists = await this.batch(level.map((d) => `ls -p ${quote(d)}`));
            const next = [];
            level.forEach((dir, i) => {
                for (const e of parseList(lists[i])) {
                    const p = joinPath(dir, e.name);
                    if (/["\n\r]/.test(p))
                        continue;
                    paths.push(p);
                    if (e.type === 'dir')
                        next.push(p);
                }
            });
            level = next;
        }
        const stats = await this.statMany(paths);
        for (const s of stats)
            if (s)
                all.set(s.path, s);
        return all;
    }
}
/**
 * Byte offsets of each needle anywhere in a file: the whole disk image, free blocks and
 * journal included, which is where a secret written once and deleted would still be.
 */
async function scanFile(path, needles) {
    const bufs = needles.filter((n) => n.length > 0).map((n) => Buffer.from(n, 'utf8'));
    const found = new Map(needles.map((n) => [n, []]));
    const overlap = Math.max(0, ...bufs.map((b) => b.length)) - 1;
    let carry = Buffer.alloc(0);
    let base = 0; // file offset of carry[0]
    for await (const chunk of (0,external_node_fs_.createReadStream)(path, { highWaterMark: 8 * 1024 * 1024 })) {
        const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        for (const b of bufs) {
            for (let i = buf.indexOf(b); i >= 0; i = buf.indexOf(b, i + 1)) {
                // Matches inside the carried-over tail were already counted in the previous round.
                if (i + b.length > carry.length)
                    found.get(b.toString('utf8')).push(base + i);
            }
        }
        const keep = Math.min(overlap, buf.length);
        carry = buf.subarray(buf.length - keep);
        base += buf.length - keep;
    }
    return found;
}

// EXTERNAL MODULE: ./src/core/contract.ts
var contract = __webpack_require__(2013);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/vm/seed.ts
/**
 * The NoCloud seed: a small vfat disk labelled `cidata` (built with mkfs.vfat and mtools, no
 * mounting) holding meta-data, user-data (the gzip'd user data as-is: cloud-init decompresses
 * it), network-config and, optionally, vendor-data.
 */





/** The guest's fixed address on qemu's user-mode network, and the host's alias on it. */
const GUEST_MAC = '52:54:00:12:34:56';
const GUEST_IP = '10.0.2.15';
const GATEWAY_IP = '10.0.2.2';
/** Services on the host's loopback appear to the guest at this address (qemu guestfwd). */
const HOST_ALIAS_IP = '10.0.2.100';
/** cloud-init reads YAML 1.1 (PyYAML): a MAC address unquoted is a base-60 integer there, `on` a boolean. */
const stringify = (value) => (0,dist/* stringify */.As)(value, { version: '1.1' });
/** Static v1 config: names the NIC eth0 by its MAC, so it works whatever the image's renderer. */
function networkConfig() {
    return stringify({
        version: 1,
        config: [
            {
                type: 'physical',
                name: 'eth0',
                mac_address: GUEST_MAC,
                subnets: [{ type: 'static', address: `${GUEST_IP}/24`, gateway: GATEWAY_IP }],
            },
        ],
    });
}
async function makeSeed(path, content) {
    const dir = await (0,promises_.mkdtemp)(`${path}.d-`);
    try {
        const files = {
            'meta-data': stringify({
                'instance-id': content.instanceId,
                'local-hostname': content.hostname ?? 'amibake',
            }),
            'user-data': content.userData,
            'network-config': networkConfig(),
        };
        if (content.vendorData !== undefined)
            files['vendor-data'] = content.vendorData;
        let bytes = 0;
        for (const [name, data] of Object.entries(files)) {
            await (0,promises_.writeFile)((0,external_node_path_.join)(dir, name), data);
            bytes += Buffer.byteLength(data);
        }
        // mkfs.vfat counts 1 KiB blocks; leave room for the FAT and directory entries.
        const blocks = Math.max(1024, Math.ceil(bytes / 1024) * 2 + 512);
        await (0,promises_.rm)(path, { force: true });
        await exec('mkfs.vfat', ['-n', 'CIDATA', '-C', path, String(blocks)]);
        await exec('mcopy', ['-o', '-i', path, ...Object.keys(files).map((f) => (0,external_node_path_.join)(dir, f)), '::'], {
            env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
        });
    }
    finally {
        await io/* rmRF */.Yz(dir);
    }
}

;// CONCATENATED MODULE: ./src/vm/qemu.ts
/**
 * One qemu-system-x86_64 run: software emulation unless a smoke boot proves KVM works, the serial
 * console streamed to a file and to the caller, `-no-reboot` (a guest reboot ends the run), a hard
 * timeout, and a user-mode network with `restrict=on` whose only way out is guestfwd rules to the
 * host's loopback.
 */





const LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
function isLoopback(addr) {
    const m = LOOPBACK.exec(addr);
    return !!m && m.slice(1).every((x) => Number(x) <= 255);
}
function netdev(forwards) {
    const rules = forwards.map((f) => {
        const host = f.hostAddr ?? '127.0.0.1';
        if (!isLoopback(host))
            throw new Error(`guest forward to ${host}: only loopback addresses are allowed`);
        for (const port of [f.guestPort, f.hostPort]) {
            if (!Number.isInteger(port) || port < 1 || port > 65535)
                throw new Error(`invalid port ${port}`);
        }
        // `cmd:` runs one socat per guest connection; a `tcp:` chardev would serve a single connection.
        return `guestfwd=tcp:${HOST_ALIAS_IP}:${f.guestPort}-cmd:socat STDIO TCP4:${host}:${f.hostPort}`;
    });
    // restrict=on: the guest reaches nothing but the guestfwd rules (no NAT to the host or beyond).
    return ['user', 'id=n0', 'restrict=on', 'ipv6=off', ...rules].join(',');
}
function qemuArgs(spec) {
    const args = [
        '-machine',
        `q35,accel=${spec.accel ?? 'tcg'}`,
        '-cpu',
        spec.accel === 'kvm' ? 'host' : 'max',
        '-smp',
        String(spec.cpus ?? 2),
        '-m',
        String(spec.memoryMiB ?? 1024),
        '-display',
        'none',
        '-monitor',
        'none',
        '-no-reboot',
        '-chardev',
        'stdio,id=con0,signal=off',
        '-serial',
        'chardev:con0',
        '-netdev',
        netdev(spec.forwards ?? []),
        '-device',
        `virtio-net-pci,netdev=n0,mac=${GUEST_MAC}`,
    ];
    for (const d of spec.disks) {
        if (/,/.test(d.path))
            throw new Error(`disk path must not contain a comma: ${d.path}`);
        args.push('-drive', `file=${d.path},if=virtio,format=${d.format}${d.readonly ? ',readonly=on' : ''}`);
    }
    if (spec.boot.kind === 'kernel') {
        args.push('-kernel', spec.boot.kernel, '-initrd', spec.boot.initrd, '-append', spec.boot.append);
    }
    return args;
}
async function runVm(spec) {
    const qemu = (await which('qemu-system-x86_64')) ?? 'qemu-system-x86_64';
    const log = (0,external_node_fs_.createWriteStream)(spec.consoleLog);
    const started = Date.now();
    const child = (0,external_node_child_process_.spawn)(qemu, qemuArgs(spec), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let partial = '';
    child.stderr.on('data', (b) => (stderr += b.toString('utf8')));
    child.stdout.on('data', (b) => {
        log.write(b);
        if (!spec.onConsole)
            return;
        const lines = (partial + b.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines)
            spec.onConsole(l.replace(/\r$/, ''));
    });
    let timedOut = false;
    let aborted = false;
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
        timedOut = true;
        kill();
    }, spec.timeoutMs);
    const onAbort = () => {
        aborted = true;
        kill();
    };
    spec.signal?.addEventListener('abort', onAbort);
    if (spec.signal?.aborted)
        onAbort();
    // Never leave a qemu behind when this process exits.
    process.once('exit', kill);
    try {
        const [code, signal] = await new Promise((resolve, reject) => {
            child.on('error', reject);
            child.on('close', (c, s) => resolve([c, s]));
        });
        if (partial && spec.onConsole)
            spec.onConsole(partial);
        return { code, signal, timedOut, aborted, ms: Date.now() - started, stderr };
    }
    finally {
        clearTimeout(timer);
        spec.signal?.removeEventListener('abort', onAbort);
        process.removeListener('exit', kill);
        await new Promise((r) => log.end(r));
    }
}
let kvmVerdict;
/**
 * Whether KVM really boots Linux here: /dev/kvm can exist on hosts where it cannot (nested
 * virtualisation without the needed features). The smoke boot starts the kernel with no root
 * disk; reaching the kernel's panic about the root filesystem proves the CPU runs it.
 */
function kvmWorks(kernel) {
    kvmVerdict ??= (async () => {
        try {
            await (0,promises_.access)('/dev/kvm', promises_.constants.R_OK | promises_.constants.W_OK);
        }
        catch {
            return false;
        }
        const qemu = await which('qemu-system-x86_64');
        if (!qemu)
            return false;
        const res = await exec('timeout', [
            '-s',
            'KILL',
            '30',
            qemu,
            ...['-machine', 'q35,accel=kvm', '-cpu', 'host', '-m', '256', '-display', 'none'],
            ...['-monitor', 'none', '-serial', 'stdio', '-no-reboot', '-kernel', kernel],
            ...['-append', 'console=ttyS0 panic=-1 root=/dev/amibake-none'],
        ], { allowFail: true });
        return res.code === 0 && /Kernel panic|VFS: (Unable|Cannot) (to )?mount root/.test(res.stdout.toString());
    })();
    return kvmVerdict;
}
/** `AMIBAKE_VM_ACCEL`: tcg, kvm, or auto (default: KVM only when the smoke boot proves it). */
async function chooseAccel(kernel, env = process.env) {
    const want = (env.AMIBAKE_VM_ACCEL || 'auto').toLowerCase();
    if (want === 'tcg' || want === 'kvm')
        return want;
    if (want !== 'auto')
        throw new Error(`AMIBAKE_VM_ACCEL must be tcg, kvm or auto, not "${want}"`);
    return kernel && (await kvmWorks(kernel)) ? 'kvm' : 'tcg';
}

;// CONCATENATED MODULE: ./src/vm/rootfs.ts
/** Turning the base image tarball into a bootable ext4 disk: no mounting, no loop devices. */




/** Unpacks the tarball as root, keeping owners, modes and extended attributes (file capabilities). */
async function unpackRootfs(tarball, workDir) {
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(workDir, 'rootfs-'));
    await exec('sh', [
        '-c',
        'zstd -q -dc "$1" | tar -x --numeric-owner --same-owner -p --xattrs --xattrs-include="*" -C "$2"',
        'unpack',
        tarball,
        dir,
    ]);
    // Debian keeps /vmlinuz and /initrd.img as symlinks to the installed kernel.
    const inTree = async (link) => {
        const target = (0,external_node_path_.resolve)((0,external_node_path_.dirname)((0,external_node_path_.join)(dir, link)), (await (0,promises_.readlink)((0,external_node_path_.join)(dir, link))).replace(/^\/+/, ''));
        if (!target.startsWith(dir + '/'))
            throw new Error(`${link} points outside the base image`);
        await (0,promises_.stat)(target);
        return target;
    };
    return {
        dir,
        kernel: await inTree('vmlinuz'),
        initrd: await inTree('initrd.img'),
        dispose: () => io/* rmRF */.Yz(dir),
    };
}
const ROOT_LABEL = 'amibake-root';
/** A sparse raw ext4 image of `sizeMiB` populated from the tree (`mkfs.ext4 -d`). */
async function makeExt4(tree, image, sizeMiB) {
    await exec('mkfs.ext4', ['-q', '-F', '-L', ROOT_LABEL, '-d', tree, image, `${sizeMiB}M`]);
}
/** Copies the kernel and initrd out of the tree, so the tree can go before the VM boots. */
async function copyBootFiles(tree, dir) {
    const kernel = (0,external_node_path_.join)(dir, 'vmlinuz');
    const initrd = (0,external_node_path_.join)(dir, 'initrd.img');
    await (0,promises_.copyFile)(tree.kernel, kernel);
    await (0,promises_.copyFile)(tree.initrd, initrd);
    return { kernel, initrd };
}

;// CONCATENATED MODULE: ./src/vm/user-image.ts
/**
 * A user's own cloud image (`--image FILE`, raw or qcow2): booted by its own bootloader, read
 * back through the partition table to its ext2/3/4 root file system.
 */



const SECTOR = 512;
async function imageFormat(path) {
    const fh = await (0,promises_.open)(path, 'r').catch((err) => {
        throw new errors/* UserError */.yo(`--image ${path}: ${err.message}`);
    });
    try {
        const head = Buffer.alloc(4);
        await fh.read(head, 0, 4, 0);
        return head.equals(Buffer.from([0x51, 0x46, 0x49, 0xfb])) ? 'qcow2' : 'raw';
    }
    finally {
        await fh.close();
    }
}
/** A private raw copy of the image (the user's file is never written), at least `minMiB` big. */
async function workingCopy(image, out, minMiB) {
    if ((await imageFormat(image)) === 'qcow2') {
        await requireTools(['qemu-img']);
        await exec('qemu-img', ['convert', '-O', 'raw', image, out]);
    }
    else {
        // A reflink where the file system can, else a plain copy.
        await (0,promises_.copyFile)(image, out, promises_.constants.COPYFILE_FICLONE);
    }
    // Room for the install: cloud-init's growpart and resizefs take the extra space at boot.
    const size = (await (0,promises_.stat)(out)).size;
    if (size < minMiB * 1024 * 1024)
        await (0,promises_.truncate)(out, minMiB * 1024 * 1024);
}
/** The partitions of an MBR or GPT disk (an unpartitioned file system counts as one at offset 0). */
async function partitions(path) {
    const fh = await (0,promises_.open)(path, 'r');
    try {
        const read = async (pos, len) => {
            const b = Buffer.alloc(len);
            await fh.read(b, 0, len, pos);
            return b;
        };
        const mbr = await read(0, SECTOR);
        if (mbr.readUInt16LE(510) !== 0xaa55)
            return [{ index: 0, offset: 0, size: (await fh.stat()).size }];
        const primary = [];
        let gpt = false;
        for (let i = 0; i < 4; i++) {
            const e = 446 + i * 16;
            const type = mbr[e + 4];
            if (type === 0)
                continue;
            if (type === 0xee)
                gpt = true;
            primary.push({
                index: i + 1,
                offset: mbr.readUInt32LE(e + 8) * SECTOR,
                size: mbr.readUInt32LE(e + 12) * SECTOR,
            });
        }
        if (!gpt)
            return primary;
        const header = await read(SECTOR, SECTOR);
        if (header.toString('latin1', 0, 8) !== 'EFI PART')
            return primary;
        const entriesLba = Number(header.readBigUInt64LE(72));
        const count = header.readUInt32LE(80);
        const entrySize = header.readUInt32LE(84);
        const table = await read(entriesLba * SECTOR, count * entrySize);
        const out = [];
        for (let i = 0; i < count; i++) {
            const e = table.subarray(i * entrySize, (i + 1) * entrySize);
            if (e.subarray(0, 16).every((x) => x === 0))
                continue;
            const first = Number(e.readBigUInt64LE(32));
            const last = Number(e.readBigUInt64LE(40));
            out.push({ index: i + 1, offset: first * SECTOR, size: (last - first + 1) * SECTOR });
        }
        return out;
    }
    finally {
        await fh.close();
    }
}
async function isExt(path, offset) {
    const fh = await (0,promises_.open)(path, 'r');
    try {
        const b = Buffer.alloc(2);
        await fh.read(b, 0, 2, offset + 1024 + 56);
        return b.readUInt16LE(0) === 0xef53;
    }
    finally {
        await fh.close();
    }
}
/** Byte offset of the largest ext2/3/4 file system on the disk: the root of a cloud image. */
async function rootFsOffset(path) {
    const found = [];
    for (const p of await partitions(path))
        if (await isExt(path, p.offset))
            found.push(p);
    if (!found.length) {
        throw new errors/* UserError */.yo(`${path}: no ext2/3/4 file system found on the disk (amibake reads the result without mounting, ` +
            'with debugfs; XFS or btrfs roots are not supported)');
    }
    return found.sort((a, b) => b.size - a.size)[0].offset;
}

;// CONCATENATED MODULE: ./src/vm/machine.ts
/**
 * A throwaway cloud instance on this machine: a disk (the built-in Debian base image or the
 * user's own image), a NoCloud seed with the user data, one qemu run until the guest powers off,
 * then the disk is read back without mounting.
 */













const DEFAULT_DISK_MIB = 4096;
const DEFAULT_MEMORY_MIB = 1024;
const DEFAULT_TIMEOUT_MS = 20 * 60_000;
/** Kernel command line of the built-in image (no bootloader: qemu loads kernel and initrd). */
const KERNEL_APPEND = 'root=/dev/vda rw console=ttyS0 quiet fsck.mode=skip';
const VM_TOOLS = ['qemu-system-x86_64', 'mkfs.ext4', 'debugfs', 'mkfs.vfat', 'mcopy', 'socat', 'zstd'];
/** The built-in image, unpacked once and stamped into as many disks as needed. */
class BaseImage {
    tree;
    kernel;
    initrd;
    dir;
    constructor(
    /** The unpacked root file system (read-only for callers). */
    tree, kernel, initrd, dir) {
        this.tree = tree;
        this.kernel = kernel;
        this.initrd = initrd;
        this.dir = dir;
    }
    /** `onBuild` is told when the cached tarball is missing and has to be built first. */
    static async open(workDir, onBuild, suite) {
        await checkHost(false);
        const tarball = await ensureBaseImage({ onBuild, suite });
        await io/* mkdirP */.U$(workDir);
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(workDir, 'base-'));
        const tree = await unpackRootfs(tarball, dir);
        const boot = await copyBootFiles(tree, dir);
        return new BaseImage(tree.dir, boot.kernel, boot.initrd, dir);
    }
    async makeDisk(path, sizeMiB = DEFAULT_DISK_MIB) {
        await makeExt4(this.tree, path, sizeMiB);
    }
    async dispose() {
        await io/* rmRF */.Yz(this.dir);
    }
}
/** Fails early, with what to do, when this machine cannot run the built-in image or a user image. */
async function checkHost(userImage) {
    if (!userImage && process.getuid?.() !== 0) {
        throw new errors/* UserError */.yo("the VM runner needs root for the built-in image: its disk is built from a tree that keeps the files' owners");
    }
    await requireTools(userImage ? VM_TOOLS.filter((t) => t !== 'zstd') : VM_TOOLS);
}
function newInstanceId() {
    return `i-${(0,external_node_crypto_.randomBytes)(9).toString('hex').slice(0, 17)}`;
}
async function runMachine(opts) {
    const phase = opts.onPhase ?? (() => undefined);
    await io/* mkdirP */.U$(opts.dir);
    const diskPath = (0,external_node_path_.join)(opts.dir, 'disk.raw');
    const seedPath = (0,external_node_path_.join)(opts.dir, 'seed.img');
    const consoleLog = (0,external_node_path_.join)(opts.dir, 'console.log');
    const instanceId = opts.instanceId ?? newInstanceId();
    const diskMiB = opts.diskMiB ?? DEFAULT_DISK_MIB;
    let disk;
    let boot;
    let kernelForProbe;
    if (opts.base instanceof BaseImage) {
        phase(`making the ${diskMiB} MiB root disk`);
        await opts.base.makeDisk(diskPath, diskMiB);
        disk = new Ext4Image(diskPath);
        boot = { kind: 'kernel', kernel: opts.base.kernel, initrd: opts.base.initrd, append: KERNEL_APPEND };
        kernelForProbe = opts.base.kernel;
    }
    else {
        await checkHost(true);
        phase(`copying ${opts.base.image}`);
        await workingCopy(opts.base.image, diskPath, diskMiB);
        disk = new Ext4Image(diskPath, await rootFsOffset(diskPath));
        boot = { kind: 'firmware' };
    }
    const before = opts.snapshot ? await disk.walk() : undefined;
    await makeSeed(seedPath, { instanceId, userData: opts.userData, vendorData: opts.vendorData });
    const accel = await chooseAccel(kernelForProbe);
    let status;
    let rebooted = false;
    phase(`booting (${accel === 'kvm' ? 'KVM' : 'software emulation'}), instance ${instanceId}`);
    const exit = await runVm({
        boot,
        accel,
        disks: [
            { path: diskPath, format: 'raw' },
            { path: seedPath, format: 'raw', readonly: true },
        ],
        forwards: opts.forwards,
        memoryMiB: opts.memoryMiB ?? DEFAULT_MEMORY_MIB,
        cpus: opts.cpus ?? 2,
        consoleLog,
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: opts.signal,
        onConsole: (line) => {
            const m = contract/* RESULT_LINE_RE */.n3.exec(line);
            if (m)
                status = Number(m[1]);
            if (/\breboot: Restarting system\b/.test(line))
                rebooted = true;
            opts.onConsole?.(line);
        },
    });
    if (exit.code !== 0 && !exit.timedOut && !exit.aborted) {
        throw new Error(`qemu failed (exit ${exit.code ?? exit.signal}): ${exit.stderr.trim().slice(-2000)}`);
    }
    // With -no-reboot qemu exits 0 both on power-off and on a reboot request.
    const poweredOff = exit.code === 0 && !exit.timedOut && !exit.aborted && !rebooted;
    if (disk.offset)
        disk = new Ext4Image(diskPath, await rootFsOffset(diskPath));
    return { exit, status, poweredOff, instanceId, diskPath, consoleLog, disk, before };
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(6118);
// EXTERNAL MODULE: ./src/compile/generated.ts + 1 modules
var generated = __webpack_require__(2211);
// EXTERNAL MODULE: ./src/core/userdata.ts
var core_userdata = __webpack_require__(4808);
;// CONCATENATED MODULE: ./src/vm/source-files.ts
/**
 * What the image source put on the disk: the entries of the prepared fs.tgz (inline in the user
 * data, or the external file), compared with the disk after the bake. install.sh may change what
 * it likes (owners, modes), so a difference is reported, not judged.
 */





const TAR_TYPES = {
    file: 'file',
    directory: 'dir',
    symlink: 'symlink',
    'character-device': 'char',
    'block-device': 'block',
    fifo: 'fifo',
};
async function listFsTgz(tgz) {
    const ex = (0,tar_stream.extract)();
    const out = [];
    const done = new Promise((resolve, reject) => {
        ex.on('entry', (h, stream, next) => {
            const path = '/' + h.name.replace(/^(\.\/|\/)+/, '').replace(/\/$/, '');
            if (path !== '/' && path !== '/.')
                out.push({
                    path,
                    type: TAR_TYPES[h.type ?? 'file'] ?? 'file',
                    mode: (h.mode ?? 0) & 0o7777,
                    uid: h.uid ?? 0,
                    gid: h.gid ?? 0,
                    size: h.size ?? 0,
                    target: h.type === 'symlink' ? (h.linkname ?? undefined) : undefined,
                });
            stream.on('end', next);
            stream.resume();
        });
        ex.on('finish', resolve);
        ex.on('error', reject);
    });
    ex.end((0,external_node_zlib_.gunzipSync)(tgz));
    await done;
    return out;
}
/** The fs.tgz a prepared user data carries inline (write_files to FS_STAGE), if any. */
function inlineFsTgz(userdataGz) {
    const text = (0,core_userdata/* readUserdata */.mV)(userdataGz);
    const m = /^Content-Type: multipart\/mixed; boundary="([^"]+)"/.exec(text);
    if (!m)
        return undefined;
    for (const chunk of text.split(`--${m[1]}`).slice(1)) {
        const body = chunk.slice(chunk.indexOf('\n\n') + 2);
        if (!body.includes(generated/* FS_STAGE */.p1))
            continue;
        const doc = (0,dist/* parse */.qg)(body, { version: '1.1' });
        const f = doc?.write_files?.find((w) => w.path === generated/* FS_STAGE */.p1);
        if (f?.content && /^(b64|base64)$/i.test(f.encoding ?? ''))
            return Buffer.from(f.content, 'base64');
    }
    return undefined;
}
const octal = (n) => n.toString(8).padStart(4, '0');
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
        if (st.type !== e.type)
            what.push(`a ${st.type}, packed as a ${e.type}`);
        const existed = before?.get(e.path);
        const wantMode = e.type === 'dir' && existed?.type === 'dir' ? existed.mode : e.mode;
        if (st.type === e.type && st.type !== 'symlink' && st.mode !== wantMode)
            what.push(`mode ${octal(st.mode)}, packed ${octal(wantMode)}`);
        if (st.uid !== 0 || st.gid !== 0)
            what.push(`owner ${st.uid}:${st.gid}`);
        if (e.type === 'symlink' && st.target !== e.target)
            what.push(`-> ${st.target}, packed -> ${e.target}`);
        if (e.type === 'file' && st.type === 'file' && st.size !== e.size)
            what.push(`${st.size} bytes, packed ${e.size}`);
        if (what.length)
            differences.push(`${e.path}: ${what.join(', ')}`);
    }
    return { entries: checked, asPacked: checked.length - differences.length, differences };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
;// CONCATENATED MODULE: ./src/vm/stage-server.ts
/**
 * The S3 side of the stage contract for a local bake: a plain HTTP server on the host's loopback
 * that hands the guest fs.tgz and takes its result and install log, at URLs that look to the guest
 * like presigned ones (a random, unguessable path it must not leave on the disk).
 */





/** Port of the stage server as the guest sees it, on HOST_ALIAS_IP (forwarded to the real port). */
const GUEST_STAGE_PORT = 8080;
const MAX_BODY = 16 * 1024 * 1024;
async function startStageServer(opts) {
    const token = (0,external_node_crypto_.randomBytes)(24).toString('hex');
    let result;
    let log;
    let served = 0;
    const fsSize = opts.fsTgz ? (await (0,promises_.stat)(opts.fsTgz)).size : 0;
    const readBody = (req) => new Promise((resolve, reject) => {
        const chunks = [];
        let n = 0;
        req.on('data', (c) => {
            n += c.length;
            if (n > MAX_BODY)
                req.destroy(new Error('body too large'));
            else
                chunks.push(c);
        });
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
    const handle = async (req, res) => {
        const [, tok, name] = (req.url ?? '').split('?')[0].split('/');
        if (tok !== token) {
            res.writeHead(403).end();
            return;
        }
        if (req.method === 'GET' && name === 'fs.tgz' && opts.fsTgz) {
            served++;
            opts.onRequest?.(`fs.tgz downloaded (${fsSize} bytes)`);
            res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(fsSize) });
            (0,external_node_fs_.createReadStream)(opts.fsTgz).pipe(res);
            return;
        }
        if (req.method === 'PUT' && (name === 'result' || name === 'log')) {
            const body = await readBody(req);
            if (name === 'result')
                result = body;
            else
                log = body;
            opts.onRequest?.(name === 'result' ? `result received: ${body.trim()}` : `install log received (${body.length} bytes)`);
            res.writeHead(200).end();
            return;
        }
        res.writeHead(404).end();
    };
    const server = (0,external_node_http_.createServer)((req, res) => {
        handle(req, res).catch(() => res.writeHead(500).end());
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address();
    const base = `http://${HOST_ALIAS_IP}:${GUEST_STAGE_PORT}/${token}`;
    return {
        port,
        token,
        urls: {
            fsUrl: opts.fsTgz ? `${base}/fs.tgz` : undefined,
            resultUrl: `${base}/result`,
            logUrl: `${base}/log`,
        },
        result: () => result,
        log: () => log,
        fsServed: () => served,
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
/** `status=<n>` as the guest uploads it. */
function parseResult(body) {
    const m = /^status=(\d+)\s*$/m.exec(body ?? '');
    return m ? Number(m[1]) : undefined;
}

;// CONCATENATED MODULE: ./src/fronts/cli-try.ts
/**
 * `amibake try SOURCE [--image FILE] [--keep DIR]`: the whole bake on this machine, no AWS
 * account. Prepare SOURCE, boot the user data in a local VM (real cloud-init), hand the guest
 * fs.tgz and take its result from a loopback server, then show what the install changed on disk.
 */



















const USAGE = `usage: amibake try SOURCE [--image FILE] [--keep DIR] [--timeout SECONDS]

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
/** How many changes the terminal gets; --keep DIR/changes.txt has them all. */
const SHOWN_CHANGES = 80;
function clock(started) {
    const s = Math.floor((Date.now() - started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
// systemd's coloured status lines, cursor moves and the like: noise once out of a terminal.
const ANSI = new RegExp(String.raw `\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\r`, 'g');
function cli_try_parse(args) {
    const { values, positionals } = (0,external_node_util_.parseArgs)({
        args,
        allowPositionals: true,
        options: {
            image: { type: 'string' },
            keep: { type: 'string' },
            timeout: { type: 'string' },
            help: { type: 'boolean', short: 'h' },
        },
    });
    if (values.help)
        return 'help';
    if (positionals.length !== 1)
        throw new errors/* UserError */.yo(`expected one SOURCE folder\n${USAGE}`);
    let timeoutMs = 1800_000;
    if (values.timeout !== undefined) {
        const n = Number(values.timeout);
        if (!/^\d+$/.test(values.timeout) || n < 60 || n > 86_400)
            throw new errors/* UserError */.yo(`--timeout: expected seconds between 60 and 86400, got "${values.timeout}"`);
        timeoutMs = n * 1000;
    }
    return { source: positionals[0], image: values.image, keep: values.keep, timeoutMs };
}
async function main(args, env = process.env) {
    let opts;
    try {
        opts = cli_try_parse(args);
    }
    catch (err) {
        process.stderr.write(`amibake try: ${(0,errors/* errorMessage */.gJ)(err)}\n`);
        return 2;
    }
    if (opts === 'help') {
        process.stdout.write(USAGE + '\n');
        return 0;
    }
    const started = Date.now();
    const logger = (0,log/* createCliLogger */.x)(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
    const say = (m) => logger.info(`[${clock(started)}] ${m}`);
    const out = (m) => process.stdout.write(m + '\n');
    const work = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'amibake-try-'));
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let base;
    try {
        // What the machine needs, before any work.
        if (opts.image) {
            const image = opts.image;
            const st = await (0,promises_.stat)((0,external_node_path_.resolve)(image)).catch((err) => {
                throw new errors/* UserError */.yo(`--image ${image}: ${err.message}`);
            });
            if (!st.isFile())
                throw new errors/* UserError */.yo(`--image ${image}: not a file`);
            await (0,promises_.access)((0,external_node_path_.resolve)(image), promises_.constants.R_OK).catch((err) => {
                throw new errors/* UserError */.yo(`--image ${image}: ${err.message}`);
            });
        }
        await checkHost(!!opts.image);
        // ---- prepare ----
        say(`preparing ${opts.source}`);
        const prepared = await prepareForTry(opts.source, (0,external_node_path_.join)(work, 'prepared'), env, logger);
        // ---- the machine ----
        if (!opts.image) {
            base = await BaseImage.open((0,external_node_path_.join)(work, 'vm'), (path) => say(`building the Debian ${baseRecipe(env).suite} base image from ${debianMirror(env)} ` +
                `(first run only: about 1 to 3 minutes; cached as ${path})`));
            if (abort.signal.aborted)
                throw new errors/* UserError */.yo('interrupted');
        }
        const server = await startStageServer({ fsTgz: prepared.fsTgzPath, onRequest: (m) => say(m) });
        try {
            logger.mask(server.token);
            const userData = (0,userdata/* finalUserdata */.Yd)(await (0,promises_.readFile)(prepared.userdataPath), server.urls);
            let lastPhase = Date.now();
            const result = await runMachine({
                userData,
                base: base ?? { image: (0,external_node_path_.resolve)(opts.image) },
                dir: (0,external_node_path_.join)(work, 'vm'),
                forwards: [{ guestPort: GUEST_STAGE_PORT, hostPort: server.port }],
                timeoutMs: opts.timeoutMs,
                snapshot: true,
                signal: abort.signal,
                onPhase: (m) => {
                    say(m);
                    lastPhase = Date.now();
                },
                // The VM's console: `##[` anywhere is neutralised (the `  | ` prefix already keeps `::` off the start).
                onConsole: (line) => out(`  | ${(0,inert/* neutraliseLine */.fZ)(line.replace(ANSI, ''))}`),
            });
            say(`the VM stopped after ${Math.round((Date.now() - lastPhase) / 1000)} s`);
            const code = await report(result, server, say, out, opts, prepared, userData);
            return code;
        }
        finally {
            await server.close();
        }
    }
    finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        await base?.dispose();
        await io/* rmRF */.Yz(work); // retries while the stopped VM's helpers still hold files (EBUSY, ENOTEMPTY)
    }
}
async function prepareForTry(source, target, env, logger) {
    const opts = (0,core_options/* readOptions */.Tt)(options/* PREPARE_OPTIONS */.d, 'prepare', (0,core_options/* cliSource */.kJ)(env, { source, target }));
    const run = (s3Url = opts.s3Url) => (0,prepare/* prepare */.iA)({ source: opts.source, target, awsRegion: opts.awsRegion, s3Url, logger, env });
    try {
        return await run();
    }
    catch (err) {
        // Files too big for the user data go external, which needs an S3 location in the prepared
        // data; locally the guest downloads from this machine, so any well-formed location will do.
        if (opts.s3Url || !(err instanceof prepare/* NeedsS3Error */.WF))
            throw (0,errors/* named */.KT)(err, (0,core_options/* nameFor */.Fe)(options/* PREPARE_OPTIONS */.d, 'cli', 'prepare'));
        logger.info('the files do not fit in the user data: they go external (served from this machine)');
        return run((0,parse/* s3Url */.AB)('s3://amibake-try/fs.tgz'));
    }
}
async function report(r, server, say, out, opts, prepared, userData) {
    const problems = [];
    if (r.exit.aborted)
        problems.push('interrupted');
    if (r.exit.timedOut)
        problems.push(`the VM did not power off within ${opts.timeoutMs / 1000} s`);
    else if (!r.poweredOff && !r.exit.aborted)
        problems.push('the VM rebooted instead of powering off');
    const uploaded = parseResult(server.result());
    const status = uploaded ?? r.status;
    if (uploaded !== undefined && r.status !== undefined && uploaded !== r.status)
        problems.push(`the uploaded result (${uploaded}) and the console line (${r.status}) differ`);
    if (status === undefined)
        problems.push('the guest reported no install status (no result upload, no AMIBAKE-RESULT line)');
    say('reading the disk');
    const after = await r.disk.walk();
    const changes = r.before ? diffTrees(r.before, after) : [];
    const leaks = await scanFile(r.diskPath, [server.token]);
    const leaked = leaks.get(server.token).length;
    if (leaked)
        problems.push(`the stage URLs are on the disk (${leaked} copies): a real bake would leak presigned URLs into the AMI`);
    // What the source put there first, then what cloud-init and the boot did around it.
    const tgz = prepared.fsTgzPath
        ? await (0,promises_.readFile)(prepared.fsTgzPath)
        : inlineFsTgz(await (0,promises_.readFile)(prepared.userdataPath));
    const entries = tgz ? await listFsTgz(tgz) : [];
    // install.sh travels in fs.tgz and is removed after use.
    const staged = (p) => p === '/var/run' || p.startsWith('/var/run/');
    const source = checkSourceFiles(entries, r.before, after, staged);
    const fromSource = new Set(source.entries.map((e) => e.path));
    const lines = changes.map(formatChange);
    out('');
    if (tgz) {
        out(`from the image source (fs.tgz): ${source.entries.length} entries, ${source.asPacked} on the disk as packed ` +
            `(mode, owner root, symlink target)${source.differences.length ? ', the others changed after extraction:' : ''}`);
        for (const d of source.differences)
            out(`  ! ${d}`);
        for (const [i, c] of changes.entries())
            if (fromSource.has(c.path))
                out(`  ${lines[i]}`);
    }
    else {
        out('from the image source: no files (no fs/ and no install.sh)');
    }
    const others = changes.filter((c) => !fromSource.has(c.path));
    const n = countChanges(others);
    out(`other changes on the disk (cloud-init, install.sh, the boot): ${n.added} added, ${n.changed} changed, ${n.removed} removed`);
    const otherLines = others.map(formatChange);
    for (const l of otherLines.slice(0, SHOWN_CHANGES))
        out(`  ${l}`);
    if (otherLines.length > SHOWN_CHANGES)
        out(`  ... ${otherLines.length - SHOWN_CHANGES} more${opts.keep ? ` in ${(0,external_node_path_.join)(opts.keep, 'changes.txt')}` : ' (--keep DIR lists them all)'}`);
    const log = server.log();
    if (status !== 0 && log) {
        out('');
        out('install log (tail):');
        for (const l of log.trimEnd().split('\n').slice(-30))
            out(`  ${l}`);
    }
    if (opts.keep) {
        const keep = (0,external_node_path_.resolve)(opts.keep);
        await io/* mkdirP */.U$(keep);
        await moveFile(r.diskPath, (0,external_node_path_.join)(keep, 'disk.raw'));
        await moveFile(r.consoleLog, (0,external_node_path_.join)(keep, 'console.log'));
        await (0,promises_.copyFile)(prepared.userdataPath, (0,external_node_path_.join)(keep, 'userdata.gz'));
        await (0,promises_.writeFile)((0,external_node_path_.join)(keep, 'userdata-with-stage.gz'), userData);
        await (0,promises_.writeFile)((0,external_node_path_.join)(keep, 'changes.txt'), lines.join('\n') + '\n');
        if (log !== undefined)
            await (0,promises_.writeFile)((0,external_node_path_.join)(keep, 'install.log'), log);
        out('');
        out(`kept in ${keep}: disk.raw (read it with: debugfs -R 'ls -l /etc' ${(0,external_node_path_.join)(keep, 'disk.raw')}), console.log, install.log, changes.txt`);
    }
    out('');
    if (status !== undefined)
        out(`install status ${status}${status === 0 ? ' (success)' : ' (failed)'}`);
    for (const p of problems)
        out(`error: ${p}`);
    return status === 0 && problems.length === 0 ? 0 : 1;
}
/** Rename, else copy across file systems (@actions/io's mv only renames). */
async function moveFile(from, to) {
    try {
        await (0,promises_.rename)(from, to);
    }
    catch (err) {
        if (err.code !== 'EXDEV')
            throw err;
        await (0,promises_.copyFile)(from, to);
        await (0,promises_.rm)(from, { force: true });
    }
}


/***/ })

};
