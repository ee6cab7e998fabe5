export const id = 489;
export const ids = [489];
export const modules = {

/***/ 2211:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  p1: () => (/* binding */ FS_STAGE),
  fx: () => (/* binding */ GENERATED_NAMES),
  Yv: () => (/* binding */ generatedParts)
});

// UNUSED EXPORTS: GENERATED, GUEST_SCRIPT, guestScript, preparedEnv

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/core/contract.ts
var contract = __webpack_require__(2013);
// EXTERNAL MODULE: ./src/core/envfile.ts
var envfile = __webpack_require__(5934);
;// CONCATENATED MODULE: ./src/compile/guest/amibake.sh
/* harmony default export */ const amibake = ("#!/bin/sh\n# amibake guest script, written to /run/amibake/amibake.sh by the prepared user data.\n#   fetch    (runcmd, priority 50) take the inline /var/run/fs.tgz or download the external one, check its sha256\n#   extract  (runcmd, priority 51) extract fs.tgz over / keeping existing directories and directory symlinks\n#   install  (runcmd, priority 51) run /var/run/install.sh\n#   log      (runcmd, priority 98) mark that runcmd reached its end and log the steps\n#   finish   (power_state condition, priority 99) once cloud-init has finished: decide the install status,\n#            after a successful install upload the package inventory, sanitise, upload result and log,\n#            print the one result line on the console; always exits 0 so that the instance powers off.\n# POSIX sh (dash). stage.env holds presigned URLs: never print a URL, never pass one on a command line.\n# No `set -e`/`set -u`: finish must reach its end whatever happens.\n# AMIBAKE_ROOT and AMIBAKE_CONSOLE move / and /dev/console (tests run this script against a temporary root).\n# Every function name has an underscore (step_install, not install): none shadows a command of the image.\n# Paths, AMIBAKE_* names, step names and status codes are those of src/core/contract.ts\n# (test/compile/guest-contract.test.ts reads this file and compares).\n\nR=${AMIBAKE_ROOT:-/}\nR=${R%/}\nD=$R/run/amibake\nSTEPS=$D/steps\nCONSOLE=${AMIBAKE_CONSOLE:-/dev/console}\nINSTALL=$R/var/run/install.sh\nRESULT_JSON=$R/run/cloud-init/result.json\n\nsay_line() { printf 'amibake: %s\\n' \"$*\"; }\n\n# Status codes: GUEST_STATUS in src/core/contract.ts, documented in the stage contract's table.\nOK=0 CLOUDINIT=1 DOWNLOAD=2 CHECKSUM=3 EXTRACT=4 INSTALL_FAILED=5 NOT_RUN=6 SANITISE=7\n\nrecord_step() { printf '%s %s\\n' \"$1\" \"$2\" >>\"$STEPS\"; }\n# The last recorded result of a step: a status, `skip`, or empty when the step never ran.\nresult_of() { [ -f \"$STEPS\" ] && sed -n \"s/^$1 //p\" \"$STEPS\" | tail -n 1; }\n# step_result NAME RC STATUS WHAT: the end of a step that ran a command: record STATUS when the\n# command failed (exit RC), else OK.\nstep_result() {\n  if [ \"$2\" -ne 0 ]; then\n    say_line \"$4 failed (exit $2)\"\n    record_step \"$1\" \"$3\"\n    return \"$3\"\n  fi\n  say_line \"$4 succeeded\"\n  record_step \"$1\" $OK\n}\nearlier_failure() { [ -f \"$STEPS\" ] && grep -q ' [1-9][0-9]*$' \"$STEPS\"; }\n\n# shellcheck source=/dev/null # written by the user data on the instance\nload_prepared() { [ -f \"$D/prepared.env\" ] && . \"$D/prepared.env\"; }\n# shellcheck source=/dev/null # written by the build's part of the user data\nload_stage() { [ -f \"$D/stage.env\" ] && . \"$D/stage.env\"; }\n\n# A large external fs.tgz goes to disk when tmpfs (/run) cannot hold it.\nfs_path() {\n  if [ \"${AMIBAKE_FS_MODE:-}\" = external ] && [ -n \"${AMIBAKE_FS_SIZE:-}\" ]; then\n    avail=$(df -Pk \"$R/run\" 2>/dev/null | awk 'NR == 2 { print $4 }')\n    if [ -n \"$avail\" ] && [ $((AMIBAKE_FS_SIZE / 1024 + 65536)) -gt \"$avail\" ]; then\n      echo \"$R/var/tmp/amibake-fs.tgz\"\n      return\n    fi\n  fi\n  echo \"$R/var/run/fs.tgz\"\n}\n\n# http_transfer METHOD URL FILE [CONTENT-TYPE]: GET into FILE or PUT FILE (with that Content-Type, which\n# a URL signed with one requires). curl, else python3. The URL goes through stdin\n# (curl's config) or the environment (python), never argv, and never into messages.\ncurl_config() { printf 'url = \"%s\"\\n' \"$(printf '%s' \"$1\" | sed 's/[\\\\\"]/\\\\&/g')\"; }\nCURL_OPTS='-sf --retry 5 --retry-delay 2 --retry-connrefused --connect-timeout 20 --max-time 1800'\n\nhttp_transfer() {\n  if command -v curl >/dev/null 2>&1; then\n    # shellcheck disable=SC2086 # CURL_OPTS is a list of options\n    if [ \"$1\" = GET ]; then\n      code=$(curl_config \"$2\" | curl -K - $CURL_OPTS -o \"$3\" -w '%{http_code}')\n    else\n      code=$(curl_config \"$2\" | curl -K - $CURL_OPTS ${4:+-H \"Content-Type: $4\"} -T \"$3\" -o /dev/null -w '%{http_code}')\n    fi\n    rc=$?\n    [ $rc -eq 0 ] || say_line \"curl failed (exit $rc, HTTP ${code:-none})\"\n    return $rc\n  fi\n  if command -v python3 >/dev/null 2>&1; then\n    AMIBAKE_URL=$2 python3 - \"$1\" \"$3\" \"${4:-application/octet-stream}\" <<'EOF'\nimport os, sys, time, urllib.error, urllib.request\nmethod, path, ctype = sys.argv[1], sys.argv[2], sys.argv[3]\nurl = os.environ.pop('AMIBAKE_URL')\nerr = 'no attempt'\nfor attempt in range(5):\n    if attempt:\n        time.sleep(attempt)\n    try:\n        if method == 'GET':\n            with urllib.request.urlopen(url, timeout=60) as r, open(path, 'wb') as f:\n                while True:\n                    chunk = r.read(1 << 20)\n                    if not chunk:\n                        break\n                    f.write(chunk)\n        else:\n            with open(path, 'rb') as f:\n                body = f.read()\n            req = urllib.request.Request(url, data=body, method='PUT', headers={'Content-Type': ctype})\n            urllib.request.urlopen(req, timeout=60).close()\n        sys.exit(0)\n    except urllib.error.HTTPError as e:\n        err = 'HTTP %d' % e.code\n        if e.code < 500:\n            break\n    except Exception as e:\n        err = type(e).__name__\nprint('amibake: python3 %s failed (%s)' % (method, err))\nsys.exit(1)\nEOF\n    return $?\n  fi\n  say_line \"neither curl nor python3 is available for HTTP\"\n  return 1\n}\n\nstep_fetch() {\n  mkdir -p \"$D\" && chmod 700 \"$D\"\n  load_prepared\n  load_stage\n  mode=${AMIBAKE_FS_MODE:-none}\n  fs=$(fs_path)\n  case $mode in\n  none)\n    say_line \"no files to install\"\n    record_step fetch $OK\n    return 0\n    ;;\n  inline)\n    if [ ! -s \"$fs\" ]; then\n      say_line \"the inline fs.tgz is missing\"\n      record_step fetch $DOWNLOAD\n      return $DOWNLOAD\n    fi\n    ;;\n  external)\n    rm -f \"$fs\"\n    if [ -n \"${AMIBAKE_FS_URL:-}\" ]; then\n      say_line \"downloading fs.tgz (${AMIBAKE_FS_SIZE:-?} bytes) from the presigned URL\"\n      http_transfer GET \"$AMIBAKE_FS_URL\" \"$fs\"\n    elif command -v aws >/dev/null 2>&1; then\n      say_line \"downloading ${AMIBAKE_S3URL:-} with the instance profile\"\n      aws s3 cp --only-show-errors --region \"${AMIBAKE_REGION:-}\" \"${AMIBAKE_S3URL:-}\" \"$fs\"\n    else\n      say_line \"no presigned URL for fs.tgz and no AWS CLI on this image\"\n      false\n    fi\n    rc=$?\n    if [ $rc -ne 0 ]; then\n      say_line \"fs.tgz download failed (exit $rc)\"\n      rm -f \"$fs\"\n      record_step fetch $DOWNLOAD\n      return $DOWNLOAD\n    fi\n    ;;\n  *)\n    say_line \"unknown fs mode '$mode'\"\n    record_step fetch $DOWNLOAD\n    return $DOWNLOAD\n    ;;\n  esac\n  sum=$(sha256sum <\"$fs\" | cut -d ' ' -f 1)\n  if [ \"$sum\" != \"${AMIBAKE_FS_SHA256:-}\" ]; then\n    say_line \"fs.tgz checksum mismatch: expected ${AMIBAKE_FS_SHA256:-?}, got $sum; nothing extracted\"\n    rm -f \"$fs\"\n    record_step fetch $CHECKSUM\n    return $CHECKSUM\n  fi\n  say_line \"fs.tgz verified (sha256 $sum)\"\n  record_step fetch $OK\n}\n\n# GNU tar 1.27 added --keep-directory-symlink; older tar (Amazon Linux 2: 1.26) extracts to a staging\n# folder that merge_tree() moves into place.\ntar_keeps_dir_symlinks() {\n  [ -z \"${AMIBAKE_TAR_FALLBACK:-}\" ] || return 1\n  v=$(tar --version 2>/dev/null | sed -n '1s/^tar (GNU tar) \\([0-9]*\\)\\.\\([0-9]*\\).*/\\1 \\2/p')\n  [ -n \"$v\" ] || return 1\n  # shellcheck disable=SC2086 # two numbers, split on purpose\n  set -- $v\n  [ \"$1\" -gt 1 ] || [ \"$2\" -ge 27 ]\n}\n\n# merge_tree STAGED TARGET: move the staged tree into TARGET. An existing directory, or a symlink to one\n# (/lib -> usr/lib, /var/run -> /run), is kept as it is (mode and owner included) and merged into.\n# No `local` (not POSIX): the recursion clobbers e and t, which is harmless because `for` keeps\n# its own list and neither is read after the recursive call.\nmerge_tree() {\n  for e in \"$1\"/* \"$1\"/.[!.]* \"$1\"/..?*; do\n    [ -e \"$e\" ] || [ -L \"$e\" ] || continue\n    t=$2/${e##*/}\n    if [ -d \"$e\" ] && [ ! -L \"$e\" ]; then\n      if [ -d \"$t\" ]; then\n        merge_tree \"$e\" \"$t\" || return 1\n        continue\n      fi\n      if [ -e \"$t\" ] || [ -L \"$t\" ]; then rm -f \"$t\" || return 1; fi\n    fi\n    mv -fT \"$e\" \"$t\" || return 1\n  done\n}\n\nstep_extract() {\n  load_prepared\n  if earlier_failure; then\n    say_line \"extract skipped: an earlier step failed\"\n    record_step extract skip\n    return 1\n  fi\n  if [ \"${AMIBAKE_FS_MODE:-none}\" = none ]; then\n    record_step extract $OK\n    return 0\n  fi\n  fs=$(fs_path)\n  if tar_keeps_dir_symlinks; then\n    tar -xzf \"$fs\" -C \"$R/\" --numeric-owner --no-overwrite-dir --keep-directory-symlink --touch\n    rc=$?\n  else\n    say_line \"extracting through a staging folder (tar without --keep-directory-symlink)\"\n    staged=$R/var/tmp/amibake-extract.$$\n    rm -rf \"$staged\" && mkdir -p \"$staged\" && chmod 700 \"$staged\" &&\n      tar -xzf \"$fs\" -C \"$staged\" --numeric-owner --touch && merge_tree \"$staged\" \"$R\"\n    rc=$?\n    rm -rf \"$staged\"\n  fi\n  rm -f \"$fs\"\n  step_result extract $rc $EXTRACT \"fs.tgz extraction\"\n}\n\nstep_install() {\n  if earlier_failure; then\n    say_line \"install.sh skipped: an earlier step failed\"\n    record_step install skip\n    rm -f \"$INSTALL\"\n    return 1\n  fi\n  if [ ! -f \"$INSTALL\" ]; then\n    record_step install $OK\n    return 0\n  fi\n  say_line \"running install.sh\"\n  chmod 700 \"$INSTALL\"\n  # /run (and /var/run) is mounted noexec on Debian and Ubuntu: run the script through the\n  # interpreter of its #! line (unquoted: `#!/usr/bin/env bash` is two words), sh without one.\n  interp=$(sed -n '1s/^#![[:space:]]*//p' \"$INSTALL\")\n  (cd \"$R/\" && exec ${interp:-/bin/sh} \"$INSTALL\") </dev/null\n  rc=$?\n  rm -f \"$INSTALL\"\n  step_result install $rc $INSTALL_FAILED install.sh\n}\n\nstep_log() {\n  record_step log $OK\n  say_line \"steps: $(tr '\\n' ' ' <\"$STEPS\")\"\n}\n\n# The install status: the first failing amibake step, else a step runcmd never reached, else what\n# cloud-init recorded in result.json (a failing module, a failing runcmd script).\ndecide_status() {\n  for step in fetch extract install log; do\n    r=$(result_of $step)\n    case $r in\n    0 | skip) ;;\n    '')\n      say_line \"the $step step never ran: a runcmd command before it stopped the script (exit), or runcmd did not run\"\n      status=$NOT_RUN\n      return\n      ;;\n    *)\n      say_line \"the $step step failed (status $r)\"\n      status=$r\n      return\n      ;;\n    esac\n  done\n  if [ ! -f \"$RESULT_JSON\" ]; then\n    say_line \"cloud-init recorded no result\"\n    status=$CLOUDINIT\n    return\n  fi\n  case $(tr -d ' \\t\\r\\n' <\"$RESULT_JSON\") in\n  *'\"errors\":[]'*) status=$OK ;;\n  *)\n    say_line \"cloud-init recorded errors:\"\n    cat \"$RESULT_JSON\"\n    status=$CLOUDINIT\n    ;;\n  esac\n}\n\n# Opt-out: /run/amibake/no-sanitize lists step names (or `all`), separated by spaces, commas or lines.\n# user_keeps STEP [ALIAS...]: the steps carry virt-sysprep's operation names; the names amibake used\n# before are accepted as aliases, so that an existing no-sanitize file keeps what it kept.\nuser_keeps() {\n  [ -f \"$D/no-sanitize\" ] || return 1\n  listed=\" $(tr ',\\n\\t\\r' '    ' <\"$D/no-sanitize\") \"\n  for name in all \"$@\"; do\n    case $listed in\n    *\" $name \"*)\n      say_line \"not sanitising: $1 (no-sanitize)\"\n      return 0\n      ;;\n    esac\n  done\n  return 1\n}\n\n# overwrite_files PATH: zeros over the regular files of PATH (a file or a tree), sizes and names kept.\n# Unlinking alone leaves the bytes in free blocks, which an EBS snapshot copies into the AMI.\n# Symlinks are never followed; find -xdev stays out of file systems mounted below PATH.\noverwrite_files() {\n  [ -n \"$SHRED\" ] || return 0\n  if [ -d \"$1\" ] && [ ! -L \"$1\" ]; then\n    find \"$1\" -xdev -type f -exec shred -n 0 -z {} + || return 1\n  elif [ -f \"$1\" ] && [ ! -L \"$1\" ]; then\n    shred -n 0 -z \"$1\" || return 1\n  fi\n}\n\n# wipe_paths PATH...: overwrite_files, then remove (paths that do not exist are skipped).\nwipe_paths() {\n  for w in \"$@\"; do\n    [ -e \"$w\" ] || [ -L \"$w\" ] || continue\n    overwrite_files \"$w\" || return 1\n    rm -rf \"$w\" || return 1\n  done\n}\n\nclean_cloud_init() {\n  # cloud-init keeps the user data (presigned URLs included) in plain files under\n  # /var/lib/cloud/instances, and its logs hold everything runcmd and install.sh printed\n  # (finish has copied the output log for the upload already). Overwrite them in place first.\n  for f in \"$R\"/var/lib/cloud/instances/*/* \"$R\"/var/lib/cloud/instances/*/*/* \\\n    \"$R\"/var/log/cloud-init.log* \"$R\"/var/log/cloud-init-output.log*; do\n    overwrite_files \"$f\" || return 1\n  done\n  sync\n  if [ -z \"$R\" ] && command -v cloud-init >/dev/null 2>&1; then\n    cloud-init clean --logs || return 1\n    rm -f \"$R\"/var/log/cloud-init.log.* \"$R\"/var/log/cloud-init-output.log.*\n    return\n  fi\n  # What `cloud-init clean --logs` removes, under another root.\n  for p in \"$R\"/var/lib/cloud/* \"$R\"/var/lib/cloud/.[!.]*; do\n    [ -e \"$p\" ] || [ -L \"$p\" ] || continue\n    [ \"${p##*/}\" = seed ] || rm -rf \"$p\" || return 1\n  done\n  rm -f \"$R\"/var/log/cloud-init.log* \"$R\"/var/log/cloud-init-output.log*\n}\n\n# virt-sysprep's logfiles globs, plus Debian's and Ubuntu's rsyslog files (syslog, debug) and\n# apt's logs (the install's commands). cloud-init's own logs belong to the cloud-init step.\nLOG_GLOBS='*.log* syslog* messages* debug* dmesg* cron* maillog* secure* spooler* audit/* mail/* apt/*'\n# Login records: emptied rather than removed, so that they keep their owner and mode (group utmp).\nLOGIN_RECORDS='wtmp* btmp* lastlog* tallylog* faillog*'\n\nclean_logfiles() {\n  for g in $LOG_GLOBS; do\n    for f in \"$R\"/var/log/$g; do\n      case ${f##*/} in cloud-init.log* | cloud-init-output.log*) continue ;; esac\n      wipe_paths \"$f\" || return 1\n    done\n  done\n  for g in $LOGIN_RECORDS; do\n    for f in \"$R\"/var/log/$g; do\n      if [ -f \"$f\" ] && [ ! -L \"$f\" ]; then\n        { overwrite_files \"$f\" && : >\"$f\"; } || return 1\n      fi\n    done\n  done\n  clean_journal\n}\n\nclean_journal() {\n  if [ -z \"$R\" ] && command -v journalctl >/dev/null 2>&1; then\n    # Archive what the journal holds, so that every file with build-time entries is closed.\n    journalctl --flush >/dev/null 2>&1\n    journalctl --rotate >/dev/null 2>&1\n    # The file just archived is younger than any --vacuum-time: remove the archives directly.\n    wipe_paths \"$R\"/var/log/journal/*/*@*.journal \"$R\"/var/log/journal/*/*.journal~\n    return\n  fi\n  wipe_paths \"$R\"/var/log/journal/*/*\n}\n\n# /tmp and /var/tmp, as virt-sysprep's tmp-files (the directories themselves stay, mode 1777).\nclean_tmp_files() {\n  for t in \"$R/tmp\" \"$R/var/tmp\"; do\n    if [ -d \"$t\" ] && [ ! -L \"$t\" ]; then\n      wipe_paths \"$t\"/* \"$t\"/.[!.]* \"$t\"/..?* || return 1\n    fi\n  done\n}\n\n# The leases of dhclient (Debian, Ubuntu: /var/lib/dhcp; Amazon Linux, RHEL: /var/lib/dhclient),\n# NetworkManager, dhcpcd and systemd-networkd (under /run, tmpfs, unless a distribution keeps them).\n# A new instance asks for its own lease; an old one only names the build's subnet and addresses.\nclean_dhcp_client_state() {\n  rm -rf \"$R\"/var/lib/dhcp/* \"$R\"/var/lib/dhclient/* \"$R\"/var/lib/NetworkManager/*.lease \\\n    \"$R\"/var/lib/NetworkManager/*.leases \"$R\"/var/lib/dhcpcd/* \"$R\"/var/lib/dhcpcd5/* \"$R\"/var/db/dhcpcd/* \\\n    \"$R\"/var/lib/systemd/network/leases/* \"$R\"/run/systemd/netif/leases/*\n}\n\n# The build key pair's public key, one per line: cloud-init's instance data (what its datasource\n# read from the instance metadata), else the instance metadata service itself (IMDSv2).\nbuild_keys() {\n  json=$R/run/cloud-init/instance-data.json\n  if [ -f \"$json\" ] && command -v python3 >/dev/null 2>&1; then\n    python3 - \"$json\" <<'EOF'\nimport json, sys\ntry:\n    with open(sys.argv[1]) as f:\n        keys = json.load(f).get('v1', {}).get('public_ssh_keys') or []\nexcept (OSError, ValueError, AttributeError):\n    keys = []\nfor k in keys if isinstance(keys, list) else [keys]:\n    if isinstance(k, str) and k.strip():\n        print(k.strip())\nEOF\n    return\n  fi\n  { [ -z \"$R\" ] && command -v curl >/dev/null 2>&1; } || return 0\n  token=$(curl -sf --connect-timeout 2 --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' \\\n    http://169.254.169.254/latest/api/token) || return 0\n  curl -sf --connect-timeout 2 --max-time 5 -H \"X-aws-ec2-metadata-token: $token\" \\\n    http://169.254.169.254/latest/meta-data/public-keys/0/openssh-key\n}\n\n# Only the build key pair's key leaves authorized_keys (virt-sysprep's ssh-userdir removes every\n# user's .ssh: keys the image source installed on purpose stay here). Without a key pair, nothing:\n# AMIBAKE_KEYPAIR (the key pair's name) is in stage.env only when the build launched with one.\nclean_ssh_userdir() {\n  [ -n \"${AMIBAKE_KEYPAIR:-}\" ] || return 0\n  # The key's base64 field, whatever options (root's `command=\"echo Please login as...\"`) precede it.\n  build_keys | awk '{ for (i = 1; i < NF; i++) if ($i ~ /^(ssh-|ecdsa-|sk-)/) { print $(i + 1); break } }' >\"$D/keys\"\n  if [ ! -s \"$D/keys\" ]; then\n    say_line \"the build key pair's public key is in neither cloud-init's instance data nor the instance metadata\"\n    return 1\n  fi\n  for f in \"$R\"/root/.ssh/authorized_keys \"$R\"/root/.ssh/authorized_keys2 \\\n    \"$R\"/home/*/.ssh/authorized_keys \"$R\"/home/*/.ssh/authorized_keys2; do\n    if [ ! -f \"$f\" ] || [ -L \"$f\" ]; then continue; fi\n    # Rewritten in place, so that the file keeps its owner and mode (grep -v exits 1 when no line is left).\n    { grep -vF -f \"$D/keys\" \"$f\" || [ $? -eq 1 ]; } >\"$D/authorized_keys\" || return 1\n    cat \"$D/authorized_keys\" >\"$f\" || return 1\n  done\n  rm -f \"$D/keys\" \"$D/authorized_keys\"\n  say_line \"removed the build key pair's key from authorized_keys\"\n}\n\n# sanitise_step NAME [ALIAS...] -- COMMAND...: run a sanitising step unless no-sanitize keeps it.\nsanitise_step() {\n  names=\n  while [ $# -gt 0 ] && [ \"$1\" != -- ]; do\n    names=\"$names $1\"\n    shift\n  done\n  shift\n  # shellcheck disable=SC2086 # the names are words\n  user_keeps $names && return 0\n  \"$@\" && return 0\n  say_line \"sanitising step failed: ${names# }\"\n  src=1\n}\n\nsanitise_image() {\n  src=0\n  SHRED=\n  if command -v shred >/dev/null 2>&1; then\n    SHRED=1\n  else\n    say_line \"shred is missing: files are deleted, not overwritten (their bytes stay in free blocks)\"\n  fi\n  # The staged files never stay, whatever no-sanitize says.\n  { rm -f \"$R/var/run/fs.tgz\" \"$R/var/tmp/amibake-fs.tgz\" \"$INSTALL\" && rm -rf \"$R\"/var/tmp/amibake-extract.*; } || src=1\n  # virt-sysprep's operation name first, then the name amibake used before (an alias).\n  sanitise_step ssh-userdir -- clean_ssh_userdir\n  sanitise_step cloud-init -- clean_cloud_init\n  sanitise_step machine-id -- clean_machine_id\n  sanitise_step ssh-hostkeys ssh-host-keys -- rm -f \"$R\"/etc/ssh/ssh_host_*key*\n  sanitise_step bash-history shell-history -- wipe_paths \"$R\"/root/.bash_history \"$R\"/root/.sh_history \"$R\"/root/.ash_history \\\n    \"$R\"/root/.zsh_history \"$R\"/root/.python_history \"$R\"/root/.lesshst \"$R\"/root/.viminfo \"$R\"/home/*/.bash_history\n  sanitise_step logfiles journal -- clean_logfiles\n  sanitise_step tmp-files -- clean_tmp_files\n  sanitise_step dhcp-client-state -- clean_dhcp_client_state\n  sync\n  [ $src -eq 0 ] && say_line \"image sanitised\"\n  return $src\n}\n\nclean_machine_id() {\n  if [ -e \"$R/etc/machine-id\" ]; then : >\"$R/etc/machine-id\" || return 1; fi\n  rm -f \"$R/var/lib/dbus/machine-id\"\n}\n\n# The package inventory: what the image's package manager says is installed, as CycloneDX 1.5 JSON.\n# It is the image's own report (made inside the image being baked): the build checks its shape, never\n# its truth. Each query reads the database under $R, so that a test's root is asked, not the host.\n# list_packages prints TYPE, then one `NAME<TAB>VERSION<TAB>ARCH<TAB>EPOCH` line per package.\nlist_packages() {\n  if command -v dpkg-query >/dev/null 2>&1; then\n    echo deb\n    dpkg-query --admindir=\"$R/var/lib/dpkg\" -W \\\n      -f '${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\n' >\"$D/dpkg\" || return 1\n    # Only packages whose status is installed (a removed package's config files stay in the database).\n    awk -F '\\t' -v OFS='\\t' 'substr($1, 2, 1) == \"i\" { print $2, $3, $4, \"\" }' \"$D/dpkg\"\n    rm -f \"$D/dpkg\"\n  elif command -v rpm >/dev/null 2>&1; then\n    echo rpm\n    rpm --root \"$R/\" -qa --qf '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{EPOCH}\\n'\n  elif command -v apk >/dev/null 2>&1; then\n    echo apk\n    # apk's database: `apk info -v` joins name and version with dashes that names contain too.\n    awk -v OFS='\\t' '/^P:/ { n = substr($0, 3) } /^V:/ { v = substr($0, 3) } /^A:/ { a = substr($0, 3) }\n      /^$/ { if (n != \"\") print n, v, a, \"\"; n = v = a = \"\" } END { if (n != \"\") print n, v, a, \"\" }' \\\n      \"$R/lib/apk/db/installed\"\n  else\n    say_line \"no dpkg-query, rpm or apk on this image\" >&2\n    return 1\n  fi\n}\n\n# sbom_json TYPE SERIAL TIMESTAMP: the package lines on stdin as the CycloneDX document. Names and\n# versions are restricted by every package manager, but `\"` and `\\` are escaped anyway, control\n# characters dropped, and the purl's parts percent-encoded.\nsbom_json() {\n  awk -F '\\t' -v type=\"$1\" -v serial=\"$2\" -v stamp=\"$3\" -v osr=\"$R/etc/os-release\" '\n  # Character by character: awks disagree on backslashes in a gsub replacement.\n  function esc(s,    out, i, c) {\n    out = \"\"\n    for (i = 1; i <= length(s); i++) {\n      c = substr(s, i, 1)\n      if (c == \"\\\\\" || c == \"\\\"\") out = out \"\\\\\" c\n      else if (!(c in ctl)) out = out c\n    }\n    return out\n  }\n  function pct(s,    out, i, c) {\n    out = \"\"\n    for (i = 1; i <= length(s); i++) {\n      c = substr(s, i, 1)\n      if (c ~ /[A-Za-z0-9.+~:_-]/) out = out c\n      else if (c in ord) out = out sprintf(\"%%%02X\", ord[c])\n    }\n    return out\n  }\n  function unquote(s) { sub(/^[\"\\047]/, \"\", s); sub(/[\"\\047]$/, \"\", s); return s }\n  function field(k, v) { return (v == \"\" ? \"\" : sprintf(\",\\\"%s\\\":\\\"%s\\\"\", k, esc(v))) }\n  BEGIN {\n    for (i = 32; i < 127; i++) ord[sprintf(\"%c\", i)] = i\n    for (i = 1; i < 32; i++) ctl[sprintf(\"%c\", i)] = 1\n    ctl[sprintf(\"%c\", 127)] = 1\n    while ((getline line < osr) > 0) {\n      k = line; sub(/=.*/, \"\", k); v = line; sub(/^[^=]*=/, \"\", v)\n      os[k] = unquote(v)\n    }\n    distro = tolower(os[\"ID\"] == \"\" ? \"linux\" : os[\"ID\"])\n    printf \"{\\\"bomFormat\\\":\\\"CycloneDX\\\",\\\"specVersion\\\":\\\"1.5\\\"\"\n    if (serial != \"\") printf \",\\\"serialNumber\\\":\\\"urn:uuid:%s\\\"\", esc(serial)\n    printf \",\\\"version\\\":1,\\\"metadata\\\":{\\\"timestamp\\\":\\\"%s\\\"\", esc(stamp)\n    printf \",\\\"tools\\\":{\\\"components\\\":[{\\\"type\\\":\\\"application\\\",\\\"name\\\":\\\"amibake\\\"}]}\"\n    printf \",\\\"component\\\":{\\\"type\\\":\\\"operating-system\\\",\\\"name\\\":\\\"%s\\\"\", esc(distro)\n    printf \"%s%s}},\\\"components\\\":[\", field(\"version\", os[\"VERSION_ID\"]), field(\"description\", os[\"PRETTY_NAME\"])\n    n = 0\n  }\n  NF >= 3 && $1 != \"\" && $2 != \"\" {\n    name = $1; version = $2; arch = $3; epoch = $4\n    if (epoch == \"(none)\") epoch = \"\"\n    if (arch == \"(none)\") arch = \"\"\n    purl = \"pkg:\" type \"/\" pct(distro) \"/\" pct(name) \"@\" pct(version)\n    q = \"?\"\n    if (arch != \"\") { purl = purl q \"arch=\" pct(arch); q = \"&\" }\n    if (epoch != \"\") { purl = purl q \"epoch=\" pct(epoch); version = epoch \":\" version }\n    printf \"%s{\\\"type\\\":\\\"library\\\",\\\"name\\\":\\\"%s\\\",\\\"version\\\":\\\"%s\\\",\\\"purl\\\":\\\"%s\\\"}\", (n++ ? \",\" : \"\"), esc(name), esc(version), esc(purl)\n  }\n  END { printf \"]}\\n\" }'\n}\n\n# write_sbom: the inventory to $D/sbom.json (tmpfs: it never reaches the image), then its upload. A\n# failure is only said: the inventory never fails the bake.\nwrite_sbom() {\n  if [ -z \"${AMIBAKE_SBOM_URL:-}\" ]; then\n    say_line \"no URL for the package inventory (the build has no S3 location): SBOM skipped\"\n    return 0\n  fi\n  serial=$(cat /proc/sys/kernel/random/uuid 2>/dev/null)\n  stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)\n  { list_packages >\"$D/packages\" && read -r kind <\"$D/packages\" &&\n    sed 1d \"$D/packages\" | sbom_json \"$kind\" \"$serial\" \"$stamp\" >\"$D/sbom.json\"; } ||\n    {\n      say_line \"could not list the installed packages: SBOM skipped\"\n      rm -f \"$D/packages\" \"$D/dpkg\" \"$D/sbom.json\"\n      return 0\n    }\n  say_line \"package inventory: $(($(wc -l <\"$D/packages\") - 1)) $kind packages\"\n  rm -f \"$D/packages\"\n  # The URL is signed with this content type: S3 refuses the upload with any other.\n  http_transfer PUT \"$AMIBAKE_SBOM_URL\" \"$D/sbom.json\" application/vnd.cyclonedx+json ||\n    say_line \"could not upload the package inventory\"\n  rm -f \"$D/sbom.json\"\n}\n\nstep_finish() {\n  trap '' PIPE\n  mkdir -p \"$D\"\n  log=$D/install.log\n  n=${AMIBAKE_RESULT_WAIT:-300}\n  while [ ! -e \"$RESULT_JSON\" ] && [ \"$n\" -gt 0 ]; do\n    sleep 1\n    n=$((n - 1))\n  done\n  # The install log: cloud-init's output, then what finish says (it runs where stdout may be a closed pipe).\n  if [ -f \"$R/var/log/cloud-init-output.log\" ]; then cp \"$R/var/log/cloud-init-output.log\" \"$log\"; else : >\"$log\"; fi\n  exec >>\"$log\" 2>&1\n  printf '\\n'\n  say_line \"finishing\"\n  load_prepared\n  load_stage\n  decide_status\n  [ \"$status\" -eq $OK ] && write_sbom\n  if ! sanitise_image && [ \"$status\" -eq $OK ]; then\n    say_line \"sanitising failed\"\n    status=$SANITISE\n  fi\n  say_line \"install status $status\"\n  if [ -n \"${AMIBAKE_RESULT_URL:-}\" ]; then\n    printf 'status=%s\\n' \"$status\" >\"$D/result\"\n    http_transfer PUT \"$AMIBAKE_RESULT_URL\" \"$D/result\" || say_line \"could not upload the result\"\n  fi\n  if [ -n \"${AMIBAKE_LOG_URL:-}\" ]; then\n    cp \"$log\" \"$D/install.log.sent\"\n    http_transfer PUT \"$AMIBAKE_LOG_URL\" \"$D/install.log.sent\" || say_line \"could not upload the install log\"\n    rm -f \"$D/install.log.sent\"\n  fi\n  line=\"AMIBAKE-RESULT status=$status\"\n  if ! { printf '%s\\n' \"$line\" >\"$CONSOLE\"; } 2>/dev/null; then\n    printf '%s\\n' \"$line\" >&3\n  fi\n}\n\ncase ${1:-} in\nfetch | extract | install | log)\n  mkdir -p \"$D\"\n  \"step_$1\"\n  ;;\nfinish)\n  exec 3>&1\n  step_finish\n  exit 0\n  ;;\n*)\n  echo \"usage: $0 fetch|extract|install|log|finish\" >&2\n  exit 2\n  ;;\nesac\n");

;// CONCATENATED MODULE: ./src/compile/generated.ts
/**
 * The cloud-config files prepare generates for the spec's events: FS download (50), FS extract and
 * install.sh (51), log copy (98), shutdown (99). They all drive the guest script (guest/amibake.sh).
 */




/** The guest script and the staged fs.tgz on the instance: the contract's paths (core/contract.ts). */
const GUEST_SCRIPT = contract/* GUEST_SCRIPT_PATH */.td;
const FS_STAGE = contract/* FS_STAGE_PATH */.DK;
const GENERATED = {
    fetch: '50_amibake-fetch.cfg',
    install: '51_amibake-install.cfg',
    log: '98_amibake-log.cfg',
    shutdown: '99_amibake-shutdown.cfg',
};
const GENERATED_NAMES = Object.values(GENERATED);
/** The guest script as it travels: comment lines and blank lines cost user data bytes. */
function guestScript() {
    const body = amibake.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
    return ['#!/bin/sh', ...body].join('\n') + '\n';
}
function render(comment, config) {
    return `#cloud-config\n# ${comment}\n${(0,dist/* stringify */.As)(config, { lineWidth: 0 })}`;
}
const step = (name) => ['/bin/sh', GUEST_SCRIPT, name];
function preparedEnv(input) {
    const vars = {
        [contract/* PREPARED_VARS */.vq.fsMode]: input.fsMode,
        [contract/* PREPARED_VARS */.vq.region]: input.region,
    };
    if (input.fsSha256)
        vars[contract/* PREPARED_VARS */.vq.fsSha256] = input.fsSha256;
    if (input.fsSize !== undefined)
        vars[contract/* PREPARED_VARS */.vq.fsSize] = String(input.fsSize);
    if (input.s3Url)
        vars[contract/* PREPARED_VARS */.vq.s3Url] = input.s3Url;
    return (0,envfile/* formatEnv */.R_)(vars);
}
function generatedParts(input) {
    const writeFiles = [
        { path: GUEST_SCRIPT, permissions: '0700', content: guestScript() },
        { path: contract/* PREPARED_ENV */.E9, permissions: '0600', content: preparedEnv(input) },
    ];
    if (input.fsMode === 'inline') {
        if (!input.inlineFs)
            throw new Error('inline fs mode without fs.tgz');
        writeFiles.push({
            path: FS_STAGE,
            permissions: '0600',
            encoding: 'b64',
            content: input.inlineFs.toString('base64'),
        });
    }
    return [
        {
            filename: GENERATED.fetch,
            content: render('amibake: FS download (priority 50)', {
                write_files: writeFiles,
                runcmd: [step('fetch')],
            }),
        },
        {
            filename: GENERATED.install,
            content: render('amibake: FS extract, then install.sh (priority 51)', {
                runcmd: [step('extract'), step('install')],
            }),
        },
        {
            filename: GENERATED.log,
            content: render('amibake: log copy (priority 98); finish uploads the log once cloud-init is done', {
                runcmd: [step('log')],
            }),
        },
        {
            filename: GENERATED.shutdown,
            content: render('amibake: shutdown (priority 99). The condition runs once cloud-init has finished: it reports the install status, sanitises, and always lets the instance power off.', {
                power_state: {
                    mode: 'poweroff',
                    delay: 'now',
                    message: 'amibake: install finished, powering off',
                    // Seconds cloud-init's final stage may take to exit before the condition runs anyway.
                    timeout: 600,
                    condition: `/bin/sh ${GUEST_SCRIPT} finish; exit 0`,
                },
            }),
        },
    ];
}


/***/ }),

/***/ 6503:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  WF: () => (/* binding */ NeedsS3Error),
  iA: () => (/* binding */ prepare)
});

// UNUSED EXPORTS: FS_TGZ_FILE, USERDATA_BUDGET, USERDATA_FILE, VARS_FILE

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/core/contract.ts
var contract = __webpack_require__(2013);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: ./src/core/userdata.ts
var core_userdata = __webpack_require__(4808);
;// CONCATENATED MODULE: ./src/compile/credentials.ts
/** The prepare job should hold no cloud credentials (the spec's separation of stages): warn when it
 *  does, and never hand them to compile.sh. */


/** Variables that carry AWS credentials or let a process obtain them. */
const CREDENTIAL_VARS = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_SECURITY_TOKEN',
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];
/** A GitHub job with `permissions: id-token: write` can mint OIDC credentials. */
const OIDC_VARS = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
/** Shared credentials files the SDKs and the CLI would read (the variable's, else ~/.aws's). */
function credentialFiles(env) {
    const files = [env.AWS_SHARED_CREDENTIALS_FILE, env.HOME && (0,external_node_path_.join)(env.HOME, '.aws', 'credentials')];
    return [...new Set(files.filter((f) => Boolean(f) && f !== '/dev/null' && isFile(f)))];
}
function isFile(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isFile();
    }
    catch {
        return false;
    }
}
function credentialsPresent(env) {
    return [...CREDENTIAL_VARS, ...OIDC_VARS.slice(0, 1)].filter((k) => env[k]);
}
function credentialWarning(env) {
    const found = [
        ...credentialsPresent(env).map((k) => (OIDC_VARS.includes(k) ? `${k} (id-token: write)` : k)),
        ...credentialFiles(env),
    ];
    if (!found.length)
        return undefined;
    const what = found.join(', ');
    return (`the prepare environment holds cloud credentials (${what}). Prepare needs none: run it in a job ` +
        `without AWS credentials or id-token permission and keep them for the build job. compile.sh does not get them.`);
}
/** The environment compile.sh runs with: the caller's, less anything that grants AWS access; the
 *  SDKs and the CLI are also kept from shared credential files and the instance metadata service. */
function scrubbedEnv(env) {
    const out = {};
    for (const [k, v] of Object.entries(env)) {
        if (k.startsWith('AWS_') || OIDC_VARS.includes(k) || k === 'ACTIONS_RUNTIME_TOKEN')
            continue;
        out[k] = v;
    }
    out.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
    out.AWS_CONFIG_FILE = '/dev/null';
    out.AWS_EC2_METADATA_DISABLED = 'true';
    return out;
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(6118);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
var external_node_zlib_default = /*#__PURE__*/__webpack_require__.n(external_node_zlib_);
;// CONCATENATED MODULE: ./src/compile/pgzip.ts
/**
 * Parallel gzip, pigz-style: one gzip member whose deflate stream is compressed in fixed blocks at
 * once on the libuv thread pool (Node's async zlib calls run there), so deflate uses every core
 * without worker threads.
 *
 * Reproducible whatever the number of cores or the timing: the input is cut at fixed offsets
 * (every BLOCK bytes, not where the writes happened to end), each block is deflated raw with the
 * 32 KiB of input before it as its dictionary (so matches still reach back across the cut, as one
 * deflate stream's would), and ends with a sync flush (an empty stored block that byte-aligns it)
 * except the last, which ends the stream. The blocks, concatenated in order, are one valid deflate
 * stream: any gunzip reads it. The header has no timestamp and no name; CRC-32 and size are over
 * the whole input.
 */



/** Input bytes per deflate block. Small enough to spread over the cores and to bound memory, large
 *  enough that the per-block costs (a zlib state, its 32 KiB dictionary hashed again, a thread-pool
 *  round trip, the 5 bytes of each sync flush) stay small: 512 KiB took 5% less CPU than pigz's
 *  128 KiB on bench/prepare.mjs's tree. Changing it changes the archive's bytes. */
const BLOCK = 512 << 10;
/** deflate's window: the most a match can reach back, so the most of a dictionary that counts. */
const WINDOW = 32 << 10;
/** CRC-32 (the gzip trailer's): zlib.crc32 from Node 20.15 and 22.2; a table before. */
const crc32 = typeof (external_node_zlib_default()).crc32 === 'function' ? (external_node_zlib_default()).crc32 : tableCrc32;
let table;
/** Exported for the tests. */
function tableCrc32(data, prev) {
    if (!table) {
        table = new Int32Array(256);
        for (let n = 0; n < 256; n++) {
            let c = n;
            for (let k = 0; k < 8; k++)
                c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
            table[n] = c;
        }
    }
    let c = ~prev;
    for (let i = 0; i < data.length; i++)
        c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    return ~c >>> 0;
}
/** The 10-byte header zlib's gzip writes (no name, no timestamp; XFL from the level, OS Unix), so
 *  the header is the one fs.tgz always had. */
function header(level) {
    const xfl = level === 9 ? 2 : level < 2 ? 4 : 0;
    return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3]);
}
function deflateBlock(block, dictionary, level, last) {
    return new Promise((resolve, reject) => {
        external_node_zlib_default().deflateRaw(block, {
            level,
            ...(dictionary ? { dictionary } : {}),
            finishFlush: last ? (external_node_zlib_default()).constants.Z_FINISH : (external_node_zlib_default()).constants.Z_SYNC_FLUSH,
            // Room for the whole block's output (deflate's worst case is a few bytes per 16 KiB over
            // the input), so each block is one trip to the thread pool.
            chunkSize: BLOCK + (BLOCK >> 4) + 1024,
        }, (err, out) => (err ? reject(err) : resolve(out)));
    });
}
/** A Transform from bytes to their gzip, compressed in parallel (see the module comment). */
class ParallelGzip extends external_node_stream_.Transform {
    level;
    inFlight;
    pending = [];
    pendingBytes = 0;
    previous;
    /** Blocks submitted and not yet pushed, in input order. */
    queue = [];
    crc = 0;
    isize = 0;
    started = false;
    constructor(opts = {}) {
        super();
        this.level = opts.level ?? 6;
        this.inFlight = opts.inFlight ?? Math.max(2, 2 * (0,external_node_os_.availableParallelism)());
    }
    _transform(chunk, _enc, cb) {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        this.drain(false).then(() => cb(), cb);
    }
    _flush(cb) {
        this.drain(true).then(() => {
            const trailer = Buffer.alloc(8);
            trailer.writeUInt32LE(this.crc >>> 0, 0);
            trailer.writeUInt32LE(this.isize >>> 0, 4);
            cb(null, trailer);
        }, cb);
    }
    /** Submits every whole block (and, at the end, the rest as the last block), waiting for the
     *  oldest whenever as many as inFlight are being compressed. */
    async drain(end) {
        if (!this.started) {
            this.started = true;
            this.push(header(this.level));
        }
        while (this.pendingBytes >= BLOCK || end) {
            const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
            // Exactly BLOCK bytes, unless this is the last block; a final empty block (input of a whole
            // number of blocks, or none) just ends the stream.
            const last = end && all.length <= BLOCK;
            const block = all.subarray(0, last ? all.length : BLOCK);
            const rest = all.subarray(block.length);
            this.pending = rest.length ? [rest] : [];
            this.pendingBytes = rest.length;
            // Not with an empty block: zlib's crc32 of a null buffer (an empty Buffer's may be) is 0,
            // its way of giving the initial value.
            if (block.length)
                this.crc = crc32(block, this.crc);
            this.isize = (this.isize + block.length) % 2 ** 32;
            const dict = this.previous?.subarray(Math.max(0, this.previous.length - WINDOW));
            const deflated = deflateBlock(block, dict, this.level, last);
            // Awaited in order below; a failure behind one that is thrown first must not go unhandled.
            deflated.catch(() => undefined);
            this.queue.push(deflated);
            this.previous = block;
            while (this.queue.length >= this.inFlight || (last && this.queue.length)) {
                this.push(await this.queue.shift());
            }
            if (last)
                return;
        }
    }
}

;// CONCATENATED MODULE: ./src/compile/fstgz.ts
/**
 * fs.tgz: the image files (`fs/` as the image root) plus install.sh, as a gzip'd ustar/pax archive
 * built by tar-stream and zlib, streamed file by file so memory stays flat whatever the tree size.
 * Reproducible: entries in byte order of their names (depth first), one fixed mtime, owner 0:0
 * (root/root) whatever the owner on disk, no hard links, gzip header without a timestamp, deflate
 * in fixed blocks (pgzip.ts: parallel, and the same bytes whatever the number of cores).
 * Modes are kept exactly, setuid/setgid/sticky included; symlinks are stored as symlinks, never followed.
 *
 * Why tar-stream and not node-tar (`tar` 7), measured by bench/fstgz-writers.mjs (BENCHMARKS.md): node-tar
 * is no faster here (0.94x the time, within the noise) and cannot write this archive: it has no way to
 * name the group (gname stays empty where fs.tgz says root), puts atime and ctime in the ustar prefix
 * field, and formats the numeric fields otherwise, so every header and the archive's digest would change.
 */










/** Where install.sh travels in the archive: the contract's guest path, relative to the root
 *  (the spec's reserved path; /var/run is /run, tmpfs). */
const INSTALL_SH_PATH = contract/* INSTALL_SH_GUEST_PATH */.jj.slice(1);
/** Paths in fs/ that the guest uses for its own staged files. */
const RESERVED_FS_PATHS = [
    'var/run/fs.tgz',
    INSTALL_SH_PATH,
    'run/fs.tgz',
    'run/install.sh',
    'run/amibake',
];
const S_IFMT = 0o170000;
/**
 * Files up to this size are read in one synchronous call, and the walk's lstat is synchronous: a
 * system call each (microseconds, from the page cache), where each promise-based call is a round
 * trip through the libuv thread pool, queued behind the deflate blocks that keep that pool busy
 * (pgzip.ts). Per file, those round trips (lstat, open, read, close) left the event loop idle half
 * the time on a tree of 4,000 files. Larger files are streamed, so memory stays bounded.
 */
const SMALL_FILE = 256 << 10;
/** fs/ is read in place when there is no compile.sh (no copy): a file replaced by a symlink after
 *  the walk saw a file is refused as changed, never followed out of fs/. */
const READ_NOFOLLOW = external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW;
const BUFFER = 2 << 20;
const MODE_BITS = 0o7777;
function byteOrder(a, b) {
    return Buffer.compare(a, b);
}
/** Depth-first walk in byte order of names; directories before their content. */
async function* walk(root, rel, label) {
    const dir = rel ? (0,external_node_path_.join)(root, rel) : root;
    const names = (await (0,promises_.readdir)(dir, { encoding: 'buffer' })).sort(byteOrder);
    for (const raw of names) {
        const name = raw.toString('utf8');
        const childRel = rel ? `${rel}/${name}` : name;
        if (!Buffer.from(name, 'utf8').equals(raw))
            throw new errors/* UserError */.yo(`${label(childRel)}: file name is not valid UTF-8`);
        const abs = (0,external_node_path_.join)(root, childRel);
        const st = (0,external_node_fs_.lstatSync)(abs); // synchronous: see SMALL_FILE
        const mode = st.mode & (S_IFMT | MODE_BITS);
        if (st.isDirectory()) {
            yield { rel: childRel, abs, mode, size: 0, type: 'directory' };
            yield* walk(root, childRel, label);
        }
        else if (st.isFile()) {
            yield { rel: childRel, abs, mode, size: st.size, type: 'file' };
        }
        else if (st.isSymbolicLink()) {
            yield { rel: childRel, abs, mode, size: 0, type: 'symlink' };
        }
        else {
            throw new errors/* UserError */.yo(`${label(childRel)}: not a regular file, directory or symlink (devices, sockets and FIFOs cannot be archived)`);
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
    const mtime = new Date((opts.mtime ?? defaultMtime()) * 1000);
    // Buffers let reading (and the many small stat/open calls) run ahead while zlib compresses: the
    // pipeline then runs at the speed of deflate. Bounded, so memory does not grow with the tree.
    const pack = tar_stream.pack({ highWaterMark: BUFFER });
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const tap = new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            hash.update(chunk);
            size += chunk.length;
            cb(null, chunk);
        },
    });
    // Deflate in fixed blocks on the thread pool, every core at once, same bytes whatever their number.
    const written = (0,external_node_stream_promises_.pipeline)(pack, new ParallelGzip({ level: opts.level ?? 6 }), tap, (0,external_node_fs_.createWriteStream)(opts.out));
    let entries = 0;
    let contentBytes = 0;
    const add = (e, name) => new Promise((resolve, reject) => {
        const header = {
            name: e.type === 'directory' ? `${name}/` : name,
            type: e.type,
            // With the file type bits the mode is never 0, which tar-stream would replace by a default.
            mode: e.mode,
            size: e.size,
            mtime,
            uid: 0,
            gid: 0,
            uname: 'root',
            gname: 'root',
        };
        const done = (err) => {
            if (!err)
                return resolve();
            reject(/size mismatch/i.test(err.message) || err.code === 'ELOOP'
                ? new errors/* UserError */.yo(`${label(e.rel)}: changed while it was being archived`)
                : err);
        };
        if (e.type === 'symlink') {
            (0,promises_.readlink)(e.abs).then((target) => {
                pack.entry({ ...header, linkname: target }, done);
            }, reject);
            return;
        }
        if (e.type === 'directory' || e.size === 0) {
            if (e.type === 'file')
                pack.entry(header, Buffer.alloc(0), done);
            else
                pack.entry(header, done);
            return;
        }
        if (e.size <= SMALL_FILE) {
            let content;
            try {
                const fd = (0,external_node_fs_.openSync)(e.abs, e.follow ? external_node_fs_.constants.O_RDONLY : READ_NOFOLLOW);
                try {
                    content = (0,external_node_fs_.readFileSync)(fd);
                }
                finally {
                    (0,external_node_fs_.closeSync)(fd);
                }
            }
            catch (err) {
                return done(err);
            }
            // A file that changed after the walk measured it (the streamed path's size mismatch).
            if (content.length !== e.size)
                return done(new Error('size mismatch'));
            pack.entry(header, content, done);
            return;
        }
        const sink = pack.entry(header, done);
        sink.on('error', done);
        (0,promises_.open)(e.abs, e.follow ? external_node_fs_.constants.O_RDONLY : READ_NOFOLLOW).then((fh) => {
            const rs = fh.createReadStream({ end: e.size - 1, highWaterMark: 1 << 20 });
            rs.on('error', (err) => sink.destroy(err));
            rs.pipe(sink);
        }, done);
    });
    try {
        if (opts.fsDir) {
            for await (const e of walk(opts.fsDir, '', label)) {
                opts.signal?.throwIfAborted();
                if (isReserved(e.rel))
                    throw new errors/* UserError */.yo(`${label(e.rel)}: reserved path (amibake stages fs.tgz and install.sh there on the instance)`);
                await add(e, e.rel);
                entries++;
                contentBytes += e.size;
            }
        }
        if (opts.installSh) {
            const st = await (0,promises_.stat)(opts.installSh);
            await add({
                rel: INSTALL_SH_PATH,
                abs: opts.installSh,
                mode: (st.mode & S_IFMT) | 0o700,
                size: st.size,
                type: 'file',
                follow: true,
            }, INSTALL_SH_PATH);
            entries++;
            contentBytes += st.size;
        }
        pack.finalize();
    }
    catch (err) {
        pack.destroy(err);
        await written.catch(() => undefined);
        throw err;
    }
    await written;
    return { sha256: hash.digest('hex'), size, entries, contentBytes };
}

// EXTERNAL MODULE: ./src/compile/generated.ts + 1 modules
var compile_generated = __webpack_require__(2211);
// EXTERNAL MODULE: ./src/core/envfile.ts
var envfile = __webpack_require__(5934);
// EXTERNAL MODULE: ./src/core/parse.ts
var parse = __webpack_require__(1896);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/compile/cloudconfig.ts
/** Checks a user cloud-config file the way prepare can without cloud-init: YAML that parses, one
 *  mapping, and none of the keys amibake owns. The checks read the file as cloud-init's PyYAML
 *  (YAML 1.1) does: aliases followed, merge keys (`<<`) applied in PyYAML's order, so that a key
 *  merged in is checked like a key written out. Alias expansion is bounded (an alias bomb would
 *  make every reader of the file expand it). Errors name the file and line. */



/** Keys a user file may not set, and why. */
const OWNED_KEYS = {
    power_state: 'is set by amibake, which powers the instance off once the install result is known (see "Stage contract"); remove it',
    merge_how: 'is not allowed: amibake merges every file the same way (lists appended in priority order, mappings merged)',
    merge_type: 'is not allowed: amibake merges every file the same way (lists appended in priority order, mappings merged)',
};
/** Keys amibake's own files set as lists: cloud-init appends a list to a list, but a file that sets
 *  one of these to anything else keeps it, and amibake's entries would be lost. */
const LIST_KEYS = ['runcmd', 'bootcmd', 'write_files', 'packages'];
/** Paths the instance uses for amibake's own files; a user's write_files may only create
 *  NO_SANITIZE_FILE there. */
function reservedWritePath(path) {
    const p = external_node_path_.posix
        .normalize(path)
        .replace(/^\/var\/run\//, '/run/')
        .replace(/\/+$/, '');
    if (p === contract/* NO_SANITIZE_FILE */.hl)
        return false;
    return p === contract/* GUEST_DIR */.Fl || p.startsWith(`${contract/* GUEST_DIR */.Fl}/`) || p === '/run/fs.tgz' || p === '/run/install.sh';
}
function formatYamlError(label, err) {
    const [short, frame] = err.message.split(/ at line \d+, column \d+:\n\n/);
    const pos = err.linePos?.[0];
    const where = pos ? `${label}:${pos.line}:${pos.col}` : label;
    return `${where}: ${short}${frame ? `\n${frame.replace(/\n+$/, '')}` : ''}`;
}
/** Nodes alias expansion may add to a file: real cloud-configs stay far below; an alias bomb
 *  (billion laughs) is far above. */
const MAX_ALIAS_NODES = 10_000;
/** The yaml package's own bound on alias resolution (its default), applied when the file is read
 *  as data. */
const MAX_ALIAS_COUNT = 100;
/** The node an alias stands for (the node itself when it is none). */
function deref(doc, node) {
    let n = node;
    for (let i = 0; n && (0,dist/* isAlias */.Vj)(n) && i < 64; i++)
        n = n.resolve(doc) ?? null;
    return n && (0,dist/* isAlias */.Vj)(n) ? null : n;
}
/** A plain `<<` key: YAML 1.1's merge key (a quoted "<<" is a string, for PyYAML too). */
function isMergeKey(doc, key) {
    const k = deref(doc, key);
    return (0,dist/* isScalar */.jn)(k) && typeof k.value === 'symbol' && k.value.description === '<<';
}
/**
 * A mapping's entries as PyYAML's SafeConstructor sees them (flatten_mapping): the entries merged
 * in by `<<` keys first (of a list of mappings, the later ones first, so that the first wins; of
 * several `<<` keys, in order), then the mapping's own; a later entry of a key wins.
 */
function flatten(doc, map, problem, stack = new Set()) {
    if (stack.has(map)) {
        problem(map, 'a merge key (<<) merges a mapping into itself');
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
            if ((0,dist/* isMap */.jh)(value))
                merged.push(...tag(flatten(doc, value, problem, stack)));
            else if ((0,dist/* isSeq */.oP)(value)) {
                const subs = [];
                for (const item of value.items) {
                    const sub = deref(doc, item);
                    if ((0,dist/* isMap */.jh)(sub))
                        subs.push(tag(flatten(doc, sub, problem, stack)));
                    else
                        problem(item, 'a merge key (<<) list may only hold mappings (cloud-init would not load the file)');
                }
                for (const sub of subs.reverse())
                    merged.push(...sub);
            }
            else
                problem(via, 'a merge key (<<) takes a mapping or a list of mappings (cloud-init would not load the file)');
            continue;
        }
        const keyNode = deref(doc, pair.key);
        const key = (0,dist/* isScalar */.jn)(keyNode) && typeof keyNode.value === 'string' ? keyNode.value : undefined;
        own.push({ key, keyNode, value: deref(doc, pair.value) });
    }
    stack.delete(map);
    return [...merged, ...own];
}
/** The last entry of each string key: the one PyYAML keeps. */
function effective(entries) {
    const out = new Map();
    for (const e of entries)
        if (e.key !== undefined)
            out.set(e.key, e);
    return out;
}
/** Nodes `node` stands for once aliases are expanded (Infinity for an alias inside its own anchor). */
function expandedSize(doc, node, memo, stack) {
    if (node === null || node === undefined)
        return 0;
    if ((0,dist/* isAlias */.Vj)(node))
        return expandedSize(doc, node.resolve(doc), memo, stack);
    const known = memo.get(node);
    if (known !== undefined)
        return known;
    if (stack.has(node))
        return Infinity;
    stack.add(node);
    let n = 1;
    if ((0,dist/* isMap */.jh)(node))
        for (const p of node.items)
            n += expandedSize(doc, p.key, memo, stack) + expandedSize(doc, p.value, memo, stack);
    else if ((0,dist/* isSeq */.oP)(node))
        for (const item of node.items)
            n += expandedSize(doc, item, memo, stack);
    stack.delete(node);
    memo.set(node, n);
    return n;
}
/** The alias where expansion passes the bound (document order), if it does. */
function aliasBomb(doc) {
    const memo = new Map();
    let added = 0;
    let found;
    (0,dist/* visit */.YR)(doc, {
        Alias(_key, node) {
            added += expandedSize(doc, node, memo, new Set());
            if (added > MAX_ALIAS_NODES) {
                found = node;
                return dist/* visit */.YR.BREAK;
            }
            return undefined;
        },
    });
    return found;
}
/** The file as cloud-init's PyYAML loads it (aliases expanded, merge keys applied), for the tests
 *  that compare it with Debian's cloud-init. Only for files checkCloudConfig accepted. */
function loadAsCloudInit(text) {
    const doc = parseAllDocuments(text, { version: '1.1' });
    const toPy = (node) => {
        const n = deref(doc[0], node);
        if (n === null)
            return null;
        if (isMap(n)) {
            const out = {};
            for (const [k, e] of effective(flatten(doc[0], n, () => undefined)))
                out[k] = toPy(e.value);
            return out;
        }
        if (isSeq(n))
            return n.items.map(toPy);
        return isScalar(n) ? n.toJS(doc[0]) : null;
    };
    return toPy(doc[0]?.contents ?? null);
}
function checkCloudConfig(text, label) {
    const lineCounter = new dist/* LineCounter */.HN();
    // YAML 1.1 as PyYAML (cloud-init) reads it: `yes`, `on` and 0644 mean what they mean there.
    const parsed = (0,dist/* parseAllDocuments */.hR)(text, { version: '1.1', lineCounter, prettyErrors: true });
    const docs = Array.isArray(parsed) ? parsed : [];
    const problems = [];
    for (const doc of docs) {
        for (const err of doc.errors)
            problems.push(formatYamlError(label, err));
    }
    if (problems.length)
        return { empty: false, problems };
    if (docs.length > 1) {
        const line = docs[1].range ? lineCounter.linePos(docs[1].range[0]).line : undefined;
        problems.push(`${label}${line ? `:${line}` : ''}: more than one YAML document (cloud-init reads one mapping per file)`);
        return { empty: false, problems };
    }
    const contents = docs[0]?.contents;
    if (contents === null || contents === undefined)
        return { empty: true, problems };
    if (!(0,dist/* isMap */.jh)(contents)) {
        const line = contents.range ? lineCounter.linePos(contents.range[0]).line : undefined;
        problems.push(`${label}${line ? `:${line}` : ''}: must be a cloud-config mapping (key: value), not a ${Array.isArray(contents.items) ? 'list' : 'scalar'}`);
        return { empty: false, problems };
    }
    const doc = docs[0];
    const top = contents;
    const line = (node) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
    const at = (node) => (line(node) ? `${label}:${line(node)}` : label);
    /** Where an entry is: its key's line, and for a merged one the `<<` it came through. */
    const where = (e) => e.via
        ? `${at(e.via)}: (merged by << from line ${line(e.keyNode) ?? '?'})`
        : `${at(e.keyNode)}:`;
    // Alias bombs first: nothing below expands anything, but cloud-init and every other reader would.
    const bomb = aliasBomb(doc);
    if (bomb) {
        problems.push(`${at(bomb)}: YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes from here on ` +
            `(an alias bomb?): write the content out, or use fewer aliases`);
        return { empty: false, problems };
    }
    try {
        doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    }
    catch (err) {
        // Other errors (a merge of a scalar) are the structural checks' below, with their line.
        if (!(err instanceof ReferenceError))
            return checkKeys();
        let first;
        (0,dist/* visit */.YR)(doc, { Alias: (_k, node) => ((first = node), dist/* visit */.YR.BREAK) });
        problems.push(`${at(first)}: ${err.message} (the YAML aliases are resolved too often)`);
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
            if (!LIST_KEYS.includes(key))
                continue;
            if (!(0,dist/* isSeq */.oP)(e.value)) {
                problems.push(`${where(e)} ${key} must be a list (cloud-init appends every file's ${key} in priority order; ` +
                    `anything else would drop amibake's entries)`);
                continue;
            }
            if (key !== 'write_files')
                continue;
            for (const item of e.value.items) {
                const entry = deref(doc, item);
                if (!(0,dist/* isMap */.jh)(entry))
                    continue;
                const p = effective(flatten(doc, entry, problem)).get('path');
                const path = p?.value;
                if (p && (0,dist/* isScalar */.jn)(path) && typeof path.value === 'string' && reservedWritePath(path.value))
                    problems.push(`${p.via ? where(p) : `${at(path)}:`} write_files path ${path.value} is reserved ` +
                        `(amibake's files on the instance; only ${contract/* NO_SANITIZE_FILE */.hl} may be written there)`);
            }
        }
        return { empty: false, problems };
    }
}

;// CONCATENATED MODULE: ./src/compile/layout.ts
/**
 * The image source layout (`cloudinit/`, `fs/`, `script/compile.sh`, `script/install.sh`,
 * `script/test.sh`, `ami.env`):
 * finds its parts and reports every problem at once, each naming the file.
 */








const AMI_ENV = 'ami.env';
const COMPILE_SH = 'script/compile.sh';
const INSTALL_SH = 'script/install.sh';
/** Optional: the image test, run on an instance launched from the new AMI (test-userdata.ts). */
const TEST_SH = 'script/test.sh';
/** Two digits, an underscore, a name; .cfg, .yml or .yaml (the latter two are renamed .cfg). */
const CLOUDINIT_NAME = /^(\d\d_[A-Za-z0-9][\w.-]*)\.(cfg|yml|yaml)$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** All problems of a source at once, one per line. */
class SourceError extends errors/* UserError */.yo {
    problems;
    name = 'SourceError';
    constructor(problems) {
        super(problems.length === 1 ? problems[0] : `invalid image source:\n  ${problems.join('\n  ')}`);
        this.problems = problems;
    }
}
async function lstatOrUndefined(path) {
    try {
        return await (0,promises_.lstat)(path);
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return undefined;
        throw err;
    }
}
/** Whether ROOT/REL exists, not looking through symlinked folders (those are image content). */
async function existsNoFollow(root, rel) {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
        const st = await lstatOrUndefined((0,external_node_path_.join)(root, ...parts.slice(0, i)));
        if (!st)
            return false;
        if (i < parts.length && !st.isDirectory())
            return false;
    }
    return true;
}
function inside(root, path) {
    return path === root || path.startsWith(root.endsWith(external_node_path_.sep) ? root : root + external_node_path_.sep);
}
/** A symlink under cloudinit/ or script/, or for fs/ or ami.env themselves, must point inside the
 *  source: prepare reads what it points to (a link to the host's files would ship them). */
async function checkLink(realRoot, abs, rel, label, problems) {
    let target;
    try {
        target = await (0,promises_.realpath)(abs);
    }
    catch {
        problems.push(`${label(rel)}: broken symlink`);
        return false;
    }
    if (!inside(realRoot, target)) {
        problems.push(`${label(rel)}: symlink points outside the image source (${target})`);
        return false;
    }
    return true;
}
/** script/ is copied with its symlinks resolved: each must stay in the source and none may lead back
 *  to a folder it is in (`ancestors`: real paths of the folders above). */
async function checkScriptTree(realRoot, root, rel, label, problems, ancestors = []) {
    const abs = (0,external_node_path_.join)(root, rel);
    const st = await (0,promises_.lstat)(abs);
    if (st.isSymbolicLink() && !(await checkLink(realRoot, abs, rel, label, problems)))
        return;
    if (!(await (0,promises_.stat)(abs)).isDirectory())
        return;
    const real = await (0,promises_.realpath)(abs);
    if (ancestors.includes(real)) {
        problems.push(`${label(rel)}: symlink loop (it leads back to a folder that contains it)`);
        return;
    }
    for (const name of (await (0,promises_.readdir)(abs)).sort())
        await checkScriptTree(realRoot, root, `${rel}/${name}`, label, problems, [...ancestors, real]);
}
/** Parents of the reserved paths: a symlink or file there in fs/ would replace the instance's own
 *  (`/var/run -> /run`) and leave nowhere to stage fs.tgz and install.sh. */
const RESERVED_PARENTS = ['var', 'var/run', 'run'];
async function listCloudinit(realRoot, root, label, problems) {
    const dir = (0,external_node_path_.join)(root, 'cloudinit');
    const st = await lstatOrUndefined(dir);
    if (!st)
        return [];
    if (st.isSymbolicLink() && !(await checkLink(realRoot, dir, 'cloudinit', label, problems)))
        return [];
    if (!(await (0,promises_.stat)(dir)).isDirectory()) {
        problems.push(`${label('cloudinit')}: must be a folder`);
        return [];
    }
    const files = [];
    const byPart = new Map();
    for (const name of (await (0,promises_.readdir)(dir)).sort()) {
        if (name.startsWith('.'))
            continue; // .gitkeep and editor files
        const rel = `cloudinit/${name}`;
        const abs = (0,external_node_path_.join)(dir, name);
        const lst = await (0,promises_.lstat)(abs);
        if (lst.isSymbolicLink() && !(await checkLink(realRoot, abs, rel, label, problems)))
            continue;
        const m = CLOUDINIT_NAME.exec(name);
        if (!m) {
            problems.push(`${label(rel)}: cloud-config files must be named NN_name.cfg, .yml or .yaml (two digits, an underscore, then letters, digits, '.', '-' or '_')`);
            continue;
        }
        if (!(await (0,promises_.stat)(abs)).isFile()) {
            problems.push(`${label(rel)}: must be a file (cloudinit/ is not read recursively)`);
            continue;
        }
        const partName = `${m[1]}.cfg`;
        if (compile_generated/* GENERATED_NAMES */.fx.includes(partName)) {
            problems.push(`${label(rel)}: reserved name (amibake generates ${partName})`);
            continue;
        }
        const other = byPart.get(partName);
        if (other) {
            problems.push(`${label(rel)}: same name as ${label(other)} (use one extension per name: both become ${partName})`);
            continue;
        }
        byPart.set(partName, rel);
        let content;
        try {
            // The part is sent as UTF-8: anything else would reach cloud-init as replacement characters.
            content = UTF8.decode(await (0,promises_.readFile)(abs));
        }
        catch {
            problems.push(`${label(rel)}: not valid UTF-8 text`);
            continue;
        }
        files.push({ rel, abs, partName, content });
    }
    return files;
}
/** Inspects a source folder (the user's, or the work folder after compile.sh). ami.env is read
 *  separately (readAmiEnv): compile.sh may still write it. */
async function inspectSource(root, label) {
    const problems = [];
    const rootSt = await lstatOrUndefined(root);
    if (!rootSt || !(await (0,promises_.stat)(root)).isDirectory())
        throw new SourceError([`${label('')}: not a folder`]);
    const realRoot = await (0,promises_.realpath)(root);
    const layout = { root, cloudinit: [] };
    layout.cloudinit = await listCloudinit(realRoot, root, label, problems);
    for (const f of layout.cloudinit) {
        const check = checkCloudConfig(f.content, label(f.rel));
        problems.push(...check.problems);
        if (check.empty)
            f.content = '';
    }
    layout.cloudinit = layout.cloudinit.filter((f) => f.content !== '');
    if (await lstatOrUndefined((0,external_node_path_.join)(root, 'script'))) {
        await checkScriptTree(realRoot, root, 'script', label, problems);
        for (const [rel, key] of [
            [COMPILE_SH, 'compileSh'],
            [INSTALL_SH, 'installSh'],
            [TEST_SH, 'testSh'],
        ]) {
            const abs = (0,external_node_path_.join)(root, rel);
            const st = await (0,promises_.stat)(abs).catch(() => undefined);
            if (!st)
                continue;
            if (!st.isFile())
                problems.push(`${label(rel)}: must be a file`);
            else
                layout[key] = abs;
        }
    }
    const fsDir = (0,external_node_path_.join)(root, 'fs');
    const fsSt = await lstatOrUndefined(fsDir);
    if (fsSt && (!fsSt.isSymbolicLink() || (await checkLink(realRoot, fsDir, 'fs', label, problems)))) {
        if (!(await (0,promises_.stat)(fsDir).catch(() => undefined))?.isDirectory())
            problems.push(`${label('fs')}: must be a folder`);
        else {
            layout.fsDir = fsDir;
            const replaced = [];
            for (const r of RESERVED_PARENTS) {
                if (replaced.some((p) => r.startsWith(`${p}/`)))
                    continue;
                const st = await lstatOrUndefined((0,external_node_path_.join)(fsDir, r));
                if (!st || st.isDirectory())
                    continue;
                replaced.push(r);
                problems.push(`${label(`fs/${r}`)}: must be a folder if present: this ${st.isSymbolicLink() ? 'symlink' : 'file'} ` +
                    `would replace the instance's /${r} (amibake stages its files in /run and /var/run). Leave it ` +
                    `out: every base image has /${r}`);
            }
            for (const r of RESERVED_FS_PATHS) {
                if (await existsNoFollow(fsDir, r))
                    problems.push(`${label(`fs/${r}`)}: reserved path (amibake stages fs.tgz and install.sh there on the instance)`);
            }
        }
    }
    const amiEnv = (0,external_node_path_.join)(root, AMI_ENV);
    const amiSt = await lstatOrUndefined(amiEnv);
    if (amiSt && (!amiSt.isSymbolicLink() || (await checkLink(realRoot, amiEnv, AMI_ENV, label, problems)))) {
        if (!(await (0,promises_.stat)(amiEnv)).isFile())
            problems.push(`${label(AMI_ENV)}: must be a file`);
        else
            layout.amiEnv = amiEnv;
    }
    if (problems.length)
        throw new SourceError(problems);
    return layout;
}
/** The ami.env keys the build stage needs. */
const AMI_ENV_KEYS = ['NAME', 'VERSION'];
/** Reads ami.env: every key, NAME and VERSION required and valid as an AMI name and version. */
async function readAmiEnv(path, label) {
    const l = label(AMI_ENV);
    if (!path)
        throw new SourceError([`${l}: missing (it must set NAME and VERSION, the AMI's name and version)`]);
    const text = await (0,promises_.readFile)(path, 'utf8');
    let vars;
    try {
        vars = (0,envfile/* parseEnv */.vc)(text, l);
    }
    catch (err) {
        throw new SourceError([err.message]);
    }
    const problems = [];
    const lineOf = (key) => {
        const i = text.split('\n').findIndex((line) => new RegExp(`^\\s*(export\\s+)?${key}=`).test(line));
        return i >= 0 ? `${l}:${i + 1}` : l;
    };
    const parsers = { NAME: parse/* imageName */.tO, VERSION: parse/* imageVersion */.K9 };
    for (const key of AMI_ENV_KEYS) {
        if (vars[key] === undefined || vars[key] === '') {
            problems.push(`${l}: ${key} is missing (the build stage names the AMI after NAME and VERSION)`);
            continue;
        }
        try {
            parsers[key](vars[key]);
        }
        catch (err) {
            problems.push(`${lineOf(key)}: ${key} ${err.message}`);
        }
    }
    if (problems.length)
        throw new SourceError(problems);
    return vars;
}

;// CONCATENATED MODULE: ./src/compile/guest/amibake-test.sh
/* harmony default export */ const amibake_test = ("#!/bin/sh\n# amibake test runner, written to /run/amibake/amibake-test.sh by the test user data (userdata-test.gz)\n# on an instance launched from the new AMI, beside /run/amibake/test.sh (the image source's script/test.sh).\n# It runs from power_state's condition, once cloud-init has finished this (first) boot: it waits for\n# cloud-init's verdict, runs test.sh as root, and reports one status the way the install does: the\n# test log and `status=<n>` through the presigned URLs of stage.env when present, the\n# `AMIBAKE-RESULT status=<n>` line on the console. Always exits 0, so that the instance powers off.\n# POSIX sh (dash). stage.env holds presigned URLs: never print a URL, never pass one on a command line.\n# AMIBAKE_ROOT, AMIBAKE_CONSOLE and AMIBAKE_RESULT_WAIT are for tests (another root, console, no wait).\n# Paths, AMIBAKE_* names and status codes are those of src/core/contract.ts\n# (test/compile/test-guest.test.ts reads this file and compares).\n\nR=${AMIBAKE_ROOT:-/}\nR=${R%/}\nD=$R/run/amibake\nCONSOLE=${AMIBAKE_CONSOLE:-/dev/console}\nTEST=$R/run/amibake/test.sh\nLOG=$R/run/amibake/test.log\nRESULT_JSON=$R/run/cloud-init/result.json\nCLOUD=$R/var/lib/cloud\n\n# Status codes: GUEST_STATUS in src/core/contract.ts (the test's share of it).\nOK=0 CLOUDINIT=1 TEST_FAILED=8\n\nsay_line() { printf 'amibake: %s\\n' \"$*\"; }\n\n# shellcheck source=/dev/null # written by the build's part of the user data\nload_stage() { [ -f \"$D/stage.env\" ] && . \"$D/stage.env\"; }\n\n# The same transfer as the guest script's (test/compile/test-guest.test.ts checks the copies agree).\ncurl_config() { printf 'url = \"%s\"\\n' \"$(printf '%s' \"$1\" | sed 's/[\\\\\"]/\\\\&/g')\"; }\nCURL_OPTS='-sf --retry 5 --retry-delay 2 --retry-connrefused --connect-timeout 20 --max-time 1800'\n\nhttp_transfer() {\n  if command -v curl >/dev/null 2>&1; then\n    # shellcheck disable=SC2086 # CURL_OPTS is a list of options\n    if [ \"$1\" = GET ]; then\n      code=$(curl_config \"$2\" | curl -K - $CURL_OPTS -o \"$3\" -w '%{http_code}')\n    else\n      code=$(curl_config \"$2\" | curl -K - $CURL_OPTS ${4:+-H \"Content-Type: $4\"} -T \"$3\" -o /dev/null -w '%{http_code}')\n    fi\n    rc=$?\n    [ $rc -eq 0 ] || say_line \"curl failed (exit $rc, HTTP ${code:-none})\"\n    return $rc\n  fi\n  if command -v python3 >/dev/null 2>&1; then\n    AMIBAKE_URL=$2 python3 - \"$1\" \"$3\" \"${4:-application/octet-stream}\" <<'EOF'\nimport os, sys, time, urllib.error, urllib.request\nmethod, path, ctype = sys.argv[1], sys.argv[2], sys.argv[3]\nurl = os.environ.pop('AMIBAKE_URL')\nerr = 'no attempt'\nfor attempt in range(5):\n    if attempt:\n        time.sleep(attempt)\n    try:\n        if method == 'GET':\n            with urllib.request.urlopen(url, timeout=60) as r, open(path, 'wb') as f:\n                while True:\n                    chunk = r.read(1 << 20)\n                    if not chunk:\n                        break\n                    f.write(chunk)\n        else:\n            with open(path, 'rb') as f:\n                body = f.read()\n            req = urllib.request.Request(url, data=body, method='PUT', headers={'Content-Type': ctype})\n            urllib.request.urlopen(req, timeout=60).close()\n        sys.exit(0)\n    except urllib.error.HTTPError as e:\n        err = 'HTTP %d' % e.code\n        if e.code < 500:\n            break\n    except Exception as e:\n        err = type(e).__name__\nprint('amibake: python3 %s failed (%s)' % (method, err))\nsys.exit(1)\nEOF\n    return $?\n  fi\n  say_line \"neither curl nor python3 is available for HTTP\"\n  return 1\n}\n\n# cloud-init's record of this boot: on the first boot of a sanitised image, the instance it boots\n# as is the only one it knows (the install's `cloud-init clean` removed the build instance's).\nboot_facts() {\n  iid=$(cat \"$CLOUD/data/instance-id\" 2>/dev/null)\n  known=\n  for d in \"$CLOUD\"/instances/*; do\n    [ -d \"$d\" ] && known=\"$known ${d##*/}\"\n  done\n  say_line \"test boot: instance ${iid:-unknown}; instances cloud-init knows on this disk:${known:- none}\"\n  if [ \"${known# }\" != \"$iid\" ]; then\n    say_line \"not the image's first boot: cloud-init kept the state of another instance\"\n  fi\n}\n\n# CLOUDINIT when cloud-init recorded an error (or no result) for this boot, else OK.\ncloud_init_status() {\n  if [ ! -f \"$RESULT_JSON\" ]; then\n    say_line \"cloud-init recorded no result\"\n    return $CLOUDINIT\n  fi\n  case $(tr -d ' \\t\\r\\n' <\"$RESULT_JSON\") in\n  *'\"errors\":[]'*) return $OK ;;\n  esac\n  say_line \"cloud-init recorded errors:\"\n  cat \"$RESULT_JSON\"\n  return $CLOUDINIT\n}\n\n# test.sh as root from /, stdin closed, through the interpreter of its #! line (/run is noexec on\n# Debian and Ubuntu), sh without one. Its output goes to the log and, when it can, the console.\nrun_test() {\n  if [ ! -f \"$TEST\" ]; then\n    say_line \"test.sh is missing\"\n    return 127\n  fi\n  chmod 700 \"$TEST\"\n  interp=$(sed -n '1s/^#![[:space:]]*//p' \"$TEST\")\n  out=/dev/null\n  if { : >>\"$CONSOLE\"; } 2>/dev/null; then out=$CONSOLE; fi\n  say_line \"running test.sh\"\n  { (cd \"$R/\" && exec ${interp:-/bin/sh} \"$TEST\") </dev/null 2>&1; echo $? >\"$D/test.rc\"; } | tee -a \"$LOG\" >>\"$out\"\n  rc=$(cat \"$D/test.rc\" 2>/dev/null)\n  rm -f \"$D/test.rc\"\n  return \"${rc:-127}\"\n}\n\ntest_main() {\n  trap '' PIPE\n  mkdir -p \"$D\" && chmod 700 \"$D\"\n  n=${AMIBAKE_RESULT_WAIT:-300}\n  while [ ! -e \"$RESULT_JSON\" ] && [ \"$n\" -gt 0 ]; do\n    sleep 1\n    n=$((n - 1))\n  done\n  : >\"$LOG\"\n  exec >>\"$LOG\" 2>&1\n  boot_facts\n  cloud_init_status\n  status=$?\n  run_test\n  rc=$?\n  if [ \"$rc\" -ne 0 ]; then\n    say_line \"test.sh failed (exit $rc)\"\n    [ \"$status\" -ne $OK ] || status=$TEST_FAILED\n  else\n    say_line \"test.sh passed\"\n  fi\n  say_line \"test status $status\"\n  load_stage\n  if [ -n \"${AMIBAKE_RESULT_URL:-}\" ]; then\n    printf 'status=%s\\n' \"$status\" >\"$D/result\"\n    http_transfer PUT \"$AMIBAKE_RESULT_URL\" \"$D/result\" || say_line \"could not upload the result\"\n  fi\n  if [ -n \"${AMIBAKE_LOG_URL:-}\" ]; then\n    cp \"$LOG\" \"$D/test.log.sent\"\n    http_transfer PUT \"$AMIBAKE_LOG_URL\" \"$D/test.log.sent\" || say_line \"could not upload the test log\"\n    rm -f \"$D/test.log.sent\"\n  fi\n  line=\"AMIBAKE-RESULT status=$status\"\n  if ! { printf '%s\\n' \"$line\" >>\"$CONSOLE\"; } 2>/dev/null; then\n    printf '%s\\n' \"$line\" >&3\n  fi\n}\n\nexec 3>&1\ntest_main\nexit 0\n");

;// CONCATENATED MODULE: ./src/compile/test-userdata.ts
/**
 * The image test's user data (userdata-test.gz): script/test.sh and the test runner
 * (guest/amibake-test.sh) for an instance launched from the new AMI. One cloud-config part writes
 * both to tmpfs and runs the runner from power_state's condition, once cloud-init has finished its
 * own modules; the build appends its part (the presigned result and log URLs) as it does for the
 * install. The same form as userdata.gz, so the build reads and checks it the same way.
 */






const TEST_USERDATA_FILE = 'userdata-test.gz';
/** The part's name: the build's part (amibake-stage.cfg) sorts after it. */
const TEST_PART = '50_amibake-test.cfg';
/** Bytes of gzip'd user data prepare may use for the test; the rest is the build's part. */
const TEST_USERDATA_BUDGET = core_userdata/* USERDATA_LIMIT */.SF - contract/* BUILD_RESERVE */.qY;
/** The runner as it travels: comment lines and blank lines cost user data bytes. */
function testRunnerScript() {
    const body = amibake_test.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
    return ['#!/bin/sh', ...body].join('\n') + '\n';
}
const test_userdata_UTF8 = new TextDecoder('utf-8', { fatal: true });
/** test.sh's text, or the problem with it (named by `where`): it travels inline as YAML text. */
function checkTestScript(bytes, where) {
    if (bytes.length === 0)
        return {
            problem: `${where}: empty (write the checks it should run, or remove it to bake without a test)`,
        };
    let text;
    try {
        text = test_userdata_UTF8.decode(bytes);
    }
    catch {
        return { problem: `${where}: not valid UTF-8 text (it travels inline in the test user data)` };
    }
    if (text.includes('\0'))
        return { problem: `${where}: holds a NUL byte; a shell script never does` };
    return { text };
}
/** The cloud-config of the test's one part. */
function testPart(testSh) {
    const doc = {
        write_files: [
            { path: contract/* TEST_RUNNER_PATH */.Yi, permissions: '0700', content: testRunnerScript() },
            { path: contract/* TEST_SH_GUEST_PATH */.El, permissions: '0700', content: testSh },
        ],
        power_state: {
            mode: 'poweroff',
            delay: 'now',
            message: 'amibake: image test finished, powering off',
            // Seconds cloud-init's final stage may take to exit before the condition runs anyway.
            timeout: 600,
            condition: `/bin/sh ${contract/* TEST_RUNNER_PATH */.Yi}; exit 0`,
        },
    };
    return ('#cloud-config\n# amibake: the image test (script/test.sh), run once cloud-init has finished\n' +
        (0,dist/* stringify */.As)(doc, { lineWidth: 0, version: '1.1' }));
}
/** userdata-test.gz for test.sh's text, held to the budget; errors name the script by `where`. */
function renderTestUserdata(testSh, where) {
    const text = (0,core_userdata/* renderMultipart */.vQ)([{ filename: TEST_PART, content: testPart(testSh) }]);
    if (Buffer.byteLength(text) > core_userdata/* USERDATA_TEXT_LIMIT */.KO)
        throw new errors/* UserError */.yo(`${where}: the test user data is ${Buffer.byteLength(text)} bytes before gzip, more than the ` +
            `${core_userdata/* USERDATA_TEXT_LIMIT */.KO} the build accepts. Keep test.sh small: put larger test tools in fs/ and call them from it`);
    const gz = (0,core_userdata/* gzipUserdata */.OT)(text);
    if (gz.length > TEST_USERDATA_BUDGET)
        throw new errors/* UserError */.yo(`${where}: the test user data is ${gz.length} bytes gzip'd, more than the ${TEST_USERDATA_BUDGET} prepare ` +
            `may use (${core_userdata/* USERDATA_LIMIT */.SF} minus ${contract/* BUILD_RESERVE */.qY} for the build stage). Keep test.sh small: put ` +
            'larger test tools in fs/ and call them from it');
    return gz;
}

// EXTERNAL MODULE: ./src/compile/vars.ts
var compile_vars = __webpack_require__(2099);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/compile/workdir.ts
/**
 * The work folder: a copy of the source in which script/compile.sh runs (the spec's "work folder
 * context"), and running compile.sh in it.
 */







/** Folders whose symlinks prepare resolves, all the way down (they were checked to point inside the
 *  source). */
const RESOLVED_TREES = new Set(['cloudinit', 'script']);
/** Top-level entries resolved themselves when they are symlinks (checked the same way), so that a
 *  relative link such as `fs -> ../shared/fs` means the same in the work folder. What fs/ holds,
 *  and anything else, is copied as it is: symlinks in fs/ are image content. */
const RESOLVED_TOP = new Set([...RESOLVED_TREES, 'fs', 'ami.env']);
async function copyEntry(src, dst, rel, follow, followBelow, label) {
    const lst = await (0,promises_.lstat)(src);
    if (lst.isSymbolicLink() && !follow) {
        await (0,promises_.symlink)(await (0,promises_.readlink)(src), dst);
        return;
    }
    const st = lst.isSymbolicLink() ? await (0,promises_.stat)(src) : lst;
    if (st.isDirectory()) {
        await (0,promises_.mkdir)(dst);
        for (const name of await (0,promises_.readdir)(src)) {
            const childRel = rel ? `${rel}/${name}` : name;
            const top = !rel;
            await copyEntry((0,external_node_path_.join)(src, name), (0,external_node_path_.join)(dst, name), childRel, followBelow || (top && RESOLVED_TOP.has(name)), followBelow || (top && RESOLVED_TREES.has(name)), label);
        }
        await (0,promises_.chmod)(dst, st.mode & 0o7777);
    }
    else if (st.isFile()) {
        await (0,promises_.copyFile)(src, dst, external_node_fs_.constants.COPYFILE_FICLONE);
        await (0,promises_.chmod)(dst, st.mode & 0o7777);
    }
    else {
        throw new errors/* UserError */.yo(`${label(rel)}: not a regular file, directory or symlink`);
    }
}
/** Copies SOURCE into WORK (which must not exist), keeping modes and fs/ symlinks. */
async function copySource(source, work, label) {
    await copyEntry(source, work, '', true, false, label);
}
/** compile.sh writes `KEY=value` lines to the file named by this variable; they end up in vars.env. */
const VARS_FILE_ENV = 'AMIBAKE_VARS';
const TAIL_LINES = 60;
/** What the processes compile.sh left running get between SIGTERM and SIGKILL. */
const GROUP_GRACE_MS = 2000;
/** How long the group may take to go once killed (a process in uninterruptible sleep). */
const GROUP_GONE_MS = 5000;
const PIPE_WAIT_MS = 1000;
function signalGroup(pgid, sig) {
    try {
        process.kill(-pgid, sig);
    }
    catch {
        // the group is empty
    }
}
/** Whether process group `pgid` still has a live (non-zombie) member. Zombies count as gone:
 *  their parent (init, once compile.sh has exited) reaps them, and they run nothing. */
function groupAlive(pgid) {
    let names;
    try {
        names = (0,external_node_fs_.readdirSync)('/proc');
    }
    catch {
        // No /proc (macOS): ask the kernel, zombies included.
        try {
            process.kill(-pgid, 0);
            return true;
        }
        catch {
            return false;
        }
    }
    for (const name of names) {
        if (!/^\d+$/.test(name))
            continue;
        let stat;
        try {
            stat = (0,external_node_fs_.readFileSync)(`/proc/${name}/stat`, 'latin1');
        }
        catch {
            continue;
        }
        // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X')
            return true;
    }
    return false;
}
async function waitGone(pgid, ms) {
    const deadline = Date.now() + ms;
    for (;;) {
        if (!groupAlive(pgid))
            return true;
        if (Date.now() >= deadline)
            return false;
        await new Promise((r) => setTimeout(r, 50));
    }
}
/** Ends every process of compile.sh's group: SIGTERM, SIGKILL after GROUP_GRACE_MS. */
async function endGroup(pgid, graceMs = GROUP_GRACE_MS) {
    if (!groupAlive(pgid))
        return;
    signalGroup(pgid, 'SIGTERM');
    if (await waitGone(pgid, graceMs))
        return;
    signalGroup(pgid, 'SIGKILL');
    await waitGone(pgid, GROUP_GONE_MS);
}
/** Runs compile.sh in the work folder; returns the variables it added. Its output goes to the log as it
 *  comes, and the end of it into the error when it fails. */
async function runCompileScript(input) {
    const { work, script, env, varsFile, logger, label, signal: abort } = input;
    abort?.throwIfAborted();
    await (await (0,promises_.open)(varsFile, 'w', 0o600)).close();
    const head = Buffer.alloc(256);
    const fh = await (0,promises_.open)(script, 'r');
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    await fh.close();
    const firstLine = head.subarray(0, bytesRead).toString('latin1').split('\n')[0];
    // With a shebang it runs as its author meant it to; without one, with sh.
    let cmd = '/bin/sh';
    let args = [script];
    if (firstLine.startsWith('#!')) {
        if (firstLine.endsWith('\r'))
            throw new errors/* UserError */.yo(`${label(COMPILE_SH)}:1: the #! line ends with a carriage return (Windows line endings): ` +
                'convert the file to LF line endings');
        await (0,promises_.chmod)(script, (await (0,promises_.stat)(script)).mode | 0o100);
        cmd = script;
        args = [];
    }
    const tail = [];
    let partial = '';
    const onData = (chunk) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
            logger.info(line);
            tail.push(line);
            if (tail.length > TAIL_LINES)
                tail.shift();
        }
    };
    // Its own process group (detached), so that what it starts can be ended with it.
    const child = (0,external_node_child_process_.spawn)(cmd, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const pgid = child.pid;
    let killer;
    const stop = () => {
        if (!pgid)
            return;
        signalGroup(pgid, 'SIGTERM');
        // A compile.sh that ignores SIGTERM would never exit by itself.
        killer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), GROUP_GRACE_MS);
    };
    abort?.addEventListener('abort', stop, { once: true });
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const closed = new Promise((r) => child.on('close', () => r()));
    let ended;
    try {
        ended = await new Promise((resolve, reject) => {
            child.on('error', (err) => {
                const interpreter = firstLine.startsWith('#!') ? firstLine.slice(2).trim() : cmd;
                const why = err.code === 'ENOENT'
                    ? `its interpreter (${interpreter}) was not found`
                    : err.message;
                reject(new errors/* UserError */.yo(`${label(COMPILE_SH)}: could not run: ${why}`));
            });
            child.on('exit', (c, s) => resolve({ code: c, signal: s }));
        });
    }
    finally {
        abort?.removeEventListener('abort', stop);
        clearTimeout(killer);
        // compile.sh is done (or failed, or was interrupted): nothing it started outlives it, success
        // included, so nothing it left running can touch TARGET, which prepare writes only after this.
        if (pgid)
            await endGroup(pgid);
        // The pipes close once the group is gone; a process that left the group (setsid) may still
        // hold them: its output is not waited for.
        let timer;
        await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, PIPE_WAIT_MS)))]);
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
        const out = tail.length ? `; the end of its output:\n${tail.join('\n')}` : ' and printed nothing';
        throw new errors/* UserError */.yo(`${label(COMPILE_SH)} ${how}${out}`);
    }
    const text = await (0,promises_.readFile)(varsFile, 'utf8');
    try {
        return (0,envfile/* parseEnv */.vc)(text, `${label(COMPILE_SH)}: $${VARS_FILE_ENV}`);
    }
    catch (err) {
        throw new errors/* UserError */.yo(err.message);
    }
}

;// CONCATENATED MODULE: ./src/compile/prepare.ts
/**
 * The prepare stage: image source in, userdata.gz / fs.tgz / vars.env out. Shared by
 * `amibake prepare`, action-prepare and `amibake try`. Everything is built in temporary folders
 * and moved into TARGET at the end, so a failure leaves TARGET as it was.
 */
















const USERDATA_FILE = 'userdata.gz';
const FS_TGZ_FILE = 'fs.tgz';
const VARS_FILE = 'vars.env';
/** Bytes of gzip'd user data prepare may use; the rest is the build stage's. */
const USERDATA_BUDGET = core_userdata/* USERDATA_LIMIT */.SF - contract/* BUILD_RESERVE */.qY;
/** The files went external (fs.tgz) and no S3 location was given: `amibake try` serves them
 *  itself, so it tells this error from the others by its class. */
class NeedsS3Error extends errors/* UserError */.yo {
    name = 'NeedsS3Error';
}
function sha256(data) {
    return (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex');
}
function isInside(parent, child) {
    const r = (0,external_node_path_.relative)(parent, child);
    return r === '' || (!r.startsWith('..') && !r.startsWith(external_node_path_.sep) && r !== '..');
}
function renderUserdata(user, generated) {
    const parts = [...user.map((f) => ({ filename: f.partName, content: f.content })), ...generated];
    parts.sort((a, b) => Buffer.compare(Buffer.from(a.filename), Buffer.from(b.filename)));
    return (0,core_userdata/* gzipUserdata */.OT)((0,core_userdata/* renderMultipart */.vQ)(parts));
}
/** Moves FILE into DIR/NAME atomically (a rename within DIR after a copy when they are on different
 *  file systems: @actions/io's mv only renames, and fails across file systems). */
async function moveInto(file, dir, name) {
    const dest = (0,external_node_path_.join)(dir, name);
    try {
        await (0,promises_.rename)(file, dest);
    }
    catch (err) {
        if (err.code !== 'EXDEV')
            throw err;
        const tmp = (0,external_node_path_.join)(dir, `.${name}.amibake-tmp`);
        await (0,promises_.copyFile)(file, tmp);
        await (0,promises_.rename)(tmp, dest);
        await (0,promises_.unlink)(file);
    }
}
async function prepare(input) {
    const { logger } = input;
    const env = input.env ?? process.env;
    const source = input.source;
    const sourceAbs = (0,external_node_path_.resolve)(source);
    const targetAbs = (0,external_node_path_.resolve)(input.target);
    const label = (rel) => (rel ? (0,external_node_path_.join)(source, rel) : source);
    // The CLI takes TARGET as its second argument, the action as an input.
    const targetName = (0,errors/* opt */.m7)('target', 'TARGET');
    const warning = credentialWarning(env);
    if (warning)
        logger.warn(warning);
    let layout = await inspectSource(sourceAbs, label);
    const tstat = await (0,promises_.stat)(targetAbs).catch(() => undefined);
    if (tstat && !tstat.isDirectory())
        throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${targetName}: ${input.target} exists and is not a folder`);
    for (const sub of ['cloudinit', 'fs', 'script']) {
        if (isInside((0,external_node_path_.join)(sourceAbs, sub), targetAbs))
            throw new errors/* UserError */.yo((0,errors/* msg */.ab) `${targetName}: ${input.target} is inside the image source's ${sub}/`);
    }
    // Without compile.sh nothing can change ami.env: check it before any work.
    if (!layout.compileSh)
        await readAmiEnv(layout.amiEnv, label);
    const scratch = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'amibake-prepare-'));
    try {
        const out = (0,external_node_path_.join)(scratch, 'out');
        await (0,promises_.mkdir)(out);
        let compiled = {};
        let amiLabel = label;
        const generatedBase = {
            fsMode: 'none',
            region: input.awsRegion,
            s3Url: input.s3Url?.url,
        };
        if (layout.compileSh) {
            const work = (0,external_node_path_.join)(scratch, 'work');
            await copySource(sourceAbs, work, label);
            input.signal?.throwIfAborted();
            // compile.sh sees the generated files (the spec's work folder); they are regenerated afterwards
            // with what only the finished fs/ can tell (inline fs.tgz, checksums).
            await (0,promises_.mkdir)((0,external_node_path_.join)(work, 'cloudinit'), { recursive: true });
            const generated = (0,compile_generated/* generatedParts */.Yv)(generatedBase);
            for (const p of generated)
                await (0,promises_.writeFile)((0,external_node_path_.join)(work, 'cloudinit', p.filename), p.content);
            const varsFile = (0,external_node_path_.join)(scratch, 'compile-vars.env');
            const compileEnv = {
                ...scrubbedEnv(env),
                AWSREGION: input.awsRegion,
                [VARS_FILE_ENV]: varsFile,
                AMIBAKE_SOURCE: sourceAbs,
                // The node that runs amibake, last: a compile.sh may use it wherever prepare runs.
                PATH: [env.PATH, (0,external_node_path_.dirname)(process.execPath)].filter(Boolean).join(':'),
            };
            delete compileEnv.S3URL;
            if (input.s3Url)
                compileEnv.S3URL = input.s3Url.url;
            compiled = await logger.group(`${label(COMPILE_SH)}`, () => runCompileScript({
                work,
                script: (0,external_node_path_.join)(work, COMPILE_SH),
                env: compileEnv,
                varsFile,
                logger,
                label,
                signal: input.signal,
            }));
            for (const p of generated)
                await (0,promises_.rm)((0,external_node_path_.join)(work, 'cloudinit', p.filename), { force: true });
            const fromScript = (rel) => rel && !(0,external_node_fs_.existsSync)((0,external_node_path_.join)(sourceAbs, rel))
                ? `${(0,external_node_path_.join)(source, rel)} (written by ${label(COMPILE_SH)})`
                : label(rel);
            layout = await inspectSource(work, fromScript);
            const before = await (0,promises_.readFile)((0,external_node_path_.join)(sourceAbs, AMI_ENV)).catch(() => undefined);
            const after = layout.amiEnv ? await (0,promises_.readFile)(layout.amiEnv) : undefined;
            if (before && after && !before.equals(after))
                amiLabel = (rel) => rel === AMI_ENV ? `${label(AMI_ENV)} (as ${label(COMPILE_SH)} left it)` : label(rel);
            else
                amiLabel = fromScript;
        }
        const ami = await readAmiEnv(layout.amiEnv, amiLabel);
        const amiExtra = Object.fromEntries(Object.entries(ami).filter(([k]) => k !== 'NAME' && k !== 'VERSION'));
        const problems = [
            ...(0,compile_vars/* checkUserVars */.a5)(amiExtra, amiLabel(AMI_ENV), new Set()),
            ...(0,compile_vars/* checkUserVars */.a5)(compiled, `${label(COMPILE_SH)}: $${VARS_FILE_ENV}`, new Set(Object.keys(ami))),
        ];
        if (problems.length)
            throw new SourceError(problems);
        // fs.tgz: gzip -6 first; when it is small enough to be a candidate for inline, the few bytes
        // level 9 saves matter, and rebuilding a small archive costs nothing.
        let fsResult;
        const fsTgz = (0,external_node_path_.join)(out, FS_TGZ_FILE);
        if (layout.fsDir || layout.installSh) {
            const fsLabel = (rel) => rel.startsWith('var/run/install.sh') ? label('script/install.sh') : label(`fs/${rel}`);
            const build = (level) => buildFsTgz({
                fsDir: layout.fsDir,
                installSh: layout.installSh,
                out: fsTgz,
                level,
                label: fsLabel,
                signal: input.signal,
            });
            fsResult = await build(6);
            if (fsResult.entries === 0)
                fsResult = undefined; // an empty fs/ and no install.sh
            else if (fsResult.size <= USERDATA_BUDGET * 1.25)
                fsResult = await build(9);
        }
        let fsMode = fsResult ? 'external' : 'none';
        let userdata;
        const gen = (mode, inlineFs) => (0,compile_generated/* generatedParts */.Yv)({
            ...generatedBase,
            fsMode: mode,
            fsSha256: fsResult?.sha256,
            fsSize: fsResult?.size,
            inlineFs,
        });
        if (fsResult && fsResult.size <= USERDATA_BUDGET) {
            const inline = renderUserdata(layout.cloudinit, gen('inline', await (0,promises_.readFile)(fsTgz)));
            if (inline.length <= USERDATA_BUDGET) {
                fsMode = 'inline';
                userdata = inline;
            }
        }
        if (!userdata) {
            userdata = renderUserdata(layout.cloudinit, gen(fsMode));
            if (userdata.length > USERDATA_BUDGET) {
                const biggest = [...layout.cloudinit]
                    .sort((a, b) => b.content.length - a.content.length)
                    .slice(0, 3)
                    .map((f) => `${label(f.rel)} (${Buffer.byteLength(f.content)} bytes)`);
                throw new errors/* UserError */.yo(`the user data is ${userdata.length} bytes gzip'd, more than the ${USERDATA_BUDGET} prepare may use ` +
                    `(${core_userdata/* USERDATA_LIMIT */.SF} minus ${contract/* BUILD_RESERVE */.qY} for the build stage). Move content from cloudinit/ into ` +
                    `fs/ (files) or script/install.sh (commands). Largest cloud-config files: ${biggest.join(', ')}`);
            }
        }
        if (fsMode === 'external' && !input.s3Url) {
            throw new NeedsS3Error((0,errors/* msg */.ab) `${(0,errors/* opt */.m7)('s3Url')}: is required: the files do not fit in the user data (fs.tgz is ${fsResult?.size} bytes; the whole user data may use ${USERDATA_BUDGET} bytes gzip'd), so the build stage stages fs.tgz in S3. Set it to s3://bucket/path/fs.tgz`);
        }
        // script/test.sh: the image test's own user data, held to the same budget and form.
        let testUserdata;
        if (layout.testSh) {
            const checked = checkTestScript(await (0,promises_.readFile)(layout.testSh), amiLabel(TEST_SH));
            if (checked.problem !== undefined)
                throw new SourceError([checked.problem]);
            testUserdata = renderTestUserdata(checked.text, amiLabel(TEST_SH));
        }
        const { text: varsText, vars } = (0,compile_vars/* renderVars */.lR)({
            region: input.awsRegion,
            s3Url: input.s3Url?.url,
            ami,
            compiled,
            fsMode,
            fsSha256: fsResult?.sha256,
            fsSize: fsResult?.size,
            userdataSha256: sha256(userdata),
            testUserdataSha256: testUserdata && sha256(testUserdata),
        });
        await (0,promises_.writeFile)((0,external_node_path_.join)(out, USERDATA_FILE), userdata);
        if (testUserdata)
            await (0,promises_.writeFile)((0,external_node_path_.join)(out, TEST_USERDATA_FILE), testUserdata);
        await (0,promises_.writeFile)((0,external_node_path_.join)(out, VARS_FILE), varsText);
        // Into place: TARGET gets exactly this run's files; a stale fs.tgz from an earlier run goes.
        input.signal?.throwIfAborted();
        await (0,promises_.mkdir)(targetAbs, { recursive: true });
        const names = [
            USERDATA_FILE,
            VARS_FILE,
            ...(fsMode === 'external' ? [FS_TGZ_FILE] : []),
            ...(testUserdata ? [TEST_USERDATA_FILE] : []),
        ];
        for (const name of names)
            await moveInto((0,external_node_path_.join)(out, name), targetAbs, name);
        if (fsMode !== 'external')
            await (0,promises_.rm)((0,external_node_path_.join)(targetAbs, FS_TGZ_FILE), { force: true });
        if (!testUserdata)
            await (0,promises_.rm)((0,external_node_path_.join)(targetAbs, TEST_USERDATA_FILE), { force: true });
        const result = {
            target: targetAbs,
            files: names.map((n) => (0,external_node_path_.join)(targetAbs, n)),
            userdataPath: (0,external_node_path_.join)(targetAbs, USERDATA_FILE),
            varsPath: (0,external_node_path_.join)(targetAbs, VARS_FILE),
            fsTgzPath: fsMode === 'external' ? (0,external_node_path_.join)(targetAbs, FS_TGZ_FILE) : undefined,
            testUserdataPath: testUserdata ? (0,external_node_path_.join)(targetAbs, TEST_USERDATA_FILE) : undefined,
            sizes: {
                userdata: userdata.length,
                fsTgz: fsResult?.size,
                fsContent: fsResult?.contentBytes,
                testUserdata: testUserdata?.length,
            },
            fsMode,
            external: fsMode === 'external',
            vars,
        };
        logger.info(summary(result, input.target));
        return result;
    }
    finally {
        // @actions/io's rmRF retries while compile.sh's last children (stopped by a cancel) still write.
        await io/* rmRF */.Yz(scratch);
    }
}
function summary(r, target) {
    const fs = r.fsMode === 'none'
        ? 'no files (no fs/ and no install.sh)'
        : `fs.tgz ${r.sizes.fsTgz} bytes (${r.sizes.fsContent} bytes of files) ${r.fsMode === 'inline'
            ? 'inline in the user data'
            : `external: ${(0,external_node_path_.join)(target, FS_TGZ_FILE)}, staged at ${r.vars.S3URL}`}`;
    return (`prepared ${r.vars.NAME} ${r.vars.VERSION} in ${target}: userdata.gz ${r.sizes.userdata} of ${USERDATA_BUDGET} bytes; ` +
        `${fs}; ${r.testUserdataPath ? `${TEST_USERDATA_FILE} ${r.sizes.testUserdata} bytes (script/test.sh); ` : ''}` +
        `vars.env PREPARED_DIGEST=${r.vars.PREPARED_DIGEST}`);
}


/***/ }),

/***/ 2099:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XE: () => (/* binding */ VARS),
/* harmony export */   a5: () => (/* binding */ checkUserVars),
/* harmony export */   lR: () => (/* binding */ renderVars),
/* harmony export */   nM: () => (/* reexport safe */ _core_contract_js__WEBPACK_IMPORTED_MODULE_0__.nM)
/* harmony export */ });
/* harmony import */ var _core_contract_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2013);
/* harmony import */ var _core_digest_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5543);
/* harmony import */ var _core_envfile_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5934);
/**
 * vars.env: what the build stage (and any shell that sources it) needs from prepare. Quoted by
 * formatEnv, so `. vars.env` is safe whatever the values. PREPARED_DIGEST comes last: the digest of
 * what reaches the instance (userdata.gz, fs.tgz when it goes external, userdata-test.gz when the
 * source has a test), computed by the shared
 * preparedDigest, which the build recomputes from the files it received and checks against it.
 */



/** The names amibake writes; docs/stage-contract.md documents them. */
const VARS = {
    region: 'AWSREGION',
    s3Url: 'S3URL',
    name: 'NAME',
    version: 'VERSION',
    fsMode: 'FS_MODE',
    fsSha256: 'FS_SHA256',
    fsSize: 'FS_SIZE',
    userdataSha256: 'USERDATA_SHA256',
    testUserdataSha256: 'TEST_USERDATA_SHA256',
    preparedDigest: 'PREPARED_DIGEST',
};
/** The names a disk prepare adds (defined with the stage contract: the build reads them too):
 *  reserved for every prepare, so a user's ami.env can never pass for a disk artifact. */

const RESERVED = new Set([...Object.values(VARS), ...Object.values(_core_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .DISK_VARS */ .nM)]);
/** Sourcing vars.env must not change how the shell that sources it behaves, nor fail (bash's
 *  read-only UID, EUID, PPID, BASH_VERSINFO...). */
const SHELL_NAMES = /^(PATH|IFS|HOME|SHELL|ENV|BASH|BASH_\w+|CDPATH|PS[1-4]|SHELLOPTS|BASHOPTS|PROMPT_COMMAND|OLDPWD|PWD|UID|EUID|PPID|GROUPS|RANDOM|SECONDS|LINENO|OPTIND|OPTARG|GLOBIGNORE|POSIXLY_CORRECT|TMOUT|HISTFILE|TMPDIR|LANG|LC_\w+|LD_\w+|DYLD_\w+|NODE_OPTIONS)$/;
/** What configures the build job (and its AWS access): a prepare job must not set it for a build
 *  job that sources vars.env. */
const BUILD_PREFIXES = ['AWS_', 'BUILDAMI_'];
/** Problems with variables a user adds (ami.env's extra keys, compile.sh's), each prefixed by `where`. */
function checkUserVars(vars, where, taken) {
    const problems = [];
    for (const key of Object.keys(vars)) {
        if (RESERVED.has(key) || key.startsWith('AMIBAKE_'))
            problems.push(`${where}: ${key} is set by amibake; choose another name`);
        else if (BUILD_PREFIXES.some((p) => key.startsWith(p)))
            problems.push(`${where}: ${key} would configure the build job that sources vars.env (AWS_* and BUILDAMI_* ` +
                'belong to the build job); choose another name');
        else if (SHELL_NAMES.test(key))
            problems.push(`${where}: ${key} would change the shell that sources vars.env; choose another name`);
        else if (taken.has(key))
            problems.push(`${where}: ${key} is already set by ami.env`);
    }
    return problems;
}
function renderVars(input) {
    const vars = { [VARS.region]: input.region };
    if (input.s3Url)
        vars[VARS.s3Url] = input.s3Url;
    vars[VARS.name] = input.ami.NAME;
    vars[VARS.version] = input.ami.VERSION;
    vars[VARS.fsMode] = input.fsMode;
    if (input.fsSha256)
        vars[VARS.fsSha256] = input.fsSha256;
    if (input.fsSize !== undefined)
        vars[VARS.fsSize] = String(input.fsSize);
    vars[VARS.userdataSha256] = input.userdataSha256;
    if (input.testUserdataSha256)
        vars[VARS.testUserdataSha256] = input.testUserdataSha256;
    for (const [k, v] of Object.entries(input.ami))
        if (!(k in vars))
            vars[k] = v;
    for (const [k, v] of Object.entries(input.compiled))
        vars[k] = v;
    const body = (0,_core_envfile_js__WEBPACK_IMPORTED_MODULE_2__/* .formatEnv */ .R_)(vars);
    const digest = (0,_core_digest_js__WEBPACK_IMPORTED_MODULE_1__/* .preparedDigest */ .Ar)({
        userdataSha256: input.userdataSha256,
        fsMode: input.fsMode,
        fsSha256: input.fsSha256,
        testUserdataSha256: input.testUserdataSha256,
    });
    vars[VARS.preparedDigest] = digest;
    return { text: body + (0,_core_envfile_js__WEBPACK_IMPORTED_MODULE_2__/* .formatEnv */ .R_)({ [VARS.preparedDigest]: digest }), vars };
}


/***/ }),

/***/ 5543:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ar: () => (/* binding */ preparedDigest),
/* harmony export */   Ld: () => (/* binding */ DIGEST_SCHEME),
/* harmony export */   ol: () => (/* binding */ digestOf)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * The digests that decide whether an AMI may be reused, computed the same way by prepare and by
 * the build. The build never takes a digest from vars.env: it recomputes PREPARED_DIGEST from the
 * bytes it received and refuses a vars.env that claims another (an artifact claiming the digest of
 * other content would otherwise get its AMI reused by a later bake of that content).
 */

/**
 * Part of everything hashed: a digest made by an amibake that computed it another way (an AMI
 * baked before this scheme, whose tag may have been forged through vars.env) never equals one made
 * now, so such an AMI is never reused.
 */
const DIGEST_SCHEME = 'amibake-digest-2';
/** sha256 of the scheme and the sorted parts, JSON-encoded so no value can pose as another part. */
function digestOf(parts) {
    const entries = Object.keys(parts)
        .sort()
        .map((k) => [k, parts[k]]);
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(JSON.stringify([DIGEST_SCHEME, entries]))
        .digest('hex');
}
/** PREPARED_DIGEST: prepare writes it, the build recomputes it and refuses any other. */
function preparedDigest(c) {
    const parts = { userdata: c.userdataSha256, 'fs-mode': c.fsMode };
    if (c.fsMode === 'external') {
        if (!c.fsSha256)
            throw new Error('an external fs.tgz needs its sha256');
        parts.fs = c.fsSha256;
    }
    if (c.testUserdataSha256 !== undefined)
        parts['test-userdata'] = c.testUserdataSha256;
    return digestOf(parts);
}


/***/ }),

/***/ 4808:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KO: () => (/* binding */ USERDATA_TEXT_LIMIT),
/* harmony export */   OT: () => (/* binding */ gzipUserdata),
/* harmony export */   SF: () => (/* binding */ USERDATA_LIMIT),
/* harmony export */   U$: () => (/* binding */ appendPart),
/* harmony export */   mV: () => (/* binding */ readUserdata),
/* harmony export */   vQ: () => (/* binding */ renderMultipart),
/* harmony export */   wF: () => (/* binding */ parseMultipart)
/* harmony export */ });
/* unused harmony export MERGE_TYPE */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/**
 * The user data is a gzip'd MIME multipart message of `text/cloud-config` parts, one per
 * cloudinit file, merged by cloud-init itself in message order with MERGE_TYPE. The build stage
 * appends one more part (its presigned URLs) without touching what prepare wrote.
 */



/** Lists append in priority order; mappings merge recursively; for a scalar set twice the
 *  lowest-numbered file wins (cloud-init's no_replace). */
const MERGE_TYPE = 'list(append)+dict(no_replace,recurse_list)+str()';
/** EC2's limit on user data, counted on the bytes sent (here: gzip'd). */
const USERDATA_LIMIT = 16_384;
/** Bytes the user data may have once gunzipped. The build inflates the artifact's userdata.gz no
 *  further than this (a gzip bomb is refused before it is inflated), and prepare never writes more.
 *  16 KB of gzip can inflate to about 16 MB; amibake's messages are tens of KB. */
const USERDATA_TEXT_LIMIT = 1 << 20;
function renderPart(part) {
    if (!/^[\w.-]+$/.test(part.filename))
        throw new Error(`invalid part filename ${part.filename}`);
    return ('Content-Type: text/cloud-config; charset="utf-8"\n' +
        'MIME-Version: 1.0\n' +
        'Content-Transfer-Encoding: 8bit\n' +
        `Content-Disposition: attachment; filename="${part.filename}"\n` +
        `Merge-Type: ${MERGE_TYPE}\n` +
        '\n' +
        (part.content.endsWith('\n') ? part.content : part.content + '\n'));
}
function boundaryFor(parts) {
    const h = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    for (const p of parts)
        h.update(p.filename).update('\0').update(p.content).update('\0');
    const boundary = `==amibake-${h.digest('hex').slice(0, 32)}==`;
    if (parts.some((p) => p.content.includes(boundary)))
        throw new Error('MIME boundary collision');
    return boundary;
}
function renderMultipart(parts) {
    const b = boundaryFor(parts);
    return (`Content-Type: multipart/mixed; boundary="${b}"\nMIME-Version: 1.0\n\n` +
        parts.map((p) => `--${b}\n${renderPart(p)}`).join('') +
        `--${b}--\n`);
}
/** gzip at the highest level with a fixed header (no mtime), so the same input gives the same bytes. */
function gzipUserdata(text) {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > USERDATA_TEXT_LIMIT)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`the user data is ${bytes.length} bytes before gzip, more than the ${USERDATA_TEXT_LIMIT} the build accepts`);
    return (0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.gzipSync)(bytes, { level: 9 });
}
/** Gunzips user data, never to more than USERDATA_TEXT_LIMIT bytes: zlib stops there. The
 *  messages complete "<file>: ". */
function readUserdata(gz) {
    let bytes;
    try {
        bytes = (0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.gunzipSync)(gz, { maxOutputLength: USERDATA_TEXT_LIMIT });
    }
    catch (err) {
        if (err.code === 'ERR_BUFFER_TOO_LARGE')
            throw new Error(`inflates to more than ${USERDATA_TEXT_LIMIT} bytes: refused without inflating the rest (a gzip bomb?)`, { cause: err });
        throw new Error(`not gzip'd user data (${err.message})`, { cause: err });
    }
    const text = bytes.toString('utf8');
    // Decoding must be lossless: the build re-encodes the text when it appends its part.
    if (!Buffer.from(text, 'utf8').equals(bytes))
        throw new Error('the user data is not UTF-8 text');
    return text;
}
const HEADER_RE = /^Content-Type: multipart\/mixed; boundary="(==amibake-[0-9a-f]{32}==)"\nMIME-Version: 1\.0\n\n/;
const PART_HEADER_RE = /^Content-Type: text\/cloud-config; charset="utf-8"\nMIME-Version: 1\.0\nContent-Transfer-Encoding: 8bit\nContent-Disposition: attachment; filename="([\w.-]+)"\nMerge-Type: ([^\n]*)\n\n/;
/**
 * The parts of a message exactly as renderMultipart writes it, else an error saying what differs.
 * Re-rendering the parts must give back the same text, so nothing else passes: another content
 * type (a shell script, `#include`, a part handler), extra headers, a foreign boundary, text
 * outside the parts.
 */
function parseMultipart(text) {
    const head = HEADER_RE.exec(text);
    if (!head)
        throw new Error(`not the MIME multipart message amibake prepare writes (it starts with ${JSON.stringify(text.slice(0, 40))})`);
    const b = head[1];
    const closing = `--${b}--\n`;
    if (!text.endsWith(closing))
        throw new Error('the multipart message is not terminated by its boundary');
    const chunks = text.slice(head[0].length, -closing.length).split(`--${b}\n`);
    if (chunks.shift() !== '')
        throw new Error('text before the first part');
    if (!chunks.length)
        throw new Error('the multipart message has no part');
    const parts = chunks.map((chunk, i) => {
        const h = PART_HEADER_RE.exec(chunk);
        if (!h)
            throw new Error(`part ${i + 1} does not have the headers of a prepared cloud-config part`);
        if (h[2] !== MERGE_TYPE)
            throw new Error(`part ${h[1]} has another Merge-Type than amibake's (${h[2]})`);
        return { filename: h[1], content: chunk.slice(h[0].length) };
    });
    const names = parts.map((p) => p.filename);
    if ([...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))).join('\n') !== names.join('\n'))
        throw new Error('the parts are not in the name order prepare writes them in');
    if (new Set(names).size !== names.length)
        throw new Error('two parts have the same name');
    if (renderMultipart(parts) !== text)
        throw new Error('the message differs from what prepare writes for the same parts (boundary or layout)');
    return parts;
}
/** Adds a part at the end of a prepared user data message. */
function appendPart(gz, part) {
    const text = readUserdata(gz);
    const m = /^Content-Type: multipart\/mixed; boundary="([^"]+)"/.exec(text);
    if (!m)
        throw new Error('user data is not an amibake multipart message');
    const closing = `--${m[1]}--\n`;
    if (!text.endsWith(closing))
        throw new Error('user data multipart message is not terminated');
    if (part.content.includes(m[1]))
        throw new Error('MIME boundary collision');
    return gzipUserdata(text.slice(0, -closing.length) + `--${m[1]}\n${renderPart(part)}` + closing);
}


/***/ }),

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
    if (urls.sbomUrl)
        vars[_core_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGE_VARS */ .Ab.sbomUrl] = urls.sbomUrl;
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

/***/ 9889:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Cb: () => (/* binding */ baseRecipe),
  e8: () => (/* binding */ cacheDir),
  xd: () => (/* binding */ debianMirror),
  Pg: () => (/* binding */ ensureBaseImage),
  R7: () => (/* binding */ recipeHash)
});

// UNUSED EXPORTS: BASE_SUITES, baseImagePath

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/vm/exec.ts
var exec = __webpack_require__(1684);
;// CONCATENATED MODULE: ./src/vm/guest/base-customize.sh
/* harmony default export */ const base_customize = ("#!/bin/sh\n# mmdebstrap customize hook for amibake's VM base image: \"$1\" is the root of the new tree.\n# The image plays a freshly launched cloud instance: cloud-init from a NoCloud seed, static\n# network via systemd-networkd, nothing that slows a software-emulated boot.\nset -eu\nroot=\"$1\"\n\n# Only the NoCloud seed disk, no probing of cloud metadata services that are not there.\nmkdir -p \"$root/etc/cloud/cloud.cfg.d\"\ncat > \"$root/etc/cloud/cloud.cfg.d/01_amibake-vm.cfg\" <<'CFG'\ndatasource_list: [ NoCloud, None ]\n# One host key type: generating RSA keys under software emulation takes seconds.\nssh_genkeytypes: [ ed25519 ]\nCFG\n\n# A system locale, so cloud-init's locale module has nothing to generate (no `locales` package).\necho 'LANG=C.UTF-8' > \"$root/etc/default/locale\"\necho 'amibake' > \"$root/etc/hostname\"\nchmod 644 \"$root/etc/hostname\" \"$root/etc/default/locale\"\necho '/dev/vda / ext4 defaults 0 1' > \"$root/etc/fstab\"\n\n# cloud-init renders its network-config for systemd-networkd (no ifupdown, no netplan). The\n# address is static IPv4: waiting for IPv6 too costs seconds under emulation.\nchroot \"$root\" systemctl enable systemd-networkd.service\nmkdir -p \"$root/etc/systemd/system/systemd-networkd-wait-online.service.d\"\ncat > \"$root/etc/systemd/system/systemd-networkd-wait-online.service.d/amibake.conf\" <<'UNIT'\n[Service]\nExecStart=\nExecStart=/lib/systemd/systemd-networkd-wait-online --any -4 --timeout=60\nUNIT\n\n# Periodic jobs and the VGA console have no place in a minutes-long boot.\nchroot \"$root\" systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \\\n  e2scrub_all.timer e2scrub_reap.service fstrim.timer getty@tty1.service\n\n# The image must look unbooted: no machine id, no host keys (cloud-init makes new ones).\n: > \"$root/etc/machine-id\"\nrm -f \"$root/var/lib/dbus/machine-id\" \"$root\"/etc/ssh/ssh_host_*\n");

;// CONCATENATED MODULE: ./src/vm/guest/disk-customize.sh
/* harmony default export */ const disk_customize = ("#!/bin/sh\n# mmdebstrap customize hook, second part, for the bootable disk base (runs after base-customize.sh\n# on the same tree): the image must boot on EC2 by its own bootloader, not by qemu's -kernel.\nset -eu\nroot=\"$1\"\n\n# NoCloud for the local boots (a seed disk labelled cidata), Ec2 for the instances launched from\n# the AMI; None last so a boot with neither still completes.\ncat > \"$root/etc/cloud/cloud.cfg.d/02_amibake-disk.cfg\" <<'CFG'\ndatasource_list: [ NoCloud, Ec2, None ]\nCFG\n\n# GRUB: no menu delay, the serial console first (EC2's get-console-output and qemu's -serial\n# both read ttyS0), the NIC named eth0/ens5 as the kernel names it.\nmkdir -p \"$root/etc/default/grub.d\"\ncat > \"$root/etc/default/grub.d/50-amibake.cfg\" <<'CFG'\nGRUB_TIMEOUT=0\nGRUB_TIMEOUT_STYLE=hidden\nGRUB_CMDLINE_LINUX_DEFAULT=\"\"\nGRUB_CMDLINE_LINUX=\"console=tty0 console=ttyS0,115200n8 fsck.mode=skip\"\nGRUB_TERMINAL=\"console serial\"\nGRUB_SERIAL_COMMAND=\"serial --speed=115200\"\nGRUB_DISABLE_OS_PROBER=true\nCFG\nchmod 644 \"$root/etc/cloud/cloud.cfg.d/02_amibake-disk.cfg\" \"$root/etc/default/grub.d/50-amibake.cfg\"\nmkdir -p \"$root/boot/efi\"\n");

;// CONCATENATED MODULE: ./src/vm/base-image.ts
/**
 * The built-in base image: a Debian root filesystem with cloud-init, built from Debian's package
 * mirror with mmdebstrap and cached as a zstd tarball keyed by its recipe. Two generations:
 * bookworm (Debian 12, cloud-init 22.4, the default) and trixie (Debian 13, cloud-init 25.1, with
 * rsyslog as on Ubuntu, so that build-time output reaches /var/log/syslog as it does there).
 */









/** GRUB for both firmware kinds, and the tools grub-install and update-grub run. */
const BOOT_PACKAGES = ['grub-pc-bin', 'grub-efi-amd64-bin', 'grub2-common'];
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
function baseRecipe(env = process.env, suite = 'bookworm', bootable = false) {
    const recipe = tarballRecipe(env, suite);
    if (!bootable)
        return recipe;
    return {
        ...recipe,
        packages: [...recipe.packages, ...BOOT_PACKAGES],
        // One script of the two, its interpreter line written here: the recipe (and its cache key) is
        // then the same whichever loader read the .sh files (jest's blanks a leading `#!` line).
        hook: `#!/bin/sh\n${withoutShebang(recipe.hook)}\n${withoutShebang(disk_customize)}`,
        bootloader: 'grub-bios-uefi',
    };
}
/** A script without its first line when that is an interpreter line, or the empty line jest's
 *  transform leaves of one. */
const withoutShebang = (script) => script.replace(/^(#![^\n]*)?\n/, '');
function tarballRecipe(env, suite) {
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
    const kind = recipe.bootloader ? '-bootable' : '';
    return (0,external_node_path_.join)(cacheDir(env), `debian-${recipe.suite}${kind}-${recipeHash(recipe)}.tar.zst`);
}
async function exists(p) {
    return (0,promises_.stat)(p).then(() => true, () => false);
}
/** The cached base image tarball, built first when the cache has none for this recipe. */
async function ensureBaseImage(opts = {}) {
    const env = opts.env ?? process.env;
    const recipe = baseRecipe(env, opts.suite, opts.bootable);
    const target = baseImagePath(recipe, env);
    if (await exists(target))
        return target;
    if (process.getuid?.() !== 0) {
        throw new errors/* UserError */.yo('building the VM base image needs root (mmdebstrap installs packages as root, and the disk keeps ' +
            "the files' owners): run as root");
    }
    await (0,exec/* requireTools */.PA)(['mmdebstrap', 'zstd']);
    opts.onBuild?.(target);
    await io/* mkdirP */.U$(cacheDir(env));
    // Build beside the target and rename: a crash or a concurrent build never leaves a partial file.
    const tmp = `${target}.${process.pid}.tmp`;
    const hookFile = `${tmp}.hook.sh`;
    try {
        await (0,promises_.writeFile)(hookFile, recipe.hook, { mode: 0o755 });
        await (0,exec/* exec */.m0)('mmdebstrap', [
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
        await (0,exec/* exec */.m0)('zstd', ['-q', '-T0', '-6', '--rm', '-f', `${tmp}.tar`, '-o', tmp]);
        await (0,promises_.rename)(tmp, target);
        return target;
    }
    finally {
        await (0,promises_.rm)(hookFile, { force: true });
        await (0,promises_.rm)(`${tmp}.tar`, { force: true });
        await (0,promises_.rm)(tmp, { force: true });
    }
}


/***/ }),

/***/ 1684:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K7: () => (/* binding */ which),
/* harmony export */   PA: () => (/* binding */ requireTools),
/* harmony export */   m0: () => (/* binding */ exec)
/* harmony export */ });
/* unused harmony export TOOL_PACKAGES */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8701);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4296);
/** Running the host tools the VM runner is made of (mmdebstrap, mkfs.ext4, debugfs, mtools, qemu). */




/** Runs a command without a shell; rejects with its stderr tail when it exits non-zero (unless
 *  `allowFail`). The command is looked up like `which` does, sbin folders included. */
async function exec(cmd, args, opts = {}) {
    const { input, allowFail, ...spawnOpts } = opts;
    const path = cmd.includes('/') ? cmd : ((await which(cmd)) ?? cmd);
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(path, args, { ...spawnOpts, stdio: ['pipe', 'pipe', 'pipe'] });
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
    for (const candidate of [name, ...SBIN.map((dir) => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name))]) {
        const found = await _actions_io__WEBPACK_IMPORTED_MODULE_2__/* .which */ .K7(candidate);
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
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .yo(`the VM runner needs ${missing.join(', ')}: install the Debian/Ubuntu packages ${pkgs.join(' ')} ` +
            `(apt-get install ${pkgs.join(' ')})`);
    }
    return found;
}


/***/ }),

/***/ 600:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WN: () => (/* binding */ scanFile),
/* harmony export */   x: () => (/* binding */ Ext4Image)
/* harmony export */ });
/* unused harmony exports parseStat, parseList */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8701);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1684);
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
        const res = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_5__/* .exec */ .m0)('debugfs', ['-f', '-', this.device], { input: requests.join('\n') + '\n' });
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
        const dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)(), 'amibake-dump-'));
        try {
            await this.batch([`dump ${quote(path)} ${quote((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'f'))}`]);
            return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'f'));
        }
        finally {
            await _actions_io__WEBPACK_IMPORTED_MODULE_4__/* .rmRF */ .Yz(dir);
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
    for await (const chunk of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(path, { highWaterMark: 8 * 1024 * 1024 })) {
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


/***/ }),

/***/ 306:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dc: () => (/* binding */ BaseImage),
  Nv: () => (/* binding */ DEFAULT_MEMORY_MIB),
  t1: () => (/* binding */ DEFAULT_TIMEOUT_MS),
  Dj: () => (/* binding */ KERNEL_APPEND),
  RC: () => (/* binding */ checkHost),
  cZ: () => (/* binding */ defaultNetwork),
  TY: () => (/* binding */ newInstanceId),
  xl: () => (/* binding */ runMachine)
});

// UNUSED EXPORTS: DEFAULT_DISK_MIB, OVMF_CODE, OVMF_VARS, VM_TOOLS

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: ./src/core/contract.ts
var contract = __webpack_require__(2013);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/vm/base-image.ts + 2 modules
var base_image = __webpack_require__(9889);
// EXTERNAL MODULE: ./src/vm/exec.ts
var exec = __webpack_require__(1684);
// EXTERNAL MODULE: ./src/vm/ext4.ts
var ext4 = __webpack_require__(600);
// EXTERNAL MODULE: ./src/vm/qemu.ts
var qemu = __webpack_require__(5365);
// EXTERNAL MODULE: ./src/vm/rootfs.ts
var rootfs = __webpack_require__(5878);
// EXTERNAL MODULE: ./src/vm/seed.ts
var seed = __webpack_require__(7304);
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
        await (0,exec/* requireTools */.PA)(['qemu-img']);
        await (0,exec/* exec */.m0)('qemu-img', ['convert', '-O', 'raw', image, out]);
    }
    else {
        // A reflink where the file system can, else a copy that keeps the holes (a mostly empty disk
        // image stays mostly unwritten).
        await (0,exec/* exec */.m0)('cp', ['--sparse=always', '--reflink=auto', image, out]);
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
/** OVMF (package ovmf): the UEFI firmware's code, and the variable store each UEFI boot copies. */
const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
/** The guest's network unless told: `AMIBAKE_VM_NETWORK` (nat or isolated), else nat. */
function defaultNetwork(env = process.env) {
    const v = (env.AMIBAKE_VM_NETWORK || 'nat').toLowerCase();
    if (v !== 'nat' && v !== 'isolated') {
        throw new errors/* UserError */.yo(`AMIBAKE_VM_NETWORK must be nat or isolated, not "${env.AMIBAKE_VM_NETWORK}"`);
    }
    return v;
}
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
        const tarball = await (0,base_image/* ensureBaseImage */.Pg)({ onBuild, suite });
        await io/* mkdirP */.U$(workDir);
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(workDir, 'base-'));
        const tree = await (0,rootfs/* unpackRootfs */.iG)(tarball, dir);
        const boot = await (0,rootfs/* copyBootFiles */.Hu)(tree, dir);
        return new BaseImage(tree.dir, boot.kernel, boot.initrd, dir);
    }
    async makeDisk(path, sizeMiB = DEFAULT_DISK_MIB) {
        await (0,rootfs/* makeExt4 */.u7)(this.tree, path, sizeMiB);
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
    await (0,exec/* requireTools */.PA)(userImage ? VM_TOOLS.filter((t) => t !== 'zstd') : VM_TOOLS);
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
        disk = new ext4/* Ext4Image */.x(diskPath);
        boot = { kind: 'kernel', kernel: opts.base.kernel, initrd: opts.base.initrd, append: KERNEL_APPEND };
        kernelForProbe = opts.base.kernel;
    }
    else {
        await checkHost(true);
        phase(`copying ${opts.base.image}`);
        await workingCopy(opts.base.image, diskPath, diskMiB);
        disk = new ext4/* Ext4Image */.x(diskPath, await rootFsOffset(diskPath));
        boot = { kind: 'firmware' };
        if (opts.firmware === 'uefi') {
            const vars = (0,external_node_path_.join)(opts.dir, 'OVMF_VARS.fd');
            await (0,promises_.copyFile)(OVMF_VARS, vars);
            boot = { kind: 'firmware', uefi: { code: OVMF_CODE, vars } };
        }
    }
    const before = opts.snapshot ? await disk.walk() : undefined;
    const network = opts.network ?? defaultNetwork();
    await (0,seed/* makeSeed */.wq)(seedPath, {
        instanceId,
        userData: opts.userData,
        vendorData: opts.vendorData,
        nameservers: network === 'nat',
    });
    const accel = await (0,qemu/* chooseAccel */.ug)(kernelForProbe);
    let status;
    let rebooted = false;
    phase(`booting (${accel === 'kvm' ? 'KVM' : 'software emulation'}), instance ${instanceId}`);
    const exit = await (0,qemu/* runVm */.$Q)({
        boot,
        accel,
        disks: [
            { path: diskPath, format: 'raw' },
            { path: seedPath, format: 'raw', readonly: true },
        ],
        forwards: opts.forwards,
        network,
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
        disk = new ext4/* Ext4Image */.x(diskPath, await rootFsOffset(diskPath));
    return { exit, status, poweredOff, instanceId, diskPath, consoleLog, disk, before };
}


/***/ }),

/***/ 5365:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $Q: () => (/* binding */ runVm),
/* harmony export */   ug: () => (/* binding */ chooseAccel)
/* harmony export */ });
/* unused harmony exports isLoopback, netdev, qemuArgs, kvmWorks */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _seed_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7304);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1684);
/**
 * One qemu-system-x86_64 run: software emulation unless a smoke boot proves KVM works, the serial
 * console streamed to a file and to the caller, `-no-reboot` (a guest reboot ends the run), a hard
 * timeout, and a user-mode network: NAT by default (the guest reaches what the host reaches, as an
 * instance in a subnet with internet does), or isolated (`restrict=on`: the only way out is the
 * guestfwd rules to the host's loopback).
 */





const LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
function isLoopback(addr) {
    const m = LOOPBACK.exec(addr);
    return !!m && m.slice(1).every((x) => Number(x) <= 255);
}
function netdev(forwards, mode = 'nat') {
    const rules = forwards.map((f) => {
        const host = f.hostAddr ?? '127.0.0.1';
        if (!isLoopback(host))
            throw new Error(`guest forward to ${host}: only loopback addresses are allowed`);
        for (const port of [f.guestPort, f.hostPort]) {
            if (!Number.isInteger(port) || port < 1 || port > 65535)
                throw new Error(`invalid port ${port}`);
        }
        // `cmd:` runs one socat per guest connection; a `tcp:` chardev would serve a single connection.
        return `guestfwd=tcp:${_seed_js__WEBPACK_IMPORTED_MODULE_3__/* .HOST_ALIAS_IP */ .qq}:${f.guestPort}-cmd:socat STDIO TCP4:${host}:${f.hostPort}`;
    });
    // restrict=on: the guest reaches nothing but the guestfwd rules (no NAT to the host or beyond).
    // Without it, slirp NATs the guest's connections and serves DNS at 10.0.2.3.
    return ['user', 'id=n0', ...(mode === 'isolated' ? ['restrict=on'] : []), 'ipv6=off', ...rules].join(',');
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
        netdev(spec.forwards ?? [], spec.network),
        '-device',
        `virtio-net-pci,netdev=n0,mac=${_seed_js__WEBPACK_IMPORTED_MODULE_3__/* .GUEST_MAC */ .nS}`,
    ];
    for (const d of spec.disks) {
        if (/,/.test(d.path))
            throw new Error(`disk path must not contain a comma: ${d.path}`);
        args.push('-drive', `file=${d.path},if=virtio,format=${d.format}${d.readonly ? ',readonly=on' : ''}${d.snapshot ? ',snapshot=on' : ''}`);
    }
    if (spec.boot.kind === 'kernel') {
        args.push('-kernel', spec.boot.kernel, '-initrd', spec.boot.initrd, '-append', spec.boot.append);
    }
    else if (spec.boot.uefi) {
        for (const f of [spec.boot.uefi.code, spec.boot.uefi.vars]) {
            if (/,/.test(f))
                throw new Error(`firmware path must not contain a comma: ${f}`);
        }
        args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${spec.boot.uefi.code}`, '-drive', `if=pflash,format=raw,unit=1,file=${spec.boot.uefi.vars}`);
    }
    return args;
}
async function runVm(spec) {
    const qemu = (await (0,_exec_js__WEBPACK_IMPORTED_MODULE_4__/* .which */ .K7)('qemu-system-x86_64')) ?? 'qemu-system-x86_64';
    const log = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(spec.consoleLog);
    const started = Date.now();
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(qemu, qemuArgs(spec), { stdio: ['ignore', 'pipe', 'pipe'] });
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
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.access)('/dev/kvm', node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.constants.R_OK | node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.constants.W_OK);
        }
        catch {
            return false;
        }
        const qemu = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_4__/* .which */ .K7)('qemu-system-x86_64');
        if (!qemu)
            return false;
        const res = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_4__/* .exec */ .m0)('timeout', [
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


/***/ }),

/***/ 5878:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ ROOT_LABEL),
/* harmony export */   Hu: () => (/* binding */ copyBootFiles),
/* harmony export */   iG: () => (/* binding */ unpackRootfs),
/* harmony export */   u7: () => (/* binding */ makeExt4)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8701);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1684);
/** Turning the base image tarball into a bootable ext4 disk: no mounting, no loop devices. */




/** Unpacks the tarball as root, keeping owners, modes and extended attributes (file capabilities). */
async function unpackRootfs(tarball, workDir) {
    const dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(workDir, 'rootfs-'));
    await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .exec */ .m0)('sh', [
        '-c',
        'zstd -q -dc "$1" | tar -x --numeric-owner --same-owner -p --xattrs --xattrs-include="*" -C "$2"',
        'unpack',
        tarball,
        dir,
    ]);
    // Debian keeps /vmlinuz and /initrd.img as symlinks to the installed kernel.
    const inTree = async (link) => {
        const target = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, link)), (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readlink)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, link))).replace(/^\/+/, ''));
        if (!target.startsWith(dir + '/'))
            throw new Error(`${link} points outside the base image`);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(target);
        return target;
    };
    return {
        dir,
        kernel: await inTree('vmlinuz'),
        initrd: await inTree('initrd.img'),
        dispose: () => _actions_io__WEBPACK_IMPORTED_MODULE_2__/* .rmRF */ .Yz(dir),
    };
}
const ROOT_LABEL = 'amibake-root';
/** A sparse raw ext4 image of `sizeMiB` populated from the tree (`mkfs.ext4 -d`). */
async function makeExt4(tree, image, sizeMiB) {
    await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .exec */ .m0)('mkfs.ext4', ['-q', '-F', '-L', ROOT_LABEL, '-d', tree, image, `${sizeMiB}M`]);
}
/** Copies the kernel and initrd out of the tree, so the tree can go before the VM boots. */
async function copyBootFiles(tree, dir) {
    const kernel = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'vmlinuz');
    const initrd = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'initrd.img');
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.copyFile)(tree.kernel, kernel);
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.copyFile)(tree.initrd, initrd);
    return { kernel, initrd };
}


/***/ }),

/***/ 7304:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nS: () => (/* binding */ GUEST_MAC),
/* harmony export */   qq: () => (/* binding */ HOST_ALIAS_IP),
/* harmony export */   wq: () => (/* binding */ makeSeed)
/* harmony export */ });
/* unused harmony exports GUEST_IP, GATEWAY_IP, DNS_IP, networkConfig */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8701);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8815);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1684);
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
/** qemu's user-mode DNS server (with NAT; an isolated guest has none). */
const DNS_IP = '10.0.2.3';
/** cloud-init reads YAML 1.1 (PyYAML): a MAC address unquoted is a base-60 integer there, `on` a boolean. */
const stringify = (value) => (0,yaml__WEBPACK_IMPORTED_MODULE_3__/* .stringify */ .As)(value, { version: '1.1' });
/** Static v1 config: names the NIC eth0 by its MAC, so it works whatever the image's renderer. */
function networkConfig(nameservers = false) {
    return stringify({
        version: 1,
        config: [
            {
                type: 'physical',
                name: 'eth0',
                mac_address: GUEST_MAC,
                subnets: [
                    {
                        type: 'static',
                        address: `${GUEST_IP}/24`,
                        gateway: GATEWAY_IP,
                        ...(nameservers ? { dns_nameservers: [DNS_IP] } : {}),
                    },
                ],
            },
        ],
    });
}
async function makeSeed(path, content) {
    const dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdtemp)(`${path}.d-`);
    try {
        const files = {
            'meta-data': stringify({
                'instance-id': content.instanceId,
                'local-hostname': content.hostname ?? 'amibake',
            }),
            'user-data': content.userData,
            'network-config': networkConfig(content.nameservers),
        };
        if (content.vendorData !== undefined)
            files['vendor-data'] = content.vendorData;
        let bytes = 0;
        for (const [name, data] of Object.entries(files)) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name), data);
            bytes += Buffer.byteLength(data);
        }
        // mkfs.vfat counts 1 KiB blocks; leave room for the FAT and directory entries.
        const blocks = Math.max(1024, Math.ceil(bytes / 1024) * 2 + 512);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(path, { force: true });
        await (0,_exec_js__WEBPACK_IMPORTED_MODULE_4__/* .exec */ .m0)('mkfs.vfat', ['-n', 'CIDATA', '-C', path, String(blocks)]);
        await (0,_exec_js__WEBPACK_IMPORTED_MODULE_4__/* .exec */ .m0)('mcopy', ['-o', '-i', path, ...Object.keys(files).map((f) => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, f)), '::'], {
            env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
        });
    }
    finally {
        await _actions_io__WEBPACK_IMPORTED_MODULE_2__/* .rmRF */ .Yz(dir);
    }
}


/***/ }),

/***/ 6483:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EF: () => (/* binding */ startStageServer),
/* harmony export */   F: () => (/* binding */ parseResult),
/* harmony export */   M3: () => (/* binding */ GUEST_STAGE_PORT)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _seed_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7304);
/**
 * The S3 side of the stage contract for a local bake: a plain HTTP server on the host's loopback
 * that hands the guest fs.tgz and takes its result and install log, at URLs that look to the guest
 * like presigned ones (a random, unguessable path it must not leave on the disk).
 */





/** Port of the stage server as the guest sees it, on HOST_ALIAS_IP (forwarded to the real port). */
const GUEST_STAGE_PORT = 8080;
const MAX_BODY = 16 * 1024 * 1024;
async function startStageServer(opts) {
    const token = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(24).toString('hex');
    let result;
    let log;
    let served = 0;
    const fsSize = opts.fsTgz ? (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(opts.fsTgz)).size : 0;
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
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(opts.fsTgz).pipe(res);
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
    const server = (0,node_http__WEBPACK_IMPORTED_MODULE_3__.createServer)((req, res) => {
        handle(req, res).catch(() => res.writeHead(500).end());
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address();
    const base = `http://${_seed_js__WEBPACK_IMPORTED_MODULE_4__/* .HOST_ALIAS_IP */ .qq}:${GUEST_STAGE_PORT}/${token}`;
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


/***/ })

};
