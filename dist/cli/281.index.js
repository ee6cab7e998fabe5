export const id = 281;
export const ids = [281];
export const modules = {

/***/ 5281:
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
// EXTERNAL MODULE: ./src/compile/prepare.ts + 8 modules
var prepare = __webpack_require__(6503);
// EXTERNAL MODULE: ./src/core/contract.ts
var contract = __webpack_require__(2013);
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
// EXTERNAL MODULE: ./src/vm/base-image.ts + 2 modules
var base_image = __webpack_require__(9889);
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

// EXTERNAL MODULE: ./src/vm/ext4.ts
var ext4 = __webpack_require__(600);
// EXTERNAL MODULE: ./src/vm/machine.ts + 1 modules
var machine = __webpack_require__(306);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(6118);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
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

// EXTERNAL MODULE: ./src/vm/stage-server.ts
var stage_server = __webpack_require__(6483);
// EXTERNAL MODULE: ./src/vm/qemu.ts
var qemu = __webpack_require__(5365);
// EXTERNAL MODULE: ./src/vm/seed.ts
var seed = __webpack_require__(7304);
;// CONCATENATED MODULE: ./src/vm/test-boot.ts
/**
 * The image test on this machine: the baked disk booted a second time, as an instance launched
 * from the new AMI would be, with the test user data (userdata-test.gz plus the stage part) as a
 * new NoCloud seed under a new instance id. The disk is the one the first boot sanitised and
 * powered off; qemu writes to a throwaway overlay, so the disk stays as the AMI would have it.
 */






/** How the first boot started the disk: the built-in image's kernel, or the image's own bootloader. */
function bootOf(base) {
    return base instanceof machine/* BaseImage */.dc
        ? { kind: 'kernel', kernel: base.kernel, initrd: base.initrd, append: machine/* KERNEL_APPEND */.Dj }
        : { kind: 'firmware' };
}
async function runTestBoot(opts) {
    await io/* mkdirP */.U$(opts.dir);
    const seedPath = (0,external_node_path_.join)(opts.dir, 'test-seed.img');
    const consoleLog = (0,external_node_path_.join)(opts.dir, 'test-console.log');
    const instanceId = opts.instanceId ?? (0,machine/* newInstanceId */.TY)();
    const network = opts.network ?? (0,machine/* defaultNetwork */.cZ)();
    await (0,seed/* makeSeed */.wq)(seedPath, {
        instanceId,
        userData: opts.userData,
        vendorData: opts.vendorData,
        nameservers: network === 'nat',
    });
    const accel = await (0,qemu/* chooseAccel */.ug)(opts.boot.kind === 'kernel' ? opts.boot.kernel : undefined);
    opts.onPhase?.(`booting the baked disk again (${accel === 'kvm' ? 'KVM' : 'software emulation'}), instance ${instanceId}`);
    let status;
    let rebooted = false;
    const exit = await (0,qemu/* runVm */.$Q)({
        boot: opts.boot,
        accel,
        disks: [
            { path: opts.diskPath, format: 'raw', snapshot: true },
            { path: seedPath, format: 'raw', readonly: true },
        ],
        forwards: opts.forwards,
        network,
        memoryMiB: opts.memoryMiB ?? machine/* DEFAULT_MEMORY_MIB */.Nv,
        cpus: opts.cpus ?? 2,
        consoleLog,
        timeoutMs: opts.timeoutMs ?? machine/* DEFAULT_TIMEOUT_MS */.t1,
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
    if (exit.code !== 0 && !exit.timedOut && !exit.aborted)
        throw new Error(`qemu failed (exit ${exit.code ?? exit.signal}): ${exit.stderr.trim().slice(-2000)}`);
    const poweredOff = exit.code === 0 && !exit.timedOut && !exit.aborted && !rebooted;
    return { exit, status, poweredOff, instanceId, consoleLog, ms: exit.ms };
}

;// CONCATENATED MODULE: ./src/fronts/cli-try.ts
/**
 * `amibake try SOURCE [--image FILE] [--keep DIR]`: the whole bake on this machine, no AWS
 * account. Prepare SOURCE, boot the user data in a local VM (real cloud-init), hand the guest
 * fs.tgz and take its result from a loopback server, then show what the install changed on disk.
 * With script/test.sh, the baked disk boots a second time with the test user data.
 */





















const USAGE = `usage: amibake try SOURCE [--image FILE] [--isolated] [--keep DIR] [--timeout SECONDS]

Bakes the image source SOURCE in a local VM, with no AWS account: prepares it like
'amibake prepare', boots the user data in qemu with real cloud-init (a Debian bookworm
image built and cached on first use, or your own cloud image), serves fs.tgz to the guest
from this machine's loopback, streams the console, and prints the install status and what
changed on the disk. With script/test.sh, boots the baked disk a second time with the test
user data (a fresh instance, as one launched from the AMI) and prints the test's result and
log. The guest has outbound network through qemu's user-mode NAT, as an instance in a subnet
with internet (packages: and apt-get work). Exits non-zero when the install or the test
fails. Needs root, qemu-system-x86, mmdebstrap, e2fsprogs, dosfstools, mtools, socat and zstd.

options:
  --image FILE       boot this raw or qcow2 cloud image (its own bootloader, an ext4 root)
                     instead of the built-in Debian image; FILE itself is never written
  --isolated         no outbound network: the guest reaches only this machine's stage
                     server (qemu's restrict=on)
  --keep DIR         keep the disk image (DIR/disk.raw), console log, install log and change list
                     (and the test's console and log)
  --timeout SECONDS  power the VM off after this long (default 1800)

environment:
  AWSREGION, S3URL         as for 'amibake prepare'
  AMIBAKE_CACHE_DIR        where the base image is cached (default $XDG_CACHE_HOME/amibake)
  AMIBAKE_DEBIAN_MIRROR    Debian mirror for the base image (default http://deb.debian.org/debian)
  AMIBAKE_VM_ACCEL         tcg, kvm or auto (default: KVM only when a smoke boot proves it works)
  AMIBAKE_VM_NETWORK       nat or isolated: the guest network without --isolated (default nat)`;
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
            isolated: { type: 'boolean' },
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
    return {
        source: positionals[0],
        image: values.image,
        keep: values.keep,
        timeoutMs,
        isolated: values.isolated ?? false,
    };
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
        await (0,machine/* checkHost */.RC)(!!opts.image);
        // ---- prepare ----
        say(`preparing ${opts.source}`);
        const prepared = await prepareForTry(opts.source, (0,external_node_path_.join)(work, 'prepared'), env, logger);
        // ---- the machine ----
        if (!opts.image) {
            base = await machine/* BaseImage */.dc.open((0,external_node_path_.join)(work, 'vm'), (path) => say(`building the Debian ${(0,base_image/* baseRecipe */.Cb)(env).suite} base image from ${(0,base_image/* debianMirror */.xd)(env)} ` +
                `(first run only: about 1 to 3 minutes; cached as ${path})`));
            if (abort.signal.aborted)
                throw new errors/* UserError */.yo('interrupted');
        }
        const server = await (0,stage_server/* startStageServer */.EF)({ fsTgz: prepared.fsTgzPath, onRequest: (m) => say(m) });
        try {
            logger.mask(server.token);
            const userData = (0,userdata/* finalUserdata */.Yd)(await (0,promises_.readFile)(prepared.userdataPath), server.urls);
            let lastPhase = Date.now();
            const result = await (0,machine/* runMachine */.xl)({
                userData,
                base: base ?? { image: (0,external_node_path_.resolve)(opts.image) },
                dir: (0,external_node_path_.join)(work, 'vm'),
                forwards: [{ guestPort: stage_server/* GUEST_STAGE_PORT */.M3, hostPort: server.port }],
                ...(opts.isolated ? { network: 'isolated' } : {}),
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
            if (!prepared.testUserdataPath)
                return code;
            if (code !== 0) {
                out('image test (script/test.sh) not run: the bake failed');
                return code;
            }
            // --keep moved the disk; the test boot leaves it as it is either way.
            const disk = opts.keep ? (0,external_node_path_.join)((0,external_node_path_.resolve)(opts.keep), 'disk.raw') : result.diskPath;
            return await imageTest(disk, base ?? { image: (0,external_node_path_.resolve)(opts.image) }, prepared, opts, say, out, abort);
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
    const uploaded = (0,stage_server/* parseResult */.F)(server.result());
    const status = uploaded ?? r.status;
    if (uploaded !== undefined && r.status !== undefined && uploaded !== r.status)
        problems.push(`the uploaded result (${uploaded}) and the console line (${r.status}) differ`);
    if (status === undefined)
        problems.push('the guest reported no install status (no result upload, no AMIBAKE-RESULT line)');
    say('reading the disk');
    const after = await r.disk.walk();
    const changes = r.before ? diffTrees(r.before, after) : [];
    const leaks = await (0,ext4/* scanFile */.WN)(r.diskPath, [server.token]);
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
/** The second boot: the baked disk with the test user data, as a new instance. 0 when it passed. */
async function imageTest(disk, base, prepared, opts, say, out, abort) {
    out('');
    say('image test (script/test.sh): the baked disk as a new instance, with the test user data');
    const server = await (0,stage_server/* startStageServer */.EF)({
        onRequest: (m) => say(m.replace(/^install log/, 'test log')),
    });
    try {
        const userData = (0,userdata/* finalUserdata */.Yd)(await (0,promises_.readFile)(prepared.testUserdataPath), server.urls);
        const dir = opts.keep ? (0,external_node_path_.resolve)(opts.keep) : (0,external_node_path_.dirname)(disk);
        const r = await runTestBoot({
            diskPath: disk,
            boot: bootOf(base),
            userData,
            dir,
            forwards: [{ guestPort: stage_server/* GUEST_STAGE_PORT */.M3, hostPort: server.port }],
            // The same network as the bake boot: --isolated holds for the test too.
            ...(opts.isolated ? { network: 'isolated' } : {}),
            timeoutMs: opts.timeoutMs,
            signal: abort.signal,
            onPhase: say,
            onConsole: (line) => out(`  | ${(0,inert/* neutraliseLine */.fZ)(line.replace(ANSI, ''))}`),
        });
        say(`the test VM stopped after ${Math.round(r.ms / 1000)} s`);
        const problems = [];
        if (r.exit.aborted)
            problems.push('interrupted');
        if (r.exit.timedOut)
            problems.push(`the test VM did not power off within ${opts.timeoutMs / 1000} s`);
        else if (!r.poweredOff && !r.exit.aborted)
            problems.push('the test VM rebooted instead of powering off');
        const uploaded = (0,stage_server/* parseResult */.F)(server.result());
        const status = uploaded ?? r.status;
        if (uploaded !== undefined && r.status !== undefined && uploaded !== r.status)
            problems.push(`the uploaded test result (${uploaded}) and the console line (${r.status}) differ`);
        if (status === undefined)
            problems.push('the test VM reported no status (no result upload, no AMIBAKE-RESULT line)');
        const log = server.log();
        if (log) {
            out('');
            out('test log:');
            for (const l of log.trimEnd().split('\n'))
                out(`  ${(0,inert/* neutraliseLine */.fZ)(l.replace(ANSI, ''))}`);
        }
        if (opts.keep && log !== undefined)
            await (0,promises_.writeFile)((0,external_node_path_.join)(dir, 'test.log'), log);
        out('');
        if (status !== undefined)
            out(`test status ${status}${status === 0 ? ' (passed)' : status === contract/* GUEST_STATUS */.yJ.TEST_FAILED ? ' (failed: test.sh exited non-zero)' : ' (failed)'}`);
        for (const p of problems)
            out(`error: ${p}`);
        return status === 0 && problems.length === 0 ? 0 : 1;
    }
    finally {
        await server.close();
    }
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
