import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  BUILD_RESERVE,
  GUEST_DIR,
  NO_SANITIZE_FILE,
  PREPARED_ENV,
  PREPARED_VARS,
  USERDATA_LIMIT,
  formatEnv,
  gzipUserdata,
  parseEnv,
  preparedDigest,
  renderMultipart,
  require_dist
} from "./chunk-G7FRW6BQ.js";
import {
  OPTIONS,
  nameOf
} from "./chunk-WWOMECBE.js";
import {
  UserError
} from "./chunk-QCJIZORW.js";
import {
  require_tar_stream
} from "./chunk-FUJ7KVUG.js";
import {
  __toESM
} from "./chunk-TS5WFTQ5.js";

// src/compile/prepare.ts
import { createHash as createHash2 } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile as copyFile2, mkdir as mkdir2, mkdtemp, readFile as readFile3, rename, rm, stat as stat4, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join as join5, relative, resolve, sep as sep2 } from "node:path";

// src/compile/credentials.ts
import { statSync } from "node:fs";
import { join } from "node:path";
var CREDENTIAL_VARS = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
];
var OIDC_VARS = ["ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
function credentialFiles(env) {
  const files = [env.AWS_SHARED_CREDENTIALS_FILE, env.HOME && join(env.HOME, ".aws", "credentials")];
  return [...new Set(files.filter((f) => Boolean(f) && f !== "/dev/null" && isFile(f)))];
}
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
function credentialsPresent(env) {
  return [...CREDENTIAL_VARS, ...OIDC_VARS.slice(0, 1)].filter((k) => env[k]);
}
function credentialWarning(env) {
  const found = [
    ...credentialsPresent(env).map((k) => OIDC_VARS.includes(k) ? `${k} (id-token: write)` : k),
    ...credentialFiles(env)
  ];
  if (!found.length) return void 0;
  const what = found.join(", ");
  return `the prepare environment holds cloud credentials (${what}). Prepare needs none: run it in a job without AWS credentials or id-token permission and keep them for the build job. compile.sh does not get them.`;
}
function scrubbedEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith("AWS_") || OIDC_VARS.includes(k) || k === "ACTIONS_RUNTIME_TOKEN") continue;
    out[k] = v;
  }
  out.AWS_SHARED_CREDENTIALS_FILE = "/dev/null";
  out.AWS_CONFIG_FILE = "/dev/null";
  out.AWS_EC2_METADATA_DISABLED = "true";
  return out;
}

// src/compile/fstgz.ts
var import_tar_stream = __toESM(require_tar_stream(), 1);
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, readdir, readlink, stat } from "node:fs/promises";
import { join as join2 } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
var INSTALL_SH_PATH = "var/run/install.sh";
var RESERVED_FS_PATHS = [
  "var/run/fs.tgz",
  INSTALL_SH_PATH,
  "run/fs.tgz",
  "run/install.sh",
  "run/amibake"
];
var S_IFMT = 61440;
var BUFFER = 2 << 20;
var MODE_BITS = 4095;
function byteOrder(a, b) {
  return Buffer.compare(a, b);
}
async function* walk(root, rel, label) {
  const dir = rel ? join2(root, rel) : root;
  const names = (await readdir(dir, { encoding: "buffer" })).sort(byteOrder);
  for (const raw of names) {
    const name = raw.toString("utf8");
    const childRel = rel ? `${rel}/${name}` : name;
    if (!Buffer.from(name, "utf8").equals(raw))
      throw new UserError(`${label(childRel)}: file name is not valid UTF-8`);
    const abs = join2(root, childRel);
    const st = await lstat(abs);
    const mode = st.mode & (S_IFMT | MODE_BITS);
    if (st.isDirectory()) {
      yield { rel: childRel, abs, mode, size: 0, type: "directory" };
      yield* walk(root, childRel, label);
    } else if (st.isFile()) {
      yield { rel: childRel, abs, mode, size: st.size, type: "file" };
    } else if (st.isSymbolicLink()) {
      yield { rel: childRel, abs, mode, size: 0, type: "symlink" };
    } else {
      throw new UserError(
        `${label(childRel)}: not a regular file, directory or symlink (devices, sockets and FIFOs cannot be archived)`
      );
    }
  }
}
function isReserved(rel) {
  return RESERVED_FS_PATHS.some((r) => rel === r || rel.startsWith(`${r}/`));
}
function defaultMtime(env = process.env) {
  const s = env.SOURCE_DATE_EPOCH;
  return s && /^\d+$/.test(s) ? Number(s) : 0;
}
async function buildFsTgz(opts) {
  const label = opts.label ?? ((rel) => `fs/${rel}`);
  const mtime = new Date((opts.mtime ?? defaultMtime()) * 1e3);
  const pack = import_tar_stream.default.pack({ highWaterMark: BUFFER });
  const hash = createHash("sha256");
  let size = 0;
  const tap = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    }
  });
  const gzipOptions = {
    level: opts.level ?? 6,
    chunkSize: 1 << 20,
    writableHighWaterMark: BUFFER
  };
  const written = pipeline(pack, createGzip(gzipOptions), tap, createWriteStream(opts.out));
  let entries = 0;
  let contentBytes = 0;
  const add = (e, name) => new Promise((resolve2, reject) => {
    const header = {
      name: e.type === "directory" ? `${name}/` : name,
      type: e.type,
      // With the file type bits the mode is never 0, which tar-stream would replace by a default.
      mode: e.mode,
      size: e.size,
      mtime,
      uid: 0,
      gid: 0,
      uname: "root",
      gname: "root"
    };
    const done = (err) => {
      if (!err) return resolve2();
      reject(
        /size mismatch/i.test(err.message) ? new UserError(`${label(e.rel)}: changed while it was being archived`) : err
      );
    };
    if (e.type === "symlink") {
      readlink(e.abs).then((target) => {
        pack.entry({ ...header, linkname: target }, done);
      }, reject);
      return;
    }
    if (e.type === "directory" || e.size === 0) {
      if (e.type === "file") pack.entry(header, Buffer.alloc(0), done);
      else pack.entry(header, done);
      return;
    }
    const sink = pack.entry(header, done);
    sink.on("error", done);
    const rs = createReadStream(e.abs, { end: e.size - 1, highWaterMark: 1 << 20 });
    rs.on("error", (err) => sink.destroy(err));
    rs.pipe(sink);
  });
  try {
    if (opts.fsDir) {
      for await (const e of walk(opts.fsDir, "", label)) {
        opts.signal?.throwIfAborted();
        if (isReserved(e.rel))
          throw new UserError(
            `${label(e.rel)}: reserved path (amibake stages fs.tgz and install.sh there on the instance)`
          );
        await add(e, e.rel);
        entries++;
        contentBytes += e.size;
      }
    }
    if (opts.installSh) {
      const st = await stat(opts.installSh);
      await add(
        {
          rel: INSTALL_SH_PATH,
          abs: opts.installSh,
          mode: st.mode & S_IFMT | 448,
          size: st.size,
          type: "file"
        },
        INSTALL_SH_PATH
      );
      entries++;
      contentBytes += st.size;
    }
    pack.finalize();
  } catch (err) {
    pack.destroy(err);
    await written.catch(() => void 0);
    throw err;
  }
  await written;
  return { sha256: hash.digest("hex"), size, entries, contentBytes };
}

// src/compile/generated.ts
var import_yaml = __toESM(require_dist(), 1);

// src/compile/guest/amibake.sh
var amibake_default = `#!/bin/sh
# amibake guest script, written to /run/amibake/amibake.sh by the prepared user data.
#   fetch    (runcmd, priority 50) take the inline /var/run/fs.tgz or download the external one, check its sha256
#   extract  (runcmd, priority 51) extract fs.tgz over / keeping existing directories and directory symlinks
#   install  (runcmd, priority 51) run /var/run/install.sh
#   log      (runcmd, priority 98) mark that runcmd reached its end and log the steps
#   finish   (power_state condition, priority 99) once cloud-init has finished: decide the install status,
#            sanitise, upload result and log, print the one result line on the console; always exits 0
#            so that the instance powers off.
# POSIX sh (dash). stage.env holds presigned URLs: never print a URL, never pass one on a command line.
# No \`set -e\`/\`set -u\`: finish must reach its end whatever happens.
# AMIBAKE_ROOT and AMIBAKE_CONSOLE move / and /dev/console (tests run this script against a temporary root).

R=\${AMIBAKE_ROOT:-/}
R=\${R%/}
D=$R/run/amibake
STEPS=$D/steps
CONSOLE=\${AMIBAKE_CONSOLE:-/dev/console}
INSTALL=$R/var/run/install.sh
RESULT_JSON=$R/run/cloud-init/result.json

say() { printf 'amibake: %s\\n' "$*"; }

# Status codes, documented in the README's stage contract.
OK=0 CLOUDINIT=1 DOWNLOAD=2 CHECKSUM=3 EXTRACT=4 INSTALL_FAILED=5 NOT_RUN=6 SANITISE=7

record() { printf '%s %s\\n' "$1" "$2" >>"$STEPS"; }
# The last recorded result of a step: a status, \`skip\`, or empty when the step never ran.
result_of() { [ -f "$STEPS" ] && sed -n "s/^$1 //p" "$STEPS" | tail -n 1; }
earlier_failure() { [ -f "$STEPS" ] && grep -q ' [1-9][0-9]*$' "$STEPS"; }

# shellcheck source=/dev/null # written by the user data on the instance
load_prepared() { [ -f "$D/prepared.env" ] && . "$D/prepared.env"; }
# shellcheck source=/dev/null # written by the build's part of the user data
load_stage() { [ -f "$D/stage.env" ] && . "$D/stage.env"; }

# A large external fs.tgz goes to disk when tmpfs (/run) cannot hold it.
fs_path() {
  if [ "\${AMIBAKE_FS_MODE:-}" = external ] && [ -n "\${AMIBAKE_FS_SIZE:-}" ]; then
    avail=$(df -Pk "$R/run" 2>/dev/null | awk 'NR == 2 { print $4 }')
    if [ -n "$avail" ] && [ $((AMIBAKE_FS_SIZE / 1024 + 65536)) -gt "$avail" ]; then
      echo "$R/var/tmp/amibake-fs.tgz"
      return
    fi
  fi
  echo "$R/var/run/fs.tgz"
}

# http METHOD URL FILE: GET into FILE or PUT FILE. curl, else python3. The URL goes through stdin
# (curl's config) or the environment (python), never argv, and never into messages.
curl_config() { printf 'url = "%s"\\n' "$(printf '%s' "$1" | sed 's/[\\\\"]/\\\\&/g')"; }
CURL_OPTS='-sf --retry 5 --retry-delay 2 --retry-connrefused --connect-timeout 20 --max-time 1800'

http() {
  if command -v curl >/dev/null 2>&1; then
    # shellcheck disable=SC2086 # CURL_OPTS is a list of options
    if [ "$1" = GET ]; then
      code=$(curl_config "$2" | curl -K - $CURL_OPTS -o "$3" -w '%{http_code}')
    else
      code=$(curl_config "$2" | curl -K - $CURL_OPTS -T "$3" -o /dev/null -w '%{http_code}')
    fi
    rc=$?
    [ $rc -eq 0 ] || say "curl failed (exit $rc, HTTP \${code:-none})"
    return $rc
  fi
  if command -v python3 >/dev/null 2>&1; then
    AMIBAKE_URL=$2 python3 - "$1" "$3" <<'EOF'
import os, sys, time, urllib.error, urllib.request
method, path = sys.argv[1], sys.argv[2]
url = os.environ.pop('AMIBAKE_URL')
err = 'no attempt'
for attempt in range(5):
    if attempt:
        time.sleep(attempt)
    try:
        if method == 'GET':
            with urllib.request.urlopen(url, timeout=60) as r, open(path, 'wb') as f:
                while True:
                    chunk = r.read(1 << 20)
                    if not chunk:
                        break
                    f.write(chunk)
        else:
            with open(path, 'rb') as f:
                body = f.read()
            req = urllib.request.Request(url, data=body, method='PUT', headers={'Content-Type': 'application/octet-stream'})
            urllib.request.urlopen(req, timeout=60).close()
        sys.exit(0)
    except urllib.error.HTTPError as e:
        err = 'HTTP %d' % e.code
        if e.code < 500:
            break
    except Exception as e:
        err = type(e).__name__
print('amibake: python3 %s failed (%s)' % (method, err))
sys.exit(1)
EOF
    return $?
  fi
  say "neither curl nor python3 is available for HTTP"
  return 1
}

fetch() {
  mkdir -p "$D" && chmod 700 "$D"
  load_prepared
  load_stage
  mode=\${AMIBAKE_FS_MODE:-none}
  fs=$(fs_path)
  case $mode in
  none)
    say "no files to install"
    record fetch $OK
    return 0
    ;;
  inline)
    if [ ! -s "$fs" ]; then
      say "the inline fs.tgz is missing"
      record fetch $DOWNLOAD
      return $DOWNLOAD
    fi
    ;;
  external)
    rm -f "$fs"
    if [ -n "\${AMIBAKE_FS_URL:-}" ]; then
      say "downloading fs.tgz (\${AMIBAKE_FS_SIZE:-?} bytes) from the presigned URL"
      http GET "$AMIBAKE_FS_URL" "$fs"
    elif command -v aws >/dev/null 2>&1; then
      say "downloading \${AMIBAKE_S3URL:-} with the instance profile"
      aws s3 cp --only-show-errors --region "\${AMIBAKE_REGION:-}" "\${AMIBAKE_S3URL:-}" "$fs"
    else
      say "no presigned URL for fs.tgz and no AWS CLI on this image"
      false
    fi
    rc=$?
    if [ $rc -ne 0 ]; then
      say "fs.tgz download failed (exit $rc)"
      rm -f "$fs"
      record fetch $DOWNLOAD
      return $DOWNLOAD
    fi
    ;;
  *)
    say "unknown fs mode '$mode'"
    record fetch $DOWNLOAD
    return $DOWNLOAD
    ;;
  esac
  sum=$(sha256sum <"$fs" | cut -d ' ' -f 1)
  if [ "$sum" != "\${AMIBAKE_FS_SHA256:-}" ]; then
    say "fs.tgz checksum mismatch: expected \${AMIBAKE_FS_SHA256:-?}, got $sum; nothing extracted"
    rm -f "$fs"
    record fetch $CHECKSUM
    return $CHECKSUM
  fi
  say "fs.tgz verified (sha256 $sum)"
  record fetch $OK
}

# GNU tar 1.27 added --keep-directory-symlink; older tar (Amazon Linux 2: 1.26) extracts to a staging
# folder that merge() moves into place.
tar_keeps_dir_symlinks() {
  [ -z "\${AMIBAKE_TAR_FALLBACK:-}" ] || return 1
  v=$(tar --version 2>/dev/null | sed -n '1s/^tar (GNU tar) \\([0-9]*\\)\\.\\([0-9]*\\).*/\\1 \\2/p')
  [ -n "$v" ] || return 1
  # shellcheck disable=SC2086 # two numbers, split on purpose
  set -- $v
  [ "$1" -gt 1 ] || [ "$2" -ge 27 ]
}

# merge STAGED TARGET: move the staged tree into TARGET. An existing directory, or a symlink to one
# (/lib -> usr/lib, /var/run -> /run), is kept as it is (mode and owner included) and merged into.
# No \`local\` (not POSIX): the recursion clobbers e and t, which is harmless because \`for\` keeps
# its own list and neither is read after the recursive call.
merge() {
  for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    [ -e "$e" ] || [ -L "$e" ] || continue
    t=$2/\${e##*/}
    if [ -d "$e" ] && [ ! -L "$e" ]; then
      if [ -d "$t" ]; then
        merge "$e" "$t" || return 1
        continue
      fi
      if [ -e "$t" ] || [ -L "$t" ]; then rm -f "$t" || return 1; fi
    fi
    mv -fT "$e" "$t" || return 1
  done
}

extract() {
  load_prepared
  if earlier_failure; then
    say "extract skipped: an earlier step failed"
    record extract skip
    return 1
  fi
  if [ "\${AMIBAKE_FS_MODE:-none}" = none ]; then
    record extract $OK
    return 0
  fi
  fs=$(fs_path)
  if tar_keeps_dir_symlinks; then
    tar -xzf "$fs" -C "$R/" --numeric-owner --no-overwrite-dir --keep-directory-symlink --touch
    rc=$?
  else
    say "extracting through a staging folder (tar without --keep-directory-symlink)"
    staged=$R/var/tmp/amibake-extract.$$
    rm -rf "$staged" && mkdir -p "$staged" && chmod 700 "$staged" &&
      tar -xzf "$fs" -C "$staged" --numeric-owner --touch && merge "$staged" "$R"
    rc=$?
    rm -rf "$staged"
  fi
  rm -f "$fs"
  if [ $rc -ne 0 ]; then
    say "fs.tgz extraction failed (exit $rc)"
    record extract $EXTRACT
    return $EXTRACT
  fi
  say "files extracted"
  record extract $OK
}

install() {
  if earlier_failure; then
    say "install.sh skipped: an earlier step failed"
    record install skip
    rm -f "$INSTALL"
    return 1
  fi
  if [ ! -f "$INSTALL" ]; then
    record install $OK
    return 0
  fi
  say "running install.sh"
  chmod 700 "$INSTALL"
  # /run (and /var/run) is mounted noexec on Debian and Ubuntu: run the script through the
  # interpreter of its #! line (unquoted: \`#!/usr/bin/env bash\` is two words), sh without one.
  interp=$(sed -n '1s/^#![[:space:]]*//p' "$INSTALL")
  (cd "$R/" && exec \${interp:-/bin/sh} "$INSTALL") </dev/null
  rc=$?
  rm -f "$INSTALL"
  if [ $rc -ne 0 ]; then
    say "install.sh failed (exit $rc)"
    record install $INSTALL_FAILED
    return $INSTALL_FAILED
  fi
  say "install.sh succeeded"
  record install $OK
}

log() {
  record log $OK
  say "steps: $(tr '\\n' ' ' <"$STEPS")"
}

# The install status: the first failing amibake step, else a step runcmd never reached, else what
# cloud-init recorded in result.json (a failing module, a failing runcmd script).
decide() {
  for step in fetch extract install log; do
    r=$(result_of $step)
    case $r in
    0 | skip) ;;
    '')
      say "the $step step never ran: a runcmd command before it stopped the script (exit), or runcmd did not run"
      status=$NOT_RUN
      return
      ;;
    *)
      say "the $step step failed (status $r)"
      status=$r
      return
      ;;
    esac
  done
  if [ ! -f "$RESULT_JSON" ]; then
    say "cloud-init recorded no result"
    status=$CLOUDINIT
    return
  fi
  case $(tr -d ' \\t\\r\\n' <"$RESULT_JSON") in
  *'"errors":[]'*) status=$OK ;;
  *)
    say "cloud-init recorded errors:"
    cat "$RESULT_JSON"
    status=$CLOUDINIT
    ;;
  esac
}

# Opt-out: /run/amibake/no-sanitize lists step names (or \`all\`), separated by spaces, commas or lines.
# keep STEP [ALIAS...]: the steps carry virt-sysprep's operation names; the names amibake used
# before are accepted as aliases, so that an existing no-sanitize file keeps what it kept.
keep() {
  [ -f "$D/no-sanitize" ] || return 1
  listed=" $(tr ',\\n\\t\\r' '    ' <"$D/no-sanitize") "
  for name in all "$@"; do
    case $listed in
    *" $name "*)
      say "not sanitising: $1 (no-sanitize)"
      return 0
      ;;
    esac
  done
  return 1
}

# overwrite PATH: zeros over the regular files of PATH (a file or a tree), sizes and names kept.
# Unlinking alone leaves the bytes in free blocks, which an EBS snapshot copies into the AMI.
# Symlinks are never followed; find -xdev stays out of file systems mounted below PATH.
overwrite() {
  [ -n "$SHRED" ] || return 0
  if [ -d "$1" ] && [ ! -L "$1" ]; then
    find "$1" -xdev -type f -exec shred -n 0 -z {} + || return 1
  elif [ -f "$1" ] && [ ! -L "$1" ]; then
    shred -n 0 -z "$1" || return 1
  fi
}

# wipe PATH...: overwrite, then remove (paths that do not exist are skipped).
wipe() {
  for w in "$@"; do
    [ -e "$w" ] || [ -L "$w" ] || continue
    overwrite "$w" || return 1
    rm -rf "$w" || return 1
  done
}

clean_cloud_init() {
  # cloud-init keeps the user data (presigned URLs included) in plain files under
  # /var/lib/cloud/instances, and its logs hold everything runcmd and install.sh printed
  # (finish has copied the output log for the upload already). Overwrite them in place first.
  for f in "$R"/var/lib/cloud/instances/*/* "$R"/var/lib/cloud/instances/*/*/* \\
    "$R"/var/log/cloud-init.log* "$R"/var/log/cloud-init-output.log*; do
    overwrite "$f" || return 1
  done
  sync
  if [ -z "$R" ] && command -v cloud-init >/dev/null 2>&1; then
    cloud-init clean --logs || return 1
    rm -f "$R"/var/log/cloud-init.log.* "$R"/var/log/cloud-init-output.log.*
    return
  fi
  # What \`cloud-init clean --logs\` removes, under another root.
  for p in "$R"/var/lib/cloud/* "$R"/var/lib/cloud/.[!.]*; do
    [ -e "$p" ] || [ -L "$p" ] || continue
    [ "\${p##*/}" = seed ] || rm -rf "$p" || return 1
  done
  rm -f "$R"/var/log/cloud-init.log* "$R"/var/log/cloud-init-output.log*
}

# virt-sysprep's logfiles globs, plus Debian's and Ubuntu's rsyslog files (syslog, debug) and
# apt's logs (the install's commands). cloud-init's own logs belong to the cloud-init step.
LOG_GLOBS='*.log* syslog* messages* debug* dmesg* cron* maillog* secure* spooler* audit/* mail/* apt/*'
# Login records: emptied rather than removed, so that they keep their owner and mode (group utmp).
LOGIN_RECORDS='wtmp* btmp* lastlog* tallylog* faillog*'

clean_logfiles() {
  for g in $LOG_GLOBS; do
    for f in "$R"/var/log/$g; do
      case \${f##*/} in cloud-init.log* | cloud-init-output.log*) continue ;; esac
      wipe "$f" || return 1
    done
  done
  for g in $LOGIN_RECORDS; do
    for f in "$R"/var/log/$g; do
      if [ -f "$f" ] && [ ! -L "$f" ]; then
        { overwrite "$f" && : >"$f"; } || return 1
      fi
    done
  done
  clean_journal
}

clean_journal() {
  if [ -z "$R" ] && command -v journalctl >/dev/null 2>&1; then
    # Archive what the journal holds, so that every file with build-time entries is closed.
    journalctl --flush >/dev/null 2>&1
    journalctl --rotate >/dev/null 2>&1
    # The file just archived is younger than any --vacuum-time: remove the archives directly.
    wipe "$R"/var/log/journal/*/*@*.journal "$R"/var/log/journal/*/*.journal~
    return
  fi
  wipe "$R"/var/log/journal/*/*
}

# /tmp and /var/tmp, as virt-sysprep's tmp-files (the directories themselves stay, mode 1777).
clean_tmp_files() {
  for t in "$R/tmp" "$R/var/tmp"; do
    if [ -d "$t" ] && [ ! -L "$t" ]; then
      wipe "$t"/* "$t"/.[!.]* "$t"/..?* || return 1
    fi
  done
}

# The leases of dhclient (Debian, Ubuntu: /var/lib/dhcp; Amazon Linux, RHEL: /var/lib/dhclient),
# NetworkManager, dhcpcd and systemd-networkd (under /run, tmpfs, unless a distribution keeps them).
# A new instance asks for its own lease; an old one only names the build's subnet and addresses.
clean_dhcp_client_state() {
  rm -rf "$R"/var/lib/dhcp/* "$R"/var/lib/dhclient/* "$R"/var/lib/NetworkManager/*.lease \\
    "$R"/var/lib/NetworkManager/*.leases "$R"/var/lib/dhcpcd/* "$R"/var/lib/dhcpcd5/* "$R"/var/db/dhcpcd/* \\
    "$R"/var/lib/systemd/network/leases/* "$R"/run/systemd/netif/leases/*
}

# The build key pair's public key, one per line: cloud-init's instance data (what its datasource
# read from the instance metadata), else the instance metadata service itself (IMDSv2).
build_keys() {
  json=$R/run/cloud-init/instance-data.json
  if [ -f "$json" ] && command -v python3 >/dev/null 2>&1; then
    python3 - "$json" <<'EOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        keys = json.load(f).get('v1', {}).get('public_ssh_keys') or []
except (OSError, ValueError, AttributeError):
    keys = []
for k in keys if isinstance(keys, list) else [keys]:
    if isinstance(k, str) and k.strip():
        print(k.strip())
EOF
    return
  fi
  { [ -z "$R" ] && command -v curl >/dev/null 2>&1; } || return 0
  token=$(curl -sf --connect-timeout 2 --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' \\
    http://169.254.169.254/latest/api/token) || return 0
  curl -sf --connect-timeout 2 --max-time 5 -H "X-aws-ec2-metadata-token: $token" \\
    http://169.254.169.254/latest/meta-data/public-keys/0/openssh-key
}

# Only the build key pair's key leaves authorized_keys (virt-sysprep's ssh-userdir removes every
# user's .ssh: keys the image source installed on purpose stay here). Without a key pair, nothing:
# AMIBAKE_KEYPAIR (the key pair's name) is in stage.env only when the build launched with one.
clean_ssh_userdir() {
  [ -n "\${AMIBAKE_KEYPAIR:-}" ] || return 0
  # The key's base64 field, whatever options (root's \`command="echo Please login as..."\`) precede it.
  build_keys | awk '{ for (i = 1; i < NF; i++) if ($i ~ /^(ssh-|ecdsa-|sk-)/) { print $(i + 1); break } }' >"$D/keys"
  if [ ! -s "$D/keys" ]; then
    say "the build key pair's public key is in neither cloud-init's instance data nor the instance metadata"
    return 1
  fi
  for f in "$R"/root/.ssh/authorized_keys "$R"/root/.ssh/authorized_keys2 \\
    "$R"/home/*/.ssh/authorized_keys "$R"/home/*/.ssh/authorized_keys2; do
    if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
    # Rewritten in place, so that the file keeps its owner and mode (grep -v exits 1 when no line is left).
    { grep -vF -f "$D/keys" "$f" || [ $? -eq 1 ]; } >"$D/authorized_keys" || return 1
    cat "$D/authorized_keys" >"$f" || return 1
  done
  rm -f "$D/keys" "$D/authorized_keys"
  say "removed the build key pair's key from authorized_keys"
}

# step NAME [ALIAS...] -- COMMAND...: run a sanitising step unless no-sanitize keeps it.
step() {
  names=
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    names="$names $1"
    shift
  done
  shift
  # shellcheck disable=SC2086 # the names are words
  keep $names && return 0
  "$@" && return 0
  say "sanitising step failed: \${names# }"
  src=1
}

sanitise() {
  src=0
  SHRED=
  if command -v shred >/dev/null 2>&1; then
    SHRED=1
  else
    say "shred is missing: files are deleted, not overwritten (their bytes stay in free blocks)"
  fi
  # The staged files never stay, whatever no-sanitize says.
  { rm -f "$R/var/run/fs.tgz" "$R/var/tmp/amibake-fs.tgz" "$INSTALL" && rm -rf "$R"/var/tmp/amibake-extract.*; } || src=1
  # virt-sysprep's operation name first, then the name amibake used before (an alias).
  step ssh-userdir -- clean_ssh_userdir
  step cloud-init -- clean_cloud_init
  step machine-id -- clean_machine_id
  step ssh-hostkeys ssh-host-keys -- rm -f "$R"/etc/ssh/ssh_host_*key*
  step bash-history shell-history -- wipe "$R"/root/.bash_history "$R"/root/.sh_history "$R"/root/.ash_history \\
    "$R"/root/.zsh_history "$R"/root/.python_history "$R"/root/.lesshst "$R"/root/.viminfo "$R"/home/*/.bash_history
  step logfiles journal -- clean_logfiles
  step tmp-files -- clean_tmp_files
  step dhcp-client-state -- clean_dhcp_client_state
  sync
  [ $src -eq 0 ] && say "image sanitised"
  return $src
}

clean_machine_id() {
  if [ -e "$R/etc/machine-id" ]; then : >"$R/etc/machine-id" || return 1; fi
  rm -f "$R/var/lib/dbus/machine-id"
}

finish() {
  trap '' PIPE
  mkdir -p "$D"
  log=$D/install.log
  n=\${AMIBAKE_RESULT_WAIT:-300}
  while [ ! -e "$RESULT_JSON" ] && [ "$n" -gt 0 ]; do
    sleep 1
    n=$((n - 1))
  done
  # The install log: cloud-init's output, then what finish says (it runs where stdout may be a closed pipe).
  if [ -f "$R/var/log/cloud-init-output.log" ]; then cp "$R/var/log/cloud-init-output.log" "$log"; else : >"$log"; fi
  exec >>"$log" 2>&1
  printf '\\n'
  say "finishing"
  load_prepared
  load_stage
  decide
  if ! sanitise && [ "$status" -eq $OK ]; then
    say "sanitising failed"
    status=$SANITISE
  fi
  say "install status $status"
  if [ -n "\${AMIBAKE_RESULT_URL:-}" ]; then
    printf 'status=%s\\n' "$status" >"$D/result"
    http PUT "$AMIBAKE_RESULT_URL" "$D/result" || say "could not upload the result"
  fi
  if [ -n "\${AMIBAKE_LOG_URL:-}" ]; then
    cp "$log" "$D/install.log.sent"
    http PUT "$AMIBAKE_LOG_URL" "$D/install.log.sent" || say "could not upload the install log"
    rm -f "$D/install.log.sent"
  fi
  line="AMIBAKE-RESULT status=$status"
  if ! { printf '%s\\n' "$line" >"$CONSOLE"; } 2>/dev/null; then
    printf '%s\\n' "$line" >&3
  fi
}

case \${1:-} in
fetch | extract | install | log)
  mkdir -p "$D"
  "$1"
  ;;
finish)
  exec 3>&1
  finish
  exit 0
  ;;
*)
  echo "usage: $0 fetch|extract|install|log|finish" >&2
  exit 2
  ;;
esac
`;

// src/compile/generated.ts
var GUEST_SCRIPT = `${GUEST_DIR}/amibake.sh`;
var FS_STAGE = "/var/run/fs.tgz";
var GENERATED = {
  fetch: "50_amibake-fetch.cfg",
  install: "51_amibake-install.cfg",
  log: "98_amibake-log.cfg",
  shutdown: "99_amibake-shutdown.cfg"
};
var GENERATED_NAMES = Object.values(GENERATED);
function guestScript() {
  const body = amibake_default.split("\n").filter((l) => l.trim() !== "" && !/^\s*#/.test(l));
  return ["#!/bin/sh", ...body].join("\n") + "\n";
}
function render(comment, config) {
  return `#cloud-config
# ${comment}
${(0, import_yaml.stringify)(config, { lineWidth: 0 })}`;
}
var step = (name) => ["/bin/sh", GUEST_SCRIPT, name];
function preparedEnv(input) {
  const vars = {
    [PREPARED_VARS.fsMode]: input.fsMode,
    [PREPARED_VARS.region]: input.region
  };
  if (input.fsSha256) vars[PREPARED_VARS.fsSha256] = input.fsSha256;
  if (input.fsSize !== void 0) vars[PREPARED_VARS.fsSize] = String(input.fsSize);
  if (input.s3Url) vars[PREPARED_VARS.s3Url] = input.s3Url;
  return formatEnv(vars);
}
function generatedParts(input) {
  const writeFiles = [
    { path: GUEST_SCRIPT, permissions: "0700", content: guestScript() },
    { path: PREPARED_ENV, permissions: "0600", content: preparedEnv(input) }
  ];
  if (input.fsMode === "inline") {
    if (!input.inlineFs) throw new Error("inline fs mode without fs.tgz");
    writeFiles.push({
      path: FS_STAGE,
      permissions: "0600",
      encoding: "b64",
      content: input.inlineFs.toString("base64")
    });
  }
  return [
    {
      filename: GENERATED.fetch,
      content: render("amibake: FS download (priority 50)", {
        write_files: writeFiles,
        runcmd: [step("fetch")]
      })
    },
    {
      filename: GENERATED.install,
      content: render("amibake: FS extract, then install.sh (priority 51)", {
        runcmd: [step("extract"), step("install")]
      })
    },
    {
      filename: GENERATED.log,
      content: render("amibake: log copy (priority 98); finish uploads the log once cloud-init is done", {
        runcmd: [step("log")]
      })
    },
    {
      filename: GENERATED.shutdown,
      content: render(
        "amibake: shutdown (priority 99). The condition runs once cloud-init has finished: it reports the install status, sanitises, and always lets the instance power off.",
        {
          power_state: {
            mode: "poweroff",
            delay: "now",
            message: "amibake: install finished, powering off",
            // Seconds cloud-init's final stage may take to exit before the condition runs anyway.
            timeout: 600,
            condition: `/bin/sh ${GUEST_SCRIPT} finish; exit 0`
          }
        }
      )
    }
  ];
}

// src/compile/layout.ts
import { lstat as lstat2, readdir as readdir2, readFile, realpath, stat as stat2 } from "node:fs/promises";
import { join as join3, sep } from "node:path";

// src/compile/cloudconfig.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { posix } from "node:path";
var OWNED_KEYS = {
  power_state: 'is set by amibake, which powers the instance off once the install result is known (see "Stage contract"); remove it',
  merge_how: "is not allowed: amibake merges every file the same way (lists appended in priority order, mappings merged)",
  merge_type: "is not allowed: amibake merges every file the same way (lists appended in priority order, mappings merged)"
};
var LIST_KEYS = ["runcmd", "bootcmd", "write_files", "packages"];
function reservedWritePath(path) {
  const p = posix.normalize(path).replace(/^\/var\/run\//, "/run/").replace(/\/+$/, "");
  if (p === NO_SANITIZE_FILE) return false;
  return p === GUEST_DIR || p.startsWith(`${GUEST_DIR}/`) || p === "/run/fs.tgz" || p === "/run/install.sh";
}
function formatYamlError(label, err) {
  const [short, frame] = err.message.split(/ at line \d+, column \d+:\n\n/);
  const pos = err.linePos?.[0];
  const where = pos ? `${label}:${pos.line}:${pos.col}` : label;
  return `${where}: ${short}${frame ? `
${frame.replace(/\n+$/, "")}` : ""}`;
}
var MAX_ALIAS_NODES = 1e4;
var MAX_ALIAS_COUNT = 100;
function deref(doc, node) {
  let n = node;
  for (let i = 0; n && (0, import_yaml2.isAlias)(n) && i < 64; i++) n = n.resolve(doc) ?? null;
  return n && (0, import_yaml2.isAlias)(n) ? null : n;
}
function isMergeKey(doc, key) {
  const k = deref(doc, key);
  return (0, import_yaml2.isScalar)(k) && typeof k.value === "symbol" && k.value.description === "<<";
}
function flatten(doc, map, problem, stack = /* @__PURE__ */ new Set()) {
  if (stack.has(map)) {
    problem(map, "a merge key (<<) merges a mapping into itself");
    return [];
  }
  stack.add(map);
  const merged = [];
  const own = [];
  for (const pair of map.items) {
    if (isMergeKey(doc, pair.key)) {
      const via = pair.key;
      const tag = (entries) => entries.map((e) => ({ ...e, via }));
      const value = deref(doc, pair.value);
      if ((0, import_yaml2.isMap)(value)) merged.push(...tag(flatten(doc, value, problem, stack)));
      else if ((0, import_yaml2.isSeq)(value)) {
        const subs = [];
        for (const item of value.items) {
          const sub = deref(doc, item);
          if ((0, import_yaml2.isMap)(sub)) subs.push(tag(flatten(doc, sub, problem, stack)));
          else
            problem(
              item,
              "a merge key (<<) list may only hold mappings (cloud-init would not load the file)"
            );
        }
        for (const sub of subs.reverse()) merged.push(...sub);
      } else
        problem(
          via,
          "a merge key (<<) takes a mapping or a list of mappings (cloud-init would not load the file)"
        );
      continue;
    }
    const keyNode = deref(doc, pair.key);
    const key = (0, import_yaml2.isScalar)(keyNode) && typeof keyNode.value === "string" ? keyNode.value : void 0;
    own.push({ key, keyNode, value: deref(doc, pair.value) });
  }
  stack.delete(map);
  return [...merged, ...own];
}
function effective(entries) {
  const out = /* @__PURE__ */ new Map();
  for (const e of entries) if (e.key !== void 0) out.set(e.key, e);
  return out;
}
function expandedSize(doc, node, memo, stack) {
  if (node === null || node === void 0) return 0;
  if ((0, import_yaml2.isAlias)(node)) return expandedSize(doc, node.resolve(doc), memo, stack);
  const known = memo.get(node);
  if (known !== void 0) return known;
  if (stack.has(node)) return Infinity;
  stack.add(node);
  let n = 1;
  if ((0, import_yaml2.isMap)(node))
    for (const p of node.items)
      n += expandedSize(doc, p.key, memo, stack) + expandedSize(doc, p.value, memo, stack);
  else if ((0, import_yaml2.isSeq)(node)) for (const item of node.items) n += expandedSize(doc, item, memo, stack);
  stack.delete(node);
  memo.set(node, n);
  return n;
}
function aliasBomb(doc) {
  const memo = /* @__PURE__ */ new Map();
  let added = 0;
  let found;
  (0, import_yaml2.visit)(doc, {
    Alias(_key, node) {
      added += expandedSize(doc, node, memo, /* @__PURE__ */ new Set());
      if (added > MAX_ALIAS_NODES) {
        found = node;
        return import_yaml2.visit.BREAK;
      }
      return void 0;
    }
  });
  return found;
}
function checkCloudConfig(text, label) {
  const lineCounter = new import_yaml2.LineCounter();
  const parsed = (0, import_yaml2.parseAllDocuments)(text, { version: "1.1", lineCounter, prettyErrors: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const problems = [];
  for (const doc2 of docs) {
    for (const err of doc2.errors) problems.push(formatYamlError(label, err));
  }
  if (problems.length) return { empty: false, problems };
  if (docs.length > 1) {
    const line2 = docs[1].range ? lineCounter.linePos(docs[1].range[0]).line : void 0;
    problems.push(
      `${label}${line2 ? `:${line2}` : ""}: more than one YAML document (cloud-init reads one mapping per file)`
    );
    return { empty: false, problems };
  }
  const contents = docs[0]?.contents;
  if (contents === null || contents === void 0) return { empty: true, problems };
  if (!(0, import_yaml2.isMap)(contents)) {
    const line2 = contents.range ? lineCounter.linePos(contents.range[0]).line : void 0;
    problems.push(
      `${label}${line2 ? `:${line2}` : ""}: must be a cloud-config mapping (key: value), not a ${Array.isArray(contents.items) ? "list" : "scalar"}`
    );
    return { empty: false, problems };
  }
  const doc = docs[0];
  const top = contents;
  const line = (node) => node?.range ? lineCounter.linePos(node.range[0]).line : void 0;
  const at = (node) => line(node) ? `${label}:${line(node)}` : label;
  const where = (e) => e.via ? `${at(e.via)}: (merged by << from line ${line(e.keyNode) ?? "?"})` : `${at(e.keyNode)}:`;
  const bomb = aliasBomb(doc);
  if (bomb) {
    problems.push(
      `${at(bomb)}: YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes from here on (an alias bomb?): write the content out, or use fewer aliases`
    );
    return { empty: false, problems };
  }
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) return checkKeys();
    let first;
    (0, import_yaml2.visit)(doc, { Alias: (_k, node) => (first = node, import_yaml2.visit.BREAK) });
    problems.push(
      `${at(first)}: ${err.message} (the YAML aliases are resolved too often)`
    );
    return { empty: false, problems };
  }
  return checkKeys();
  function checkKeys() {
    const problem = (node, msg) => problems.push(`${at(node)}: ${msg}`);
    for (const [key, e] of effective(flatten(doc, top, problem))) {
      if (key in OWNED_KEYS) {
        problems.push(`${where(e)} ${key} ${OWNED_KEYS[key]}`);
        continue;
      }
      if (!LIST_KEYS.includes(key)) continue;
      if (!(0, import_yaml2.isSeq)(e.value)) {
        problems.push(
          `${where(e)} ${key} must be a list (cloud-init appends every file's ${key} in priority order; anything else would drop amibake's entries)`
        );
        continue;
      }
      if (key !== "write_files") continue;
      for (const item of e.value.items) {
        const entry = deref(doc, item);
        if (!(0, import_yaml2.isMap)(entry)) continue;
        const p = effective(flatten(doc, entry, problem)).get("path");
        const path = p?.value;
        if (p && (0, import_yaml2.isScalar)(path) && typeof path.value === "string" && reservedWritePath(path.value))
          problems.push(
            `${p.via ? where(p) : `${at(path)}:`} write_files path ${path.value} is reserved (amibake's files on the instance; only ${NO_SANITIZE_FILE} may be written there)`
          );
      }
    }
    return { empty: false, problems };
  }
}

// src/compile/layout.ts
var AMI_ENV = "ami.env";
var COMPILE_SH = "script/compile.sh";
var INSTALL_SH = "script/install.sh";
var CLOUDINIT_NAME = /^(\d\d_[A-Za-z0-9][\w.-]*)\.(cfg|yml|yaml)$/;
var UTF8 = new TextDecoder("utf-8", { fatal: true });
var SourceError = class extends UserError {
  constructor(problems) {
    super(problems.length === 1 ? problems[0] : `invalid image source:
  ${problems.join("\n  ")}`);
    this.problems = problems;
  }
  problems;
  name = "SourceError";
};
async function lstatOrUndefined(path) {
  try {
    return await lstat2(path);
  } catch (err) {
    if (err.code === "ENOENT") return void 0;
    throw err;
  }
}
async function existsNoFollow(root, rel) {
  const parts = rel.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const st = await lstatOrUndefined(join3(root, ...parts.slice(0, i)));
    if (!st) return false;
    if (i < parts.length && !st.isDirectory()) return false;
  }
  return true;
}
function inside(root, path) {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
async function checkLink(realRoot, abs, rel, label, problems) {
  let target;
  try {
    target = await realpath(abs);
  } catch {
    problems.push(`${label(rel)}: broken symlink`);
    return false;
  }
  if (!inside(realRoot, target)) {
    problems.push(`${label(rel)}: symlink points outside the image source (${target})`);
    return false;
  }
  return true;
}
async function checkScriptTree(realRoot, root, rel, label, problems, ancestors = []) {
  const abs = join3(root, rel);
  const st = await lstat2(abs);
  if (st.isSymbolicLink() && !await checkLink(realRoot, abs, rel, label, problems)) return;
  if (!(await stat2(abs)).isDirectory()) return;
  const real = await realpath(abs);
  if (ancestors.includes(real)) {
    problems.push(`${label(rel)}: symlink loop (it leads back to a folder that contains it)`);
    return;
  }
  for (const name of (await readdir2(abs)).sort())
    await checkScriptTree(realRoot, root, `${rel}/${name}`, label, problems, [...ancestors, real]);
}
var RESERVED_PARENTS = ["var", "var/run", "run"];
async function listCloudinit(realRoot, root, label, problems) {
  const dir = join3(root, "cloudinit");
  const st = await lstatOrUndefined(dir);
  if (!st) return [];
  if (st.isSymbolicLink() && !await checkLink(realRoot, dir, "cloudinit", label, problems)) return [];
  if (!(await stat2(dir)).isDirectory()) {
    problems.push(`${label("cloudinit")}: must be a folder`);
    return [];
  }
  const files = [];
  const byPart = /* @__PURE__ */ new Map();
  for (const name of (await readdir2(dir)).sort()) {
    if (name.startsWith(".")) continue;
    const rel = `cloudinit/${name}`;
    const abs = join3(dir, name);
    const lst = await lstat2(abs);
    if (lst.isSymbolicLink() && !await checkLink(realRoot, abs, rel, label, problems)) continue;
    const m = CLOUDINIT_NAME.exec(name);
    if (!m) {
      problems.push(
        `${label(rel)}: cloud-config files must be named NN_name.cfg, .yml or .yaml (two digits, an underscore, then letters, digits, '.', '-' or '_')`
      );
      continue;
    }
    if (!(await stat2(abs)).isFile()) {
      problems.push(`${label(rel)}: must be a file (cloudinit/ is not read recursively)`);
      continue;
    }
    const partName = `${m[1]}.cfg`;
    if (GENERATED_NAMES.includes(partName)) {
      problems.push(`${label(rel)}: reserved name (amibake generates ${partName})`);
      continue;
    }
    const other = byPart.get(partName);
    if (other) {
      problems.push(
        `${label(rel)}: same name as ${label(other)} (use one extension per name: both become ${partName})`
      );
      continue;
    }
    byPart.set(partName, rel);
    let content;
    try {
      content = UTF8.decode(await readFile(abs));
    } catch {
      problems.push(`${label(rel)}: not valid UTF-8 text`);
      continue;
    }
    files.push({ rel, abs, partName, content });
  }
  return files;
}
async function inspectSource(root, label) {
  const problems = [];
  const rootSt = await lstatOrUndefined(root);
  if (!rootSt || !(await stat2(root)).isDirectory()) throw new SourceError([`${label("")}: not a folder`]);
  const realRoot = await realpath(root);
  const layout = { root, cloudinit: [] };
  layout.cloudinit = await listCloudinit(realRoot, root, label, problems);
  for (const f of layout.cloudinit) {
    const check = checkCloudConfig(f.content, label(f.rel));
    problems.push(...check.problems);
    if (check.empty) f.content = "";
  }
  layout.cloudinit = layout.cloudinit.filter((f) => f.content !== "");
  if (await lstatOrUndefined(join3(root, "script"))) {
    await checkScriptTree(realRoot, root, "script", label, problems);
    for (const [rel, key] of [
      [COMPILE_SH, "compileSh"],
      [INSTALL_SH, "installSh"]
    ]) {
      const abs = join3(root, rel);
      const st = await stat2(abs).catch(() => void 0);
      if (!st) continue;
      if (!st.isFile()) problems.push(`${label(rel)}: must be a file`);
      else layout[key] = abs;
    }
  }
  const fsDir = join3(root, "fs");
  const fsSt = await lstatOrUndefined(fsDir);
  if (fsSt && (!fsSt.isSymbolicLink() || await checkLink(realRoot, fsDir, "fs", label, problems))) {
    if (!(await stat2(fsDir).catch(() => void 0))?.isDirectory())
      problems.push(`${label("fs")}: must be a folder`);
    else {
      layout.fsDir = fsDir;
      const replaced = [];
      for (const r of RESERVED_PARENTS) {
        if (replaced.some((p) => r.startsWith(`${p}/`))) continue;
        const st = await lstatOrUndefined(join3(fsDir, r));
        if (!st || st.isDirectory()) continue;
        replaced.push(r);
        problems.push(
          `${label(`fs/${r}`)}: must be a folder if present: this ${st.isSymbolicLink() ? "symlink" : "file"} would replace the instance's /${r} (amibake stages its files in /run and /var/run). Leave it out: every base image has /${r}`
        );
      }
      for (const r of RESERVED_FS_PATHS) {
        if (await existsNoFollow(fsDir, r))
          problems.push(
            `${label(`fs/${r}`)}: reserved path (amibake stages fs.tgz and install.sh there on the instance)`
          );
      }
    }
  }
  const amiEnv = join3(root, AMI_ENV);
  const amiSt = await lstatOrUndefined(amiEnv);
  if (amiSt && (!amiSt.isSymbolicLink() || await checkLink(realRoot, amiEnv, AMI_ENV, label, problems))) {
    if (!(await stat2(amiEnv)).isFile()) problems.push(`${label(AMI_ENV)}: must be a file`);
    else layout.amiEnv = amiEnv;
  }
  if (problems.length) throw new SourceError(problems);
  return layout;
}
var AMI_ENV_KEYS = ["NAME", "VERSION"];
async function readAmiEnv(path, label) {
  const l = label(AMI_ENV);
  if (!path)
    throw new SourceError([`${l}: missing (it must set NAME and VERSION, the AMI's name and version)`]);
  const text = await readFile(path, "utf8");
  let vars;
  try {
    vars = parseEnv(text, l);
  } catch (err) {
    throw new SourceError([err.message]);
  }
  const problems = [];
  const lineOf = (key) => {
    const i = text.split("\n").findIndex((line) => new RegExp(`^\\s*(export\\s+)?${key}=`).test(line));
    return i >= 0 ? `${l}:${i + 1}` : l;
  };
  const parsers = { NAME: OPTIONS.targetName.parse, VERSION: OPTIONS.targetVersion.parse };
  for (const key of AMI_ENV_KEYS) {
    if (vars[key] === void 0 || vars[key] === "") {
      problems.push(`${l}: ${key} is missing (the build stage names the AMI after NAME and VERSION)`);
      continue;
    }
    try {
      parsers[key](vars[key]);
    } catch (err) {
      problems.push(`${lineOf(key)}: ${key} ${err.message}`);
    }
  }
  if (problems.length) throw new SourceError(problems);
  return vars;
}

// src/compile/vars.ts
var VARS = {
  region: "AWSREGION",
  s3Url: "S3URL",
  name: "NAME",
  version: "VERSION",
  fsMode: "FS_MODE",
  fsSha256: "FS_SHA256",
  fsSize: "FS_SIZE",
  userdataSha256: "USERDATA_SHA256",
  preparedDigest: "PREPARED_DIGEST"
};
var RESERVED = new Set(Object.values(VARS));
var SHELL_NAMES = /^(PATH|IFS|HOME|SHELL|ENV|BASH|BASH_\w+|CDPATH|PS[1-4]|SHELLOPTS|BASHOPTS|PROMPT_COMMAND|OLDPWD|PWD|UID|EUID|PPID|GROUPS|RANDOM|SECONDS|LINENO|OPTIND|OPTARG|GLOBIGNORE|POSIXLY_CORRECT|TMOUT|HISTFILE|TMPDIR|LANG|LC_\w+|LD_\w+|DYLD_\w+|NODE_OPTIONS)$/;
var BUILD_PREFIXES = ["AWS_", "BUILDAMI_"];
function checkUserVars(vars, where, taken) {
  const problems = [];
  for (const key of Object.keys(vars)) {
    if (RESERVED.has(key) || key.startsWith("AMIBAKE_"))
      problems.push(`${where}: ${key} is set by amibake; choose another name`);
    else if (BUILD_PREFIXES.some((p) => key.startsWith(p)))
      problems.push(
        `${where}: ${key} would configure the build job that sources vars.env (AWS_* and BUILDAMI_* belong to the build job); choose another name`
      );
    else if (SHELL_NAMES.test(key))
      problems.push(`${where}: ${key} would change the shell that sources vars.env; choose another name`);
    else if (taken.has(key)) problems.push(`${where}: ${key} is already set by ami.env`);
  }
  return problems;
}
function renderVars(input) {
  const vars = { [VARS.region]: input.region };
  if (input.s3Url) vars[VARS.s3Url] = input.s3Url;
  vars[VARS.name] = input.ami.NAME;
  vars[VARS.version] = input.ami.VERSION;
  vars[VARS.fsMode] = input.fsMode;
  if (input.fsSha256) vars[VARS.fsSha256] = input.fsSha256;
  if (input.fsSize !== void 0) vars[VARS.fsSize] = String(input.fsSize);
  vars[VARS.userdataSha256] = input.userdataSha256;
  for (const [k, v] of Object.entries(input.ami)) if (!(k in vars)) vars[k] = v;
  for (const [k, v] of Object.entries(input.compiled)) vars[k] = v;
  const body = formatEnv(vars);
  const digest = preparedDigest({
    userdataSha256: input.userdataSha256,
    fsMode: input.fsMode,
    fsSha256: input.fsSha256
  });
  vars[VARS.preparedDigest] = digest;
  return { text: body + formatEnv({ [VARS.preparedDigest]: digest }), vars };
}

// src/compile/workdir.ts
import { spawn } from "node:child_process";
import { constants, readdirSync, readFileSync } from "node:fs";
import {
  chmod,
  copyFile,
  lstat as lstat3,
  mkdir,
  open,
  readdir as readdir3,
  readFile as readFile2,
  readlink as readlink2,
  stat as stat3,
  symlink
} from "node:fs/promises";
import { join as join4 } from "node:path";
var RESOLVED_TREES = /* @__PURE__ */ new Set(["cloudinit", "script"]);
var RESOLVED_TOP = /* @__PURE__ */ new Set([...RESOLVED_TREES, "fs", "ami.env"]);
async function copyEntry(src, dst, rel, follow, followBelow, label) {
  const lst = await lstat3(src);
  if (lst.isSymbolicLink() && !follow) {
    await symlink(await readlink2(src), dst);
    return;
  }
  const st = lst.isSymbolicLink() ? await stat3(src) : lst;
  if (st.isDirectory()) {
    await mkdir(dst);
    for (const name of await readdir3(src)) {
      const childRel = rel ? `${rel}/${name}` : name;
      const top = !rel;
      await copyEntry(
        join4(src, name),
        join4(dst, name),
        childRel,
        followBelow || top && RESOLVED_TOP.has(name),
        followBelow || top && RESOLVED_TREES.has(name),
        label
      );
    }
    await chmod(dst, st.mode & 4095);
  } else if (st.isFile()) {
    await copyFile(src, dst, constants.COPYFILE_FICLONE);
    await chmod(dst, st.mode & 4095);
  } else {
    throw new UserError(`${label(rel)}: not a regular file, directory or symlink`);
  }
}
async function copySource(source, work, label) {
  await copyEntry(source, work, "", true, false, label);
}
var VARS_FILE_ENV = "AMIBAKE_VARS";
var TAIL_LINES = 60;
var GROUP_GRACE_MS = 2e3;
var GROUP_GONE_MS = 5e3;
var PIPE_WAIT_MS = 1e3;
function signalGroup(pgid, sig) {
  try {
    process.kill(-pgid, sig);
  } catch {
  }
}
function groupAlive(pgid) {
  let names;
  try {
    names = readdirSync("/proc");
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat5;
    try {
      stat5 = readFileSync(`/proc/${name}/stat`, "latin1");
    } catch {
      continue;
    }
    const [state, , pgrp] = stat5.slice(stat5.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") return true;
  }
  return false;
}
async function waitGone(pgid, ms) {
  const deadline = Date.now() + ms;
  for (; ; ) {
    if (!groupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function endGroup(pgid, graceMs = GROUP_GRACE_MS) {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, "SIGTERM");
  if (await waitGone(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  await waitGone(pgid, GROUP_GONE_MS);
}
async function runCompileScript(input) {
  const { work, script, env, varsFile, logger, label, signal: abort } = input;
  abort?.throwIfAborted();
  await (await open(varsFile, "w", 384)).close();
  const head = Buffer.alloc(256);
  const fh = await open(script, "r");
  const { bytesRead } = await fh.read(head, 0, head.length, 0);
  await fh.close();
  const firstLine = head.subarray(0, bytesRead).toString("latin1").split("\n")[0];
  let cmd = "/bin/sh";
  let args = [script];
  if (firstLine.startsWith("#!")) {
    if (firstLine.endsWith("\r"))
      throw new UserError(
        `${label(COMPILE_SH)}:1: the #! line ends with a carriage return (Windows line endings): convert the file to LF line endings`
      );
    await chmod(script, (await stat3(script)).mode | 64);
    cmd = script;
    args = [];
  }
  const tail = [];
  let partial = "";
  const onData = (chunk) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      logger.info(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    }
  };
  const child = spawn(cmd, args, { cwd: work, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const pgid = child.pid;
  let killer;
  const stop = () => {
    if (!pgid) return;
    signalGroup(pgid, "SIGTERM");
    killer = setTimeout(() => signalGroup(pgid, "SIGKILL"), GROUP_GRACE_MS);
  };
  abort?.addEventListener("abort", stop, { once: true });
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const closed = new Promise((r) => child.on("close", () => r()));
  let ended;
  try {
    ended = await new Promise((resolve2, reject) => {
      child.on("error", (err) => {
        const interpreter = firstLine.startsWith("#!") ? firstLine.slice(2).trim() : cmd;
        const why = err.code === "ENOENT" ? `its interpreter (${interpreter}) was not found` : err.message;
        reject(new UserError(`${label(COMPILE_SH)}: could not run: ${why}`));
      });
      child.on("exit", (c, s) => resolve2({ code: c, signal: s }));
    });
  } finally {
    abort?.removeEventListener("abort", stop);
    clearTimeout(killer);
    if (pgid) await endGroup(pgid);
    let timer;
    await Promise.race([closed, new Promise((r) => timer = setTimeout(r, PIPE_WAIT_MS))]);
    clearTimeout(timer);
    child.stdout.destroy();
    child.stderr.destroy();
  }
  const { code, signal } = ended;
  if (partial) {
    logger.info(partial);
    tail.push(partial);
  }
  abort?.throwIfAborted();
  if (code !== 0) {
    const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
    const out = tail.length ? `; the end of its output:
${tail.join("\n")}` : " and printed nothing";
    throw new UserError(`${label(COMPILE_SH)} ${how}${out}`);
  }
  const text = await readFile2(varsFile, "utf8");
  try {
    return parseEnv(text, `${label(COMPILE_SH)}: $${VARS_FILE_ENV}`);
  } catch (err) {
    throw new UserError(err.message);
  }
}

// src/compile/prepare.ts
var USERDATA_FILE = "userdata.gz";
var FS_TGZ_FILE = "fs.tgz";
var VARS_FILE = "vars.env";
var USERDATA_BUDGET = USERDATA_LIMIT - BUILD_RESERVE;
function sha256(data) {
  return createHash2("sha256").update(data).digest("hex");
}
function isInside(parent, child) {
  const r = relative(parent, child);
  return r === "" || !r.startsWith("..") && !r.startsWith(sep2) && r !== "..";
}
function renderUserdata(user, generated) {
  const parts = [...user.map((f) => ({ filename: f.partName, content: f.content })), ...generated];
  parts.sort((a, b) => Buffer.compare(Buffer.from(a.filename), Buffer.from(b.filename)));
  return gzipUserdata(renderMultipart(parts));
}
async function moveInto(file, dir, name) {
  const dest = join5(dir, name);
  try {
    await rename(file, dest);
  } catch (err) {
    if (err.code !== "EXDEV") throw err;
    const tmp = join5(dir, `.${name}.amibake-tmp`);
    await copyFile2(file, tmp);
    await rename(tmp, dest);
    await unlink(file);
  }
}
async function prepare(input) {
  const { logger } = input;
  const front = input.front ?? "cli";
  const env = input.env ?? process.env;
  const source = input.source;
  const sourceAbs = resolve(source);
  const targetAbs = resolve(input.target);
  const label = (rel) => rel ? join5(source, rel) : source;
  const targetName = front === "cli" ? "TARGET" : nameOf("target", front);
  const warning = credentialWarning(env);
  if (warning) logger.warn(warning);
  let layout = await inspectSource(sourceAbs, label);
  const tstat = await stat4(targetAbs).catch(() => void 0);
  if (tstat && !tstat.isDirectory())
    throw new UserError(`${targetName}: ${input.target} exists and is not a folder`);
  for (const sub of ["cloudinit", "fs", "script"]) {
    if (isInside(join5(sourceAbs, sub), targetAbs))
      throw new UserError(`${targetName}: ${input.target} is inside the image source's ${sub}/`);
  }
  if (!layout.compileSh) await readAmiEnv(layout.amiEnv, label);
  const scratch = await mkdtemp(join5(tmpdir(), "amibake-prepare-"));
  try {
    const out = join5(scratch, "out");
    await mkdir2(out);
    let compiled = {};
    let amiLabel = label;
    const generatedBase = {
      fsMode: "none",
      region: input.awsRegion,
      s3Url: input.s3Url?.url
    };
    if (layout.compileSh) {
      const work = join5(scratch, "work");
      await copySource(sourceAbs, work, label);
      input.signal?.throwIfAborted();
      await mkdir2(join5(work, "cloudinit"), { recursive: true });
      const generated = generatedParts(generatedBase);
      for (const p of generated) await writeFile(join5(work, "cloudinit", p.filename), p.content);
      const varsFile = join5(scratch, "compile-vars.env");
      const compileEnv = {
        ...scrubbedEnv(env),
        AWSREGION: input.awsRegion,
        [VARS_FILE_ENV]: varsFile,
        AMIBAKE_SOURCE: sourceAbs,
        // The node that runs amibake, last: a compile.sh may use it wherever prepare runs.
        PATH: [env.PATH, dirname(process.execPath)].filter(Boolean).join(":")
      };
      delete compileEnv.S3URL;
      if (input.s3Url) compileEnv.S3URL = input.s3Url.url;
      compiled = await logger.group(
        `${label(COMPILE_SH)}`,
        () => runCompileScript({
          work,
          script: join5(work, COMPILE_SH),
          env: compileEnv,
          varsFile,
          logger,
          label,
          signal: input.signal
        })
      );
      for (const p of generated) await rm(join5(work, "cloudinit", p.filename), { force: true });
      const fromScript = (rel) => rel && !existsSync(join5(sourceAbs, rel)) ? `${join5(source, rel)} (written by ${label(COMPILE_SH)})` : label(rel);
      layout = await inspectSource(work, fromScript);
      const before = await readFile3(join5(sourceAbs, AMI_ENV)).catch(() => void 0);
      const after = layout.amiEnv ? await readFile3(layout.amiEnv) : void 0;
      if (before && after && !before.equals(after))
        amiLabel = (rel) => rel === AMI_ENV ? `${label(AMI_ENV)} (as ${label(COMPILE_SH)} left it)` : label(rel);
      else amiLabel = fromScript;
    }
    const ami = await readAmiEnv(layout.amiEnv, amiLabel);
    const amiExtra = Object.fromEntries(Object.entries(ami).filter(([k]) => k !== "NAME" && k !== "VERSION"));
    const problems = [
      ...checkUserVars(amiExtra, amiLabel(AMI_ENV), /* @__PURE__ */ new Set()),
      ...checkUserVars(compiled, `${label(COMPILE_SH)}: $${VARS_FILE_ENV}`, new Set(Object.keys(ami)))
    ];
    if (problems.length) throw new SourceError(problems);
    let fsResult;
    const fsTgz = join5(out, FS_TGZ_FILE);
    if (layout.fsDir || layout.installSh) {
      const fsLabel = (rel) => rel.startsWith("var/run/install.sh") ? label("script/install.sh") : label(`fs/${rel}`);
      const build = (level) => buildFsTgz({
        fsDir: layout.fsDir,
        installSh: layout.installSh,
        out: fsTgz,
        level,
        label: fsLabel,
        signal: input.signal
      });
      fsResult = await build(6);
      if (fsResult.entries === 0)
        fsResult = void 0;
      else if (fsResult.size <= USERDATA_BUDGET * 1.25) fsResult = await build(9);
    }
    let fsMode = fsResult ? "external" : "none";
    let userdata;
    const gen = (mode, inlineFs) => generatedParts({
      ...generatedBase,
      fsMode: mode,
      fsSha256: fsResult?.sha256,
      fsSize: fsResult?.size,
      inlineFs
    });
    if (fsResult && fsResult.size <= USERDATA_BUDGET) {
      const inline = renderUserdata(layout.cloudinit, gen("inline", await readFile3(fsTgz)));
      if (inline.length <= USERDATA_BUDGET) {
        fsMode = "inline";
        userdata = inline;
      }
    }
    if (!userdata) {
      userdata = renderUserdata(layout.cloudinit, gen(fsMode));
      if (userdata.length > USERDATA_BUDGET) {
        const biggest = [...layout.cloudinit].sort((a, b) => b.content.length - a.content.length).slice(0, 3).map((f) => `${label(f.rel)} (${Buffer.byteLength(f.content)} bytes)`);
        throw new UserError(
          `the user data is ${userdata.length} bytes gzip'd, more than the ${USERDATA_BUDGET} prepare may use (${USERDATA_LIMIT} minus ${BUILD_RESERVE} for the build stage). Move content from cloudinit/ into fs/ (files) or script/install.sh (commands). Largest cloud-config files: ${biggest.join(", ")}`
        );
      }
    }
    if (fsMode === "external" && !input.s3Url) {
      throw new UserError(
        `${nameOf("s3Url", front)}: is required: the files do not fit in the user data (fs.tgz is ${fsResult?.size} bytes; the whole user data may use ${USERDATA_BUDGET} bytes gzip'd), so the build stage stages fs.tgz in S3. Set it to s3://bucket/path/fs.tgz`
      );
    }
    const { text: varsText, vars } = renderVars({
      region: input.awsRegion,
      s3Url: input.s3Url?.url,
      ami,
      compiled,
      fsMode,
      fsSha256: fsResult?.sha256,
      fsSize: fsResult?.size,
      userdataSha256: sha256(userdata)
    });
    await writeFile(join5(out, USERDATA_FILE), userdata);
    await writeFile(join5(out, VARS_FILE), varsText);
    input.signal?.throwIfAborted();
    await mkdir2(targetAbs, { recursive: true });
    const names = [USERDATA_FILE, VARS_FILE, ...fsMode === "external" ? [FS_TGZ_FILE] : []];
    for (const name of names) await moveInto(join5(out, name), targetAbs, name);
    if (fsMode !== "external") await rm(join5(targetAbs, FS_TGZ_FILE), { force: true });
    const result = {
      target: targetAbs,
      files: names.map((n) => join5(targetAbs, n)),
      userdataPath: join5(targetAbs, USERDATA_FILE),
      varsPath: join5(targetAbs, VARS_FILE),
      fsTgzPath: fsMode === "external" ? join5(targetAbs, FS_TGZ_FILE) : void 0,
      sizes: { userdata: userdata.length, fsTgz: fsResult?.size, fsContent: fsResult?.contentBytes },
      fsMode,
      external: fsMode === "external",
      vars
    };
    logger.info(summary(result, input.target));
    return result;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
function summary(r, target) {
  const fs = r.fsMode === "none" ? "no files (no fs/ and no install.sh)" : `fs.tgz ${r.sizes.fsTgz} bytes (${r.sizes.fsContent} bytes of files) ${r.fsMode === "inline" ? "inline in the user data" : `external: ${join5(target, FS_TGZ_FILE)}, staged at ${r.vars.S3URL}`}`;
  return `prepared ${r.vars.NAME} ${r.vars.VERSION} in ${target}: userdata.gz ${r.sizes.userdata} of ${USERDATA_BUDGET} bytes; ${fs}; vars.env PREPARED_DIGEST=${r.vars.PREPARED_DIGEST}`;
}

export {
  FS_STAGE,
  prepare
};
