export const id = 351;
export const ids = [351];
export const modules = {

/***/ 8612:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ng: () => (/* binding */ parseManifest),
/* harmony export */   Sp: () => (/* binding */ BLOCKS_FILE),
/* harmony export */   V4: () => (/* binding */ MANIFEST_MAX_BYTES),
/* harmony export */   Wd: () => (/* binding */ blocksBytes),
/* harmony export */   cS: () => (/* binding */ BLOCK_SIZE),
/* harmony export */   dh: () => (/* binding */ DISK_SIZE_UNIT),
/* harmony export */   h1: () => (/* binding */ MANIFEST_FILE),
/* harmony export */   pg: () => (/* binding */ writeDisk)
/* harmony export */ });
/* unused harmony exports MANIFEST_FORMAT, MANIFEST_VERSION, MAX_BLOCK_LENGTH, readBlocks */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4296);
/**
 * The disk of a disk artifact, in the EBS direct APIs' terms: the raw disk cut in 512 KiB blocks,
 * the all-zero ones left out (a new snapshot reads zeros where no block was put), every other one
 * gzip'd on its own into `disk.blocks` and listed in `disk.manifest.json` with its place in the
 * disk, its place in `disk.blocks` and the base64 SHA256 of its uncompressed bytes (what
 * PutSnapshotBlock's checksum wants). The build reads it in-process: no qemu-img, no temporary
 * raw disk.
 *
 * The prepare job writes it, the build job reads it: everything here is attacker-controlled on
 * the reading side, so parseManifest checks every rule and readBlocks re-hashes every block.
 */







/** The EBS direct APIs' block size. */
const BLOCK_SIZE = 524288;
/** A disk's size is a whole number of GiB (an EBS volume's unit). */
const DISK_SIZE_UNIT = 1 << 30;
const MANIFEST_FILE = 'disk.manifest.json';
const BLOCKS_FILE = 'disk.blocks';
const MANIFEST_MAX_BYTES = 64 << 20;
const MANIFEST_FORMAT = 'amibake-disk';
const MANIFEST_VERSION = 1;
/** gzip's worst case for 512 KiB of incompressible bytes is a few hundred bytes over it: anything
 *  longer is not one of our blocks. */
const MAX_BLOCK_LENGTH = BLOCK_SIZE + 4096;
/** The smallest gzip member: a 10-byte header, an empty deflate block, the 8-byte trailer. */
const MIN_BLOCK_LENGTH = 20;
function gzipBlock(data, level) {
    return new Promise((resolve, reject) => node_zlib__WEBPACK_IMPORTED_MODULE_5___default().gzip(data, { level }, (err, out) => (err ? reject(err) : resolve(out))));
}
const ZERO = Buffer.alloc(BLOCK_SIZE);
/**
 * Writes TARGET/disk.blocks and TARGET/disk.manifest.json from the raw disk at RAWPATH (each
 * through a temporary name and a rename, so a failure leaves neither half-written).
 */
async function writeDisk(rawPath, targetDir, opts = {}) {
    const level = opts.level ?? 1;
    if (!Number.isInteger(level) || level < 1 || level > 6)
        throw new Error(`gzip level ${level}: 1-6`);
    const inFlight = opts.inFlight ?? Math.max(2, 2 * (0,node_os__WEBPACK_IMPORTED_MODULE_3__.availableParallelism)());
    const size = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(rawPath)).size;
    if (size === 0 || size % DISK_SIZE_UNIT !== 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`${rawPath}: a disk of ${size} bytes is not a whole number of GiB`);
    }
    const blocksPath = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(targetDir, BLOCKS_FILE);
    const manifestPath = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(targetDir, MANIFEST_FILE);
    const tmpBlocks = `${blocksPath}.${process.pid}.tmp`;
    const tmpManifest = `${manifestPath}.${process.pid}.tmp`;
    const input = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(rawPath, 'r');
    const out = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(tmpBlocks);
    const outDone = new Promise((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
    });
    const blocksHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const blocks = [];
    let offset = 0;
    /** Blocks being compressed, in disk order. */
    const queue = [];
    const emit = async () => {
        const next = queue.shift();
        const gz = await next.gz;
        blocks.push({ index: next.index, offset, length: gz.length, sha256: next.sha256 });
        offset += gz.length;
        blocksHash.update(gz);
        if (!out.write(gz))
            await new Promise((r) => out.once('drain', () => r()));
    };
    try {
        for (let index = 0; index * BLOCK_SIZE < size; index++) {
            // A fresh buffer per block: the one being compressed must not be overwritten.
            const data = Buffer.allocUnsafe(BLOCK_SIZE);
            let got = 0;
            while (got < BLOCK_SIZE) {
                const { bytesRead } = await input.read(data, got, BLOCK_SIZE - got, index * BLOCK_SIZE + got);
                if (bytesRead === 0)
                    throw new Error(`${rawPath}: shorter than its size while reading`);
                got += bytesRead;
            }
            if (data.equals(ZERO))
                continue;
            const gz = gzipBlock(data, level);
            // Awaited in order by emit; a failure behind one that is thrown first must not go unhandled.
            gz.catch(() => undefined);
            queue.push({ index, sha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('base64'), gz });
            while (queue.length >= inFlight)
                await emit();
        }
        while (queue.length)
            await emit();
        out.end();
        await outDone;
        const manifest = {
            format: MANIFEST_FORMAT,
            version: MANIFEST_VERSION,
            blockSize: BLOCK_SIZE,
            size,
            compression: 'gzip',
            blocks,
        };
        const text = JSON.stringify(manifest);
        if (Buffer.byteLength(text) > MANIFEST_MAX_BYTES)
            throw new Error(`${MANIFEST_FILE}: over 64 MiB`);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(tmpManifest, text);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(tmpBlocks, blocksPath);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(tmpManifest, manifestPath);
        return {
            manifest,
            manifestPath,
            blocksPath,
            manifestSha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text).digest('hex'),
            blocksSha256: blocksHash.digest('hex'),
            blocksBytes: offset,
        };
    }
    catch (err) {
        out.destroy();
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(tmpBlocks, { force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(tmpManifest, { force: true });
        throw err;
    }
    finally {
        await input.close();
    }
}
const SHA256_B64 = /^[A-Za-z0-9+/]{43}=$/;
const MANIFEST_KEYS = ['format', 'version', 'blockSize', 'size', 'compression', 'blocks'];
const BLOCK_KEYS = ['index', 'offset', 'length', 'sha256'];
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
function exactKeys(v, keys, where, fail) {
    for (const k of Object.keys(v))
        if (!keys.includes(k))
            fail(`${where}${k}: unknown field`);
    for (const k of keys)
        if (!(k in v))
            fail(`${where}${k}: missing`);
}
/**
 * The manifest in TEXT (read from SOURCE, named in every error with the field at fault), checked
 * against every rule of the format: the reader trusts nothing it did not check here.
 */
function parseManifest(text, source) {
    const fail = (m) => {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo(`${source}: ${m}`);
    };
    if (Buffer.byteLength(text) > MANIFEST_MAX_BYTES)
        fail('over 64 MiB');
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (err) {
        fail(`not JSON (${err.message})`);
    }
    if (!isObject(doc))
        return fail('not a JSON object');
    exactKeys(doc, MANIFEST_KEYS, '', fail);
    if (doc.format !== MANIFEST_FORMAT)
        fail(`format: expected "${MANIFEST_FORMAT}"`);
    if (doc.version !== MANIFEST_VERSION)
        fail(`version: expected ${MANIFEST_VERSION}`);
    if (doc.blockSize !== BLOCK_SIZE)
        fail(`blockSize: expected ${BLOCK_SIZE}`);
    if (doc.compression !== 'gzip')
        fail('compression: expected "gzip"');
    const size = doc.size;
    if (!isCount(size) || size === 0 || size % DISK_SIZE_UNIT !== 0) {
        return fail('size: expected a positive whole number of GiB in bytes');
    }
    if (!Array.isArray(doc.blocks))
        return fail('blocks: expected an array');
    const count = size / BLOCK_SIZE;
    let offset = 0;
    let previous = -1;
    const blocks = doc.blocks.map((b, i) => {
        const where = `blocks[${i}].`;
        if (!isObject(b))
            return fail(`blocks[${i}]: expected an object`);
        exactKeys(b, BLOCK_KEYS, where, fail);
        const { index, offset: at, length, sha256 } = b;
        if (!isCount(index) || index >= count)
            fail(`${where}index: expected an integer from 0 to ${count - 1}`);
        if (index <= previous) {
            fail(`${where}index: blocks must be sorted by index with no duplicates (${index} after ${previous})`);
        }
        if (!isCount(at) || at !== offset)
            fail(`${where}offset: expected ${offset} (offsets contiguous from 0)`);
        if (!isCount(length) || length < MIN_BLOCK_LENGTH || length > MAX_BLOCK_LENGTH) {
            fail(`${where}length: expected an integer from ${MIN_BLOCK_LENGTH} to ${MAX_BLOCK_LENGTH}`);
        }
        if (typeof sha256 !== 'string' || !SHA256_B64.test(sha256)) {
            fail(`${where}sha256: expected the base64 SHA256 of the block (44 characters)`);
        }
        previous = index;
        offset += length;
        return { index, offset: at, length, sha256 };
    });
    return {
        format: MANIFEST_FORMAT,
        version: MANIFEST_VERSION,
        blockSize: BLOCK_SIZE,
        size,
        compression: 'gzip',
        blocks,
    };
}
/** Bytes of disk.blocks the manifest accounts for. */
function blocksBytes(manifest) {
    const last = manifest.blocks.at(-1);
    return last ? last.offset + last.length : 0;
}
function gunzipBlock(data) {
    return new Promise((resolve, reject) => 
    // One byte over the block is enough to tell a block that inflates too far (a bomb stops there).
    zlib.gunzip(data, { maxOutputLength: BLOCK_SIZE + 1 }, (err, out) => (err ? reject(err) : resolve(out))));
}
/**
 * The blocks of TARGET/disk.blocks in manifest order, each decompressed, checked to be exactly
 * BLOCK_SIZE bytes and to hash to the manifest's sha256. The file must be exactly as long as the
 * manifest says.
 */
async function* readBlocks(targetDir, manifest) {
    const path = join(targetDir, BLOCKS_FILE);
    const fh = await open(path, 'r');
    try {
        const total = (await fh.stat()).size;
        const expected = blocksBytes(manifest);
        if (total !== expected) {
            throw new UserError(`${path}: ${total} bytes, the manifest accounts for ${expected}`);
        }
        for (const block of manifest.blocks) {
            const gz = Buffer.alloc(block.length);
            let got = 0;
            while (got < block.length) {
                const { bytesRead } = await fh.read(gz, got, block.length - got, block.offset + got);
                if (bytesRead === 0)
                    throw new UserError(`${path}: ends inside block ${block.index}`);
                got += bytesRead;
            }
            const data = await gunzipBlock(gz).catch((err) => {
                throw new UserError(`${path}: block ${block.index} does not decompress (${err.message})`);
            });
            if (data.length !== BLOCK_SIZE) {
                throw new UserError(`${path}: block ${block.index} inflates to ${data.length > BLOCK_SIZE ? 'more than that' : data.length} ` +
                    `bytes, not ${BLOCK_SIZE}`);
            }
            const sha256 = createHash('sha256').update(data).digest('base64');
            if (sha256 !== block.sha256) {
                throw new UserError(`${path}: block ${block.index} does not match its sha256 in the manifest`);
            }
            yield { index: block.index, data, sha256 };
        }
    }
    finally {
        await fh.close();
    }
}


/***/ }),

/***/ 3351:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/log.ts
var log = __webpack_require__(4325);
// EXTERNAL MODULE: ./src/core/options.ts
var options = __webpack_require__(3457);
// EXTERNAL MODULE: ./src/compile/options.ts
var compile_options = __webpack_require__(9643);
;// CONCATENATED MODULE: ./src/compile/interrupt.ts
/** SIGINT and SIGTERM (Ctrl-C, a cancelled CI job) while prepare runs: compile.sh and what it
 *  started are stopped and the temporary folders removed before the process ends. */

const SIGNALS = { SIGINT: 130, SIGTERM: 143 };
class InterruptedError extends errors/* UserError */.yo {
    signalName;
    name = 'InterruptedError';
    constructor(signalName) {
        super(`interrupted by ${signalName}: compile.sh stopped, temporary files removed, TARGET left as it was`);
        this.signalName = signalName;
    }
    /** The exit status of a process ended by the signal (128 + its number). */
    get exitCode() {
        return SIGNALS[this.signalName];
    }
}
/** Runs `fn` with a signal that aborts on the first SIGINT or SIGTERM. The handlers are `once`: a
 *  second signal ends the process at once, as it would without them. */
async function interruptible(fn) {
    const controller = new AbortController();
    const handlers = Object.keys(SIGNALS).map((sig) => {
        const handler = () => controller.abort(new InterruptedError(sig));
        process.once(sig, handler);
        return [sig, handler];
    });
    try {
        return await fn(controller.signal);
    }
    finally {
        for (const [sig, handler] of handlers)
            process.off(sig, handler);
    }
}

// EXTERNAL MODULE: ./src/compile/prepare.ts + 8 modules
var prepare = __webpack_require__(6503);
// EXTERNAL MODULE: ./src/core/inert.ts
var inert = __webpack_require__(8275);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: ./src/compile/vars.ts
var compile_vars = __webpack_require__(2099);
// EXTERNAL MODULE: ./src/core/envfile.ts
var envfile = __webpack_require__(5934);
// EXTERNAL MODULE: ./src/disk/manifest.ts
var manifest = __webpack_require__(8612);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./src/vm/base-image.ts + 2 modules
var base_image = __webpack_require__(9889);
// EXTERNAL MODULE: ./src/vm/exec.ts
var vm_exec = __webpack_require__(1684);
;// CONCATENATED MODULE: ./src/vm/guest/install-grub.sh
/* harmony default export */ const install_grub = ("#!/bin/sh\n# Run once as the kernel's init (init=) in the bootable base's first boot: installs GRUB on the disk\n# for both firmware kinds and writes its menu, then powers off. The disk has no loop device on the\n# host side: this guest, which sees it as /dev/vda, is what writes its bootloaders.\n# Partitions: 1 BIOS boot (GRUB i386-pc's core image), 2 EFI system, 3 the ext4 root.\nexport PATH=/usr/sbin:/usr/bin:/sbin:/bin\nexport LC_ALL=C.UTF-8\n\ninstall() {\n  set -eu\n  # The initramfs hands over /proc, /sys and /dev already mounted.\n  mountpoint -q /proc || mount -t proc proc /proc\n  mountpoint -q /sys || mount -t sysfs sysfs /sys\n  mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev\n  mount -o remount,rw /\n  modprobe vfat 2>/dev/null || true\n  mount -t vfat /dev/vda2 /boot/efi\n  # update-grub writes root=UUID=... only when the by-uuid link exists (udev is not running).\n  uuid=$(blkid -s UUID -o value /dev/vda3)\n  mkdir -p /dev/disk/by-uuid\n  ln -sf ../../vda3 \"/dev/disk/by-uuid/$uuid\"\n  grub-install --target=i386-pc /dev/vda\n  # --removable: EFI/BOOT/BOOTX64.EFI, the path firmware boots without an NVRAM entry (an AMI\n  # has none); --no-nvram: no efibootmgr.\n  grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable --no-nvram\n  update-grub\n  grep -q \"root=UUID=$uuid\" /boot/grub/grub.cfg\n  test -s /boot/efi/EFI/BOOT/BOOTX64.EFI\n  umount /boot/efi\n  rm -f /usr/local/sbin/amibake-install-grub\n  sync\n}\n\n# Not `if (install)`: errexit is off inside an if's condition, even in a subshell.\n(install)\nstatus=$?\nsync\nmount -o remount,ro / 2>/dev/null || true\necho \"AMIBAKE-GRUB status=$status\" > /dev/console\n# Power off at once (no service manager runs): sysrq's 'o'.\necho o > /proc/sysrq-trigger\nsleep 60\n");

// EXTERNAL MODULE: ./src/vm/qemu.ts
var qemu = __webpack_require__(5365);
// EXTERNAL MODULE: ./src/vm/rootfs.ts
var rootfs = __webpack_require__(5878);
;// CONCATENATED MODULE: ./src/vm/boot-disk.ts
/**
 * The bootable disk base: the built-in Debian image as a whole disk that boots by its own
 * bootloader, for BIOS and UEFI, as an EC2 instance boots an AMI. Made without loop devices or
 * mounts on the host:
 *
 *   GPT (sfdisk on a sparse file): 1 BIOS boot partition (1 MiB, GRUB i386-pc's core image),
 *     2 EFI system partition (100 MiB FAT32, mkfs.fat at its offset), 3 ext4 root (the rest,
 *     `mke2fs -d <tree>` at its offset)
 *   then one boot with qemu's -kernel whose init is a script that runs grub-install for both
 *   targets on /dev/vda and update-grub (root=UUID, so the same disk boots as /dev/nvme0n1 on EC2),
 *   and powers off.
 *
 * Cached beside the tarball, keyed by the same recipe, with the SHA256 of its bytes (the base
 * digest a disk artifact names).
 */












/** The short id of the recipe a disk artifact names (DISK_RECIPE): bump the last number when the
 *  layout or the way the disk is made changes. */
const DISK_RECIPE = 'debian-12-bios-uefi-2';
const BOOT_DISK_MIB = 4096;
const SECTOR = 512;
const MiB = 1 << 20;
/** Partition starts and sizes, in MiB: aligned, the root taking the rest but the last MiB (the
 *  backup GPT lives in the last 33 sectors). */
const LAYOUT = {
    bios: { start: 1, size: 1 },
    esp: { start: 2, size: 100 },
    root: { start: 102 },
};
const PART_TYPE = {
    bios: '21686148-6449-6E6F-744E-656564454649',
    esp: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
    linux: '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
};
/** What sfdisk is given: a GPT with the three partitions of LAYOUT on a disk of SIZEMIB. */
function sfdiskScript(sizeMiB) {
    const sectors = (mib) => (mib * MiB) / SECTOR;
    const rootSize = sizeMiB - LAYOUT.root.start - 1;
    return [
        'label: gpt',
        'unit: sectors',
        `start=${sectors(LAYOUT.bios.start)}, size=${sectors(LAYOUT.bios.size)}, type=${PART_TYPE.bios}, name="bios"`,
        `start=${sectors(LAYOUT.esp.start)}, size=${sectors(LAYOUT.esp.size)}, type=${PART_TYPE.esp}, name="efi"`,
        `start=${sectors(LAYOUT.root.start)}, size=${sectors(rootSize)}, type=${PART_TYPE.linux}, name="root"`,
        '',
    ].join('\n');
}
function bootDiskPath(env = process.env, suite) {
    const recipe = (0,base_image/* baseRecipe */.Cb)(env, suite, true);
    return (0,external_node_path_.join)((0,base_image/* cacheDir */.e8)(env), `debian-${recipe.suite}-bootable-${(0,base_image/* recipeHash */.R7)(recipe)}.${DISK_RECIPE}.raw`);
}
async function exists(p) {
    return (0,promises_.stat)(p).then(() => true, () => false);
}
async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(path, { highWaterMark: 4 * MiB }), hash);
    return hash.digest('hex');
}
/** A sparse copy of the cached disk (cp keeps the holes; a plain copy would write every zero). */
async function copySparse(from, to) {
    await exec('cp', ['--sparse=always', '--reflink=auto', from, to]);
}
/** The cached bootable disk, built first (tarball too, when missing). Needs root, as the tarball. */
async function ensureBootDisk(opts = {}) {
    const env = opts.env ?? process.env;
    const target = bootDiskPath(env, opts.suite);
    const digestFile = `${target}.sha256`;
    if ((await exists(target)) && (await exists(digestFile))) {
        return { path: target, digest: (await (0,promises_.readFile)(digestFile, 'utf8')).trim(), recipe: DISK_RECIPE };
    }
    if (process.getuid?.() !== 0) {
        throw new errors/* UserError */.yo("building the bootable base disk needs root: its root file system keeps the files' owners");
    }
    await (0,vm_exec/* requireTools */.PA)(['sfdisk', 'mke2fs', 'mkfs.fat', 'mmd', 'qemu-system-x86_64', 'zstd', 'cp']);
    const tarball = await (0,base_image/* ensureBaseImage */.Pg)({ env, suite: opts.suite, bootable: true, onBuild: opts.onBuild });
    opts.onBuild?.(target);
    await io/* mkdirP */.U$((0,base_image/* cacheDir */.e8)(env));
    const work = await (0,promises_.mkdtemp)(`${target}.${process.pid}.`);
    try {
        const raw = (0,external_node_path_.join)(work, 'disk.raw');
        await buildDisk(tarball, raw, work, opts);
        const digest = await sha256File(raw);
        await (0,promises_.writeFile)(`${raw}.sha256`, `${digest}\n`);
        // The disk first: a digest file only ever sits beside the disk it hashes.
        await (0,promises_.rename)(raw, target);
        await (0,promises_.rename)(`${raw}.sha256`, digestFile);
        return { path: target, digest, recipe: DISK_RECIPE };
    }
    finally {
        await io/* rmRF */.Yz(work);
    }
}
async function buildDisk(tarball, raw, work, opts) {
    const tree = await (0,rootfs/* unpackRootfs */.iG)(tarball, work);
    const rootUuid = (0,external_node_crypto_.randomUUID)();
    // FAT's volume id: 8 hex digits, shown as XXXX-XXXX.
    const espId = (0,external_node_crypto_.randomBytes)(4).toString('hex').toUpperCase();
    await (0,promises_.writeFile)((0,external_node_path_.join)(tree.dir, 'etc/fstab'), `UUID=${rootUuid} / ext4 defaults,discard,errors=remount-ro 0 1\n` +
        `UUID=${espId.slice(0, 4)}-${espId.slice(4)} /boot/efi vfat umask=0077,nofail 0 2\n`);
    const script = (0,external_node_path_.join)(tree.dir, 'usr/local/sbin/amibake-install-grub');
    // The kernel execs it: its first line must be the interpreter's, whatever a loader made of the
    // text (jest's transform blanks a leading `#!` line).
    await (0,promises_.writeFile)(script, `#!/bin/sh\n${install_grub.replace(/^(#![^\n]*)?\n/, '')}`);
    await (0,promises_.chmod)(script, 0o755);
    const boot = await (0,rootfs/* copyBootFiles */.Hu)(tree, work);
    await (0,promises_.writeFile)(raw, '');
    await (0,promises_.truncate)(raw, BOOT_DISK_MIB * MiB);
    await (0,vm_exec/* exec */.m0)('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', raw], {
        input: sfdiskScript(BOOT_DISK_MIB),
    });
    // FAT32 with one-sector clusters: a FAT's type is told by its cluster count, and 100 MiB of the
    // default 4 KiB clusters is too few for FAT32, which OVMF and mtools then read as FAT16 (Linux
    // goes by the boot sector, and hid it).
    await (0,vm_exec/* exec */.m0)('mkfs.fat', [
        '-F',
        '32',
        '-s',
        '1',
        '-n',
        'EFI',
        '-i',
        espId,
        `--offset=${(LAYOUT.esp.start * MiB) / SECTOR}`,
        raw,
        String((LAYOUT.esp.size * MiB) / 1024),
    ]);
    const rootMiB = BOOT_DISK_MIB - LAYOUT.root.start - 1;
    await (0,vm_exec/* exec */.m0)('mke2fs', [
        '-q',
        '-F',
        '-t',
        'ext4',
        '-L',
        rootfs/* ROOT_LABEL */.E9,
        '-U',
        rootUuid,
        '-E',
        `offset=${LAYOUT.root.start * MiB}`,
        '-d',
        tree.dir,
        raw,
        `${rootMiB}M`,
    ]);
    await tree.dispose();
    let status;
    const accel = await (0,qemu/* chooseAccel */.ug)(boot.kernel);
    const exit = await (0,qemu/* runVm */.$Q)({
        boot: {
            kind: 'kernel',
            kernel: boot.kernel,
            initrd: boot.initrd,
            append: `root=UUID=${rootUuid} rw console=ttyS0 panic=-1 init=/usr/local/sbin/amibake-install-grub`,
        },
        accel,
        disks: [{ path: raw, format: 'raw' }],
        network: 'isolated',
        memoryMiB: 1024,
        consoleLog: (0,external_node_path_.join)(work, 'console.log'),
        timeoutMs: opts.timeoutMs ?? 15 * 60_000,
        onConsole: (line) => {
            const m = /AMIBAKE-GRUB status=(\d+)/.exec(line);
            if (m)
                status = Number(m[1]);
            opts.onConsole?.(line);
        },
    });
    if (status !== 0) {
        const log = await (0,promises_.readFile)((0,external_node_path_.join)(work, 'console.log'), 'utf8').catch(() => '');
        throw new Error(`installing GRUB on the bootable base failed (${exit.timedOut ? 'timed out' : `status ${status ?? 'none'}`}): ` +
            log.slice(-3000));
    }
}

// EXTERNAL MODULE: ./src/vm/ext4.ts
var ext4 = __webpack_require__(600);
// EXTERNAL MODULE: ./src/vm/machine.ts + 1 modules
var vm_machine = __webpack_require__(306);
// EXTERNAL MODULE: ./src/features/bake/userdata.ts
var userdata = __webpack_require__(1790);
// EXTERNAL MODULE: ./src/vm/stage-server.ts
var stage_server = __webpack_require__(6483);
;// CONCATENATED MODULE: ./src/fronts/local-bake.ts
/**
 * The install path of an EC2 bake, played in the local VM: the prepared user data with the build's
 * part appended (result and log upload URLs, fs.tgz's when external) served by a loopback stage
 * server, one boot until the guest powers off, and the install status read as the build reads it
 * (the uploaded result, checked against the console line). `amibake prepare --disk` bakes its
 * disk this way.
 */




async function localBake(opts) {
    const server = await (0,stage_server/* startStageServer */.EF)({ fsTgz: opts.fsTgzPath, onRequest: opts.onRequest });
    try {
        opts.onToken?.(server.token);
        const userData = (0,userdata/* finalUserdata */.Yd)(await (0,promises_.readFile)(opts.userdataPath), server.urls);
        const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
        const machine = await (0,vm_machine/* runMachine */.xl)({
            userData,
            base: opts.base,
            dir: opts.dir,
            forwards: [{ guestPort: stage_server/* GUEST_STAGE_PORT */.M3, hostPort: server.port }, ...(opts.forwards ?? [])],
            network: opts.network,
            firmware: opts.firmware,
            timeoutMs,
            diskMiB: opts.diskMiB,
            snapshot: opts.snapshot,
            signal: opts.signal,
            onPhase: opts.onPhase,
            onConsole: opts.onConsole,
        });
        const problems = [];
        if (machine.exit.aborted)
            problems.push('interrupted');
        if (machine.exit.timedOut)
            problems.push(`the VM did not power off within ${timeoutMs / 1000} s`);
        else if (!machine.poweredOff && !machine.exit.aborted)
            problems.push('the VM rebooted instead of powering off');
        const uploaded = (0,stage_server/* parseResult */.F)(server.result());
        const status = uploaded ?? machine.status;
        if (uploaded !== undefined && machine.status !== undefined && uploaded !== machine.status) {
            problems.push(`the uploaded result (${uploaded}) and the console line (${machine.status}) differ`);
        }
        if (status === undefined) {
            problems.push('the guest reported no install status (no result upload, no AMIBAKE-RESULT line)');
        }
        return { machine, status, problems, log: server.log(), userData, token: server.token };
    }
    finally {
        await server.close();
    }
}

;// CONCATENATED MODULE: ./src/fronts/disk-prepare.ts
/**
 * The disk half of `amibake prepare --disk` (and action-prepare's `disk: true`): after the usual
 * prepare, the bootable base (a copy of the cached built-in disk, or the user's image) is booted in
 * the local VM with the user data an instance would get, the guest installs, sanitises and powers
 * off, and the disk goes into TARGET as blocks and a manifest. vars.env gains KIND=disk and the
 * DISK_* keys; PREPARED_DIGEST is unchanged (the build's reuse digest adds the base and recipe).
 */













/** DISK_RECIPE of a disk baked from the user's own image: what amibake did to it (booted it once
 *  with the install), the image itself being named by DISK_BASE_DIGEST. */
const USER_IMAGE_RECIPE = 'user-image-1';
// Terminal escapes and carriage returns: noise once out of a terminal.
const ANSI = new RegExp(String.raw `\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\r`, 'g');
const roundUp = (n, unit) => Math.ceil(n / unit) * unit;
async function prepareDisk(opts) {
    const env = opts.env ?? process.env;
    const { prepared, say } = opts;
    await (0,vm_machine/* checkHost */.RC)(!!opts.image);
    const work = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'amibake-disk-'));
    try {
        let image;
        let baseDigest;
        let recipe;
        let diskMiB = BOOT_DISK_MIB;
        if (opts.image) {
            image = (0,external_node_path_.resolve)(opts.image);
            say(`hashing ${opts.image}`);
            baseDigest = await sha256File(image).catch((err) => {
                throw new errors/* UserError */.yo(`--image ${opts.image}: ${err.message}`);
            });
            recipe = USER_IMAGE_RECIPE;
            // A whole number of GiB from the start (an EBS volume's unit), so the partition table's
            // backup header stays at the end of the disk; at least the default size.
            diskMiB = Math.max(diskMiB, roundUp((await (0,promises_.stat)(image)).size, manifest/* DISK_SIZE_UNIT */.dh) / (1 << 20));
        }
        else {
            const base = await ensureBootDisk({
                env,
                onBuild: (path) => say(`building the bootable Debian base disk (first run only: a few minutes; cached as ${path})`),
            });
            image = base.path;
            baseDigest = base.digest;
            recipe = base.recipe;
        }
        if (opts.signal?.aborted)
            throw new errors/* UserError */.yo('interrupted');
        const bake = await localBake({
            userdataPath: prepared.userdataPath,
            fsTgzPath: prepared.fsTgzPath,
            base: { image },
            dir: (0,external_node_path_.join)(work, 'vm'),
            network: opts.network,
            diskMiB,
            timeoutMs: opts.timeoutMs,
            signal: opts.signal,
            onPhase: say,
            onRequest: say,
            onConsole: opts.onConsole,
            onToken: opts.onToken,
        });
        if (bake.status !== 0 || bake.problems.length) {
            // The guest's text, inert: no workflow command or terminal escape reaches the runner.
            const tail = (bake.log ?? '')
                .trimEnd()
                .split('\n')
                .slice(-30)
                .map((l) => `  ${(0,inert/* neutraliseLine */.fZ)(l.replace(ANSI, ''))}`);
            const log = bake.log ? `\ninstall log (tail):\n${tail.join('\n')}` : '';
            throw new errors/* UserError */.yo(`the install in the local VM failed (status ${bake.status ?? 'none'}` +
                `${bake.problems.length ? `; ${bake.problems.join('; ')}` : ''}): no disk written${log}`);
        }
        const raw = bake.machine.diskPath;
        // The disk ships as the AMI: the stage URLs' secret must not be on it.
        const leaks = (await (0,ext4/* scanFile */.WN)(raw, [bake.token])).get(bake.token).length;
        if (leaks)
            throw new errors/* UserError */.yo(`the stage URLs are on the baked disk (${leaks} copies): no disk written`);
        // A qcow2 image's virtual size is whatever it is: the disk the build uploads is whole GiB.
        const rawSize = (await (0,promises_.stat)(raw)).size;
        if (rawSize % manifest/* DISK_SIZE_UNIT */.dh)
            await (0,promises_.truncate)(raw, roundUp(rawSize, manifest/* DISK_SIZE_UNIT */.dh));
        say('writing the disk blocks');
        const written = await (0,manifest/* writeDisk */.pg)(raw, prepared.target);
        await (0,promises_.rm)(raw, { force: true });
        const vars = await addDiskVars(prepared.varsPath, {
            [compile_vars/* DISK_VARS */.nM.kind]: 'disk',
            [compile_vars/* DISK_VARS */.nM.manifestSha256]: written.manifestSha256,
            [compile_vars/* DISK_VARS */.nM.blocksSha256]: written.blocksSha256,
            [compile_vars/* DISK_VARS */.nM.size]: String(written.manifest.size),
            [compile_vars/* DISK_VARS */.nM.baseDigest]: baseDigest,
            [compile_vars/* DISK_VARS */.nM.recipe]: recipe,
        });
        return {
            files: [...prepared.files, written.manifestPath, written.blocksPath],
            vars,
            size: written.manifest.size,
            blocks: written.manifest.blocks.length,
            blocksBytes: written.blocksBytes,
        };
    }
    finally {
        await io/* rmRF */.Yz(work);
    }
}
/** vars.env with the disk keys added before PREPARED_DIGEST (which stays last, and the same). */
async function addDiskVars(varsPath, disk) {
    const current = (0,envfile/* parseEnv */.vc)(await (0,promises_.readFile)(varsPath, 'utf8'), varsPath);
    const { [compile_vars/* VARS */.XE.preparedDigest]: digest, ...rest } = current;
    const vars = { ...rest, ...disk, [compile_vars/* VARS */.XE.preparedDigest]: digest };
    await (0,promises_.writeFile)(varsPath, (0,envfile/* formatEnv */.R_)(vars));
    return vars;
}

;// CONCATENATED MODULE: ./src/fronts/cli-prepare.ts
/** `amibake prepare [--disk [--image FILE] [--isolated]] SOURCE TARGET` (environment: AWSREGION, S3URL). */










const USAGE = `usage: amibake prepare [--disk [--image FILE] [--isolated]] SOURCE TARGET

Compiles the image source folder SOURCE into TARGET/userdata.gz, TARGET/vars.env and, when the
files do not fit in the user data, TARGET/fs.tgz.

options:
  --disk       also bake the root disk here, for a build that launches no instance: boot the
               bootable Debian 12 base (built and cached on first use) in a local VM with the
               user data an instance would get, then write the finished disk to
               TARGET/disk.manifest.json and TARGET/disk.blocks (needs root, qemu-system-x86,
               mmdebstrap, e2fsprogs, dosfstools, mtools, fdisk, socat and zstd)
  --image FILE with --disk: bake your own raw or qcow2 cloud image instead (x86_64, GRUB for the
               boot mode you register, ENA and NVMe drivers, cloud-init with the Ec2 datasource,
               an ext4 root); FILE itself is never written
  --isolated   with --disk: no outbound network in the VM (the install reaches only this
               machine's stage server); by default the guest has NAT, as an instance would

environment:
  AWSREGION   region the instance uses for 'aws s3 cp' without a presigned URL (default ap-northeast-1)
  S3URL       s3://bucket/path/fs.tgz, where the build stage stages fs.tgz (needed when it goes external)
  AMIBAKE_CACHE_DIR, AMIBAKE_DEBIAN_MIRROR, AMIBAKE_VM_ACCEL   as for 'amibake try'`;
function parse(args) {
    const { values, positionals } = (0,external_node_util_.parseArgs)({
        args,
        allowPositionals: true,
        options: {
            disk: { type: 'boolean' },
            image: { type: 'string' },
            isolated: { type: 'boolean' },
            help: { type: 'boolean', short: 'h' },
        },
    });
    if (values.help)
        return 'help';
    if (positionals.length !== 2)
        throw new errors/* UserError */.yo('expected SOURCE and TARGET');
    if (!values.disk && (values.image !== undefined || values.isolated)) {
        throw new errors/* UserError */.yo('--image and --isolated go with --disk');
    }
    return {
        source: positionals[0],
        target: positionals[1],
        disk: values.disk ?? false,
        image: values.image,
        isolated: values.isolated ?? false,
    };
}
async function main(args, env = process.env) {
    let a;
    try {
        a = parse(args);
    }
    catch (err) {
        process.stderr.write(`amibake prepare: ${(0,errors/* errorMessage */.gJ)(err)}\n${USAGE}\n`);
        return 2;
    }
    if (a === 'help') {
        process.stdout.write(USAGE + '\n');
        return 0;
    }
    const overrides = { source: a.source, target: a.target, ...(a.disk ? { disk: 'true' } : {}) };
    const opts = (0,options/* readOptions */.Tt)(compile_options/* PREPARE_OPTIONS */.d, 'prepare', (0,options/* cliSource */.kJ)(env, overrides));
    const logger = (0,log/* createCliLogger */.x)(process.stderr, Boolean(env.AMIBAKE_DEBUG), env.GITHUB_ACTIONS === 'true');
    let result;
    try {
        await interruptible(async (signal) => {
            result = await (0,prepare/* prepare */.iA)({
                source: opts.source,
                target: opts.target,
                awsRegion: opts.awsRegion,
                s3Url: opts.s3Url,
                logger,
                env,
                signal,
            });
            if (!opts.disk)
                return;
            try {
                const disk = await prepareDisk({
                    prepared: result,
                    image: a.image,
                    network: a.isolated ? 'isolated' : undefined,
                    env,
                    signal,
                    say: (m) => logger.info(m),
                    onToken: (t) => logger.mask(t),
                    // The VM's console, inert (`  | ` keeps `::` off the start; `##[` is neutralised).
                    onConsole: (line) => process.stderr.write(`  | ${(0,inert/* neutraliseLine */.fZ)(line.replace(ANSI, ''))}\n`),
                });
                logger.info(`disk: ${disk.size} bytes, ${disk.blocks} blocks of data (${disk.blocksBytes} bytes compressed) in ${result.target}`);
            }
            catch (err) {
                // No artifact rather than one that would pass for an instance artifact.
                for (const f of result.files)
                    await (0,promises_.rm)(f, { force: true });
                if (signal.aborted && signal.reason instanceof InterruptedError)
                    throw signal.reason;
                throw err;
            }
        });
    }
    catch (err) {
        // Errors name the options by key: the CLI says what the user set (TARGET, S3URL).
        if (!(err instanceof InterruptedError))
            throw (0,errors/* named */.KT)(err, (0,options/* nameFor */.Fe)(compile_options/* PREPARE_OPTIONS */.d, 'cli', 'prepare'));
        process.stderr.write(`amibake prepare: ${err.message}\n`);
        return err.exitCode;
    }
    return 0;
}


/***/ })

};
