#!/bin/sh
# amibake guest script, written to /run/amibake/amibake.sh by the prepared user data.
#   fetch    (runcmd, priority 50) take the inline /var/run/fs.tgz or download the external one, check its sha256
#   extract  (runcmd, priority 51) extract fs.tgz over / keeping existing directories and directory symlinks
#   install  (runcmd, priority 51) run /var/run/install.sh
#   log      (runcmd, priority 98) mark that runcmd reached its end and log the steps
#   finish   (power_state condition, priority 99) once cloud-init has finished: decide the install status,
#            after a successful install upload the package inventory, sanitise, upload result and log,
#            print the one result line on the console; always exits 0 so that the instance powers off.
# POSIX sh (dash). stage.env holds presigned URLs: never print a URL, never pass one on a command line.
# No `set -e`/`set -u`: finish must reach its end whatever happens.
# AMIBAKE_ROOT and AMIBAKE_CONSOLE move / and /dev/console (tests run this script against a temporary root).
# Every function name has an underscore (step_install, not install): none shadows a command of the image.
# Paths, AMIBAKE_* names, step names and status codes are those of src/core/contract.ts
# (test/compile/guest-contract.test.ts reads this file and compares).

R=${AMIBAKE_ROOT:-/}
R=${R%/}
D=$R/run/amibake
STEPS=$D/steps
CONSOLE=${AMIBAKE_CONSOLE:-/dev/console}
INSTALL=$R/var/run/install.sh
RESULT_JSON=$R/run/cloud-init/result.json

say_line() { printf 'amibake: %s\n' "$*"; }

# Status codes: GUEST_STATUS in src/core/contract.ts, documented in the stage contract's table.
OK=0 CLOUDINIT=1 DOWNLOAD=2 CHECKSUM=3 EXTRACT=4 INSTALL_FAILED=5 NOT_RUN=6 SANITISE=7

record_step() { printf '%s %s\n' "$1" "$2" >>"$STEPS"; }
# The last recorded result of a step: a status, `skip`, or empty when the step never ran.
result_of() { [ -f "$STEPS" ] && sed -n "s/^$1 //p" "$STEPS" | tail -n 1; }
# step_result NAME RC STATUS WHAT: the end of a step that ran a command: record STATUS when the
# command failed (exit RC), else OK.
step_result() {
  if [ "$2" -ne 0 ]; then
    say_line "$4 failed (exit $2)"
    record_step "$1" "$3"
    return "$3"
  fi
  say_line "$4 succeeded"
  record_step "$1" $OK
}
earlier_failure() { [ -f "$STEPS" ] && grep -q ' [1-9][0-9]*$' "$STEPS"; }

# shellcheck source=/dev/null # written by the user data on the instance
load_prepared() { [ -f "$D/prepared.env" ] && . "$D/prepared.env"; }
# shellcheck source=/dev/null # written by the build's part of the user data
load_stage() { [ -f "$D/stage.env" ] && . "$D/stage.env"; }

# A large external fs.tgz goes to disk when tmpfs (/run) cannot hold it.
fs_path() {
  if [ "${AMIBAKE_FS_MODE:-}" = external ] && [ -n "${AMIBAKE_FS_SIZE:-}" ]; then
    avail=$(df -Pk "$R/run" 2>/dev/null | awk 'NR == 2 { print $4 }')
    if [ -n "$avail" ] && [ $((AMIBAKE_FS_SIZE / 1024 + 65536)) -gt "$avail" ]; then
      echo "$R/var/tmp/amibake-fs.tgz"
      return
    fi
  fi
  echo "$R/var/run/fs.tgz"
}

# http_transfer METHOD URL FILE [CONTENT-TYPE]: GET into FILE or PUT FILE (with that Content-Type, which
# a URL signed with one requires). curl, else python3. The URL goes through stdin
# (curl's config) or the environment (python), never argv, and never into messages.
curl_config() { printf 'url = "%s"\n' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"; }
CURL_OPTS='-sf --retry 5 --retry-delay 2 --retry-connrefused --connect-timeout 20 --max-time 1800'

http_transfer() {
  if command -v curl >/dev/null 2>&1; then
    # shellcheck disable=SC2086 # CURL_OPTS is a list of options
    if [ "$1" = GET ]; then
      code=$(curl_config "$2" | curl -K - $CURL_OPTS -o "$3" -w '%{http_code}')
    else
      code=$(curl_config "$2" | curl -K - $CURL_OPTS ${4:+-H "Content-Type: $4"} -T "$3" -o /dev/null -w '%{http_code}')
    fi
    rc=$?
    [ $rc -eq 0 ] || say_line "curl failed (exit $rc, HTTP ${code:-none})"
    return $rc
  fi
  if command -v python3 >/dev/null 2>&1; then
    AMIBAKE_URL=$2 python3 - "$1" "$3" "${4:-application/octet-stream}" <<'EOF'
import os, sys, time, urllib.error, urllib.request
method, path, ctype = sys.argv[1], sys.argv[2], sys.argv[3]
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
            req = urllib.request.Request(url, data=body, method='PUT', headers={'Content-Type': ctype})
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
  say_line "neither curl nor python3 is available for HTTP"
  return 1
}

step_fetch() {
  mkdir -p "$D" && chmod 700 "$D"
  load_prepared
  load_stage
  mode=${AMIBAKE_FS_MODE:-none}
  fs=$(fs_path)
  case $mode in
  none)
    say_line "no files to install"
    record_step fetch $OK
    return 0
    ;;
  inline)
    if [ ! -s "$fs" ]; then
      say_line "the inline fs.tgz is missing"
      record_step fetch $DOWNLOAD
      return $DOWNLOAD
    fi
    ;;
  external)
    rm -f "$fs"
    if [ -n "${AMIBAKE_FS_URL:-}" ]; then
      say_line "downloading fs.tgz (${AMIBAKE_FS_SIZE:-?} bytes) from the presigned URL"
      http_transfer GET "$AMIBAKE_FS_URL" "$fs"
    elif command -v aws >/dev/null 2>&1; then
      say_line "downloading ${AMIBAKE_S3URL:-} with the instance profile"
      aws s3 cp --only-show-errors --region "${AMIBAKE_REGION:-}" "${AMIBAKE_S3URL:-}" "$fs"
    else
      say_line "no presigned URL for fs.tgz and no AWS CLI on this image"
      false
    fi
    rc=$?
    if [ $rc -ne 0 ]; then
      say_line "fs.tgz download failed (exit $rc)"
      rm -f "$fs"
      record_step fetch $DOWNLOAD
      return $DOWNLOAD
    fi
    ;;
  *)
    say_line "unknown fs mode '$mode'"
    record_step fetch $DOWNLOAD
    return $DOWNLOAD
    ;;
  esac
  sum=$(sha256sum <"$fs" | cut -d ' ' -f 1)
  if [ "$sum" != "${AMIBAKE_FS_SHA256:-}" ]; then
    say_line "fs.tgz checksum mismatch: expected ${AMIBAKE_FS_SHA256:-?}, got $sum; nothing extracted"
    rm -f "$fs"
    record_step fetch $CHECKSUM
    return $CHECKSUM
  fi
  say_line "fs.tgz verified (sha256 $sum)"
  record_step fetch $OK
}

# GNU tar 1.27 added --keep-directory-symlink; older tar (Amazon Linux 2: 1.26) extracts to a staging
# folder that merge_tree() moves into place.
tar_keeps_dir_symlinks() {
  [ -z "${AMIBAKE_TAR_FALLBACK:-}" ] || return 1
  v=$(tar --version 2>/dev/null | sed -n '1s/^tar (GNU tar) \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  [ -n "$v" ] || return 1
  # shellcheck disable=SC2086 # two numbers, split on purpose
  set -- $v
  [ "$1" -gt 1 ] || [ "$2" -ge 27 ]
}

# merge_tree STAGED TARGET: move the staged tree into TARGET. An existing directory, or a symlink to one
# (/lib -> usr/lib, /var/run -> /run), is kept as it is (mode and owner included) and merged into.
# No `local` (not POSIX): the recursion clobbers e and t, which is harmless because `for` keeps
# its own list and neither is read after the recursive call.
merge_tree() {
  for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    [ -e "$e" ] || [ -L "$e" ] || continue
    t=$2/${e##*/}
    if [ -d "$e" ] && [ ! -L "$e" ]; then
      if [ -d "$t" ]; then
        merge_tree "$e" "$t" || return 1
        continue
      fi
      if [ -e "$t" ] || [ -L "$t" ]; then rm -f "$t" || return 1; fi
    fi
    mv -fT "$e" "$t" || return 1
  done
}

step_extract() {
  load_prepared
  if earlier_failure; then
    say_line "extract skipped: an earlier step failed"
    record_step extract skip
    return 1
  fi
  if [ "${AMIBAKE_FS_MODE:-none}" = none ]; then
    record_step extract $OK
    return 0
  fi
  fs=$(fs_path)
  if tar_keeps_dir_symlinks; then
    tar -xzf "$fs" -C "$R/" --numeric-owner --no-overwrite-dir --keep-directory-symlink --touch
    rc=$?
  else
    say_line "extracting through a staging folder (tar without --keep-directory-symlink)"
    staged=$R/var/tmp/amibake-extract.$$
    rm -rf "$staged" && mkdir -p "$staged" && chmod 700 "$staged" &&
      tar -xzf "$fs" -C "$staged" --numeric-owner --touch && merge_tree "$staged" "$R"
    rc=$?
    rm -rf "$staged"
  fi
  rm -f "$fs"
  step_result extract $rc $EXTRACT "fs.tgz extraction"
}

step_install() {
  if earlier_failure; then
    say_line "install.sh skipped: an earlier step failed"
    record_step install skip
    rm -f "$INSTALL"
    return 1
  fi
  if [ ! -f "$INSTALL" ]; then
    record_step install $OK
    return 0
  fi
  say_line "running install.sh"
  chmod 700 "$INSTALL"
  # /run (and /var/run) is mounted noexec on Debian and Ubuntu: run the script through the
  # interpreter of its #! line (unquoted: `#!/usr/bin/env bash` is two words), sh without one.
  interp=$(sed -n '1s/^#![[:space:]]*//p' "$INSTALL")
  (cd "$R/" && exec ${interp:-/bin/sh} "$INSTALL") </dev/null
  rc=$?
  rm -f "$INSTALL"
  step_result install $rc $INSTALL_FAILED install.sh
}

step_log() {
  record_step log $OK
  say_line "steps: $(tr '\n' ' ' <"$STEPS")"
}

# The install status: the first failing amibake step, else a step runcmd never reached, else what
# cloud-init recorded in result.json (a failing module, a failing runcmd script).
decide_status() {
  for step in fetch extract install log; do
    r=$(result_of $step)
    case $r in
    0 | skip) ;;
    '')
      say_line "the $step step never ran: a runcmd command before it stopped the script (exit), or runcmd did not run"
      status=$NOT_RUN
      return
      ;;
    *)
      say_line "the $step step failed (status $r)"
      status=$r
      return
      ;;
    esac
  done
  if [ ! -f "$RESULT_JSON" ]; then
    say_line "cloud-init recorded no result"
    status=$CLOUDINIT
    return
  fi
  case $(tr -d ' \t\r\n' <"$RESULT_JSON") in
  *'"errors":[]'*) status=$OK ;;
  *)
    say_line "cloud-init recorded errors:"
    cat "$RESULT_JSON"
    status=$CLOUDINIT
    ;;
  esac
}

# Opt-out: /run/amibake/no-sanitize lists step names (or `all`), separated by spaces, commas or lines.
# user_keeps STEP [ALIAS...]: the steps carry virt-sysprep's operation names; the names amibake used
# before are accepted as aliases, so that an existing no-sanitize file keeps what it kept.
user_keeps() {
  [ -f "$D/no-sanitize" ] || return 1
  listed=" $(tr ',\n\t\r' '    ' <"$D/no-sanitize") "
  for name in all "$@"; do
    case $listed in
    *" $name "*)
      say_line "not sanitising: $1 (no-sanitize)"
      return 0
      ;;
    esac
  done
  return 1
}

# overwrite_files PATH: zeros over the regular files of PATH (a file or a tree), sizes and names kept.
# Unlinking alone leaves the bytes in free blocks, which an EBS snapshot copies into the AMI.
# Symlinks are never followed; find -xdev stays out of file systems mounted below PATH.
overwrite_files() {
  [ -n "$SHRED" ] || return 0
  if [ -d "$1" ] && [ ! -L "$1" ]; then
    find "$1" -xdev -type f -exec shred -n 0 -z {} + || return 1
  elif [ -f "$1" ] && [ ! -L "$1" ]; then
    shred -n 0 -z "$1" || return 1
  fi
}

# wipe_paths PATH...: overwrite_files, then remove (paths that do not exist are skipped).
wipe_paths() {
  for w in "$@"; do
    [ -e "$w" ] || [ -L "$w" ] || continue
    overwrite_files "$w" || return 1
    rm -rf "$w" || return 1
  done
}

clean_cloud_init() {
  # cloud-init keeps the user data (presigned URLs included) in plain files under
  # /var/lib/cloud/instances, and its logs hold everything runcmd and install.sh printed
  # (finish has copied the output log for the upload already). Overwrite them in place first.
  for f in "$R"/var/lib/cloud/instances/*/* "$R"/var/lib/cloud/instances/*/*/* \
    "$R"/var/log/cloud-init.log* "$R"/var/log/cloud-init-output.log*; do
    overwrite_files "$f" || return 1
  done
  sync
  if [ -z "$R" ] && command -v cloud-init >/dev/null 2>&1; then
    cloud-init clean --logs || return 1
    rm -f "$R"/var/log/cloud-init.log.* "$R"/var/log/cloud-init-output.log.*
    return
  fi
  # What `cloud-init clean --logs` removes, under another root.
  for p in "$R"/var/lib/cloud/* "$R"/var/lib/cloud/.[!.]*; do
    [ -e "$p" ] || [ -L "$p" ] || continue
    [ "${p##*/}" = seed ] || rm -rf "$p" || return 1
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
      case ${f##*/} in cloud-init.log* | cloud-init-output.log*) continue ;; esac
      wipe_paths "$f" || return 1
    done
  done
  for g in $LOGIN_RECORDS; do
    for f in "$R"/var/log/$g; do
      if [ -f "$f" ] && [ ! -L "$f" ]; then
        { overwrite_files "$f" && : >"$f"; } || return 1
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
    wipe_paths "$R"/var/log/journal/*/*@*.journal "$R"/var/log/journal/*/*.journal~
    return
  fi
  wipe_paths "$R"/var/log/journal/*/*
}

# /tmp and /var/tmp, as virt-sysprep's tmp-files (the directories themselves stay, mode 1777).
clean_tmp_files() {
  for t in "$R/tmp" "$R/var/tmp"; do
    if [ -d "$t" ] && [ ! -L "$t" ]; then
      wipe_paths "$t"/* "$t"/.[!.]* "$t"/..?* || return 1
    fi
  done
}

# The leases of dhclient (Debian, Ubuntu: /var/lib/dhcp; Amazon Linux, RHEL: /var/lib/dhclient),
# NetworkManager, dhcpcd and systemd-networkd (under /run, tmpfs, unless a distribution keeps them).
# A new instance asks for its own lease; an old one only names the build's subnet and addresses.
clean_dhcp_client_state() {
  rm -rf "$R"/var/lib/dhcp/* "$R"/var/lib/dhclient/* "$R"/var/lib/NetworkManager/*.lease \
    "$R"/var/lib/NetworkManager/*.leases "$R"/var/lib/dhcpcd/* "$R"/var/lib/dhcpcd5/* "$R"/var/db/dhcpcd/* \
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
  token=$(curl -sf --connect-timeout 2 --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' \
    http://169.254.169.254/latest/api/token) || return 0
  curl -sf --connect-timeout 2 --max-time 5 -H "X-aws-ec2-metadata-token: $token" \
    http://169.254.169.254/latest/meta-data/public-keys/0/openssh-key
}

# Only the build key pair's key leaves authorized_keys (virt-sysprep's ssh-userdir removes every
# user's .ssh: keys the image source installed on purpose stay here). Without a key pair, nothing:
# AMIBAKE_KEYPAIR (the key pair's name) is in stage.env only when the build launched with one.
clean_ssh_userdir() {
  [ -n "${AMIBAKE_KEYPAIR:-}" ] || return 0
  # The key's base64 field, whatever options (root's `command="echo Please login as..."`) precede it.
  build_keys | awk '{ for (i = 1; i < NF; i++) if ($i ~ /^(ssh-|ecdsa-|sk-)/) { print $(i + 1); break } }' >"$D/keys"
  if [ ! -s "$D/keys" ]; then
    say_line "the build key pair's public key is in neither cloud-init's instance data nor the instance metadata"
    return 1
  fi
  for f in "$R"/root/.ssh/authorized_keys "$R"/root/.ssh/authorized_keys2 \
    "$R"/home/*/.ssh/authorized_keys "$R"/home/*/.ssh/authorized_keys2; do
    if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
    # Rewritten in place, so that the file keeps its owner and mode (grep -v exits 1 when no line is left).
    { grep -vF -f "$D/keys" "$f" || [ $? -eq 1 ]; } >"$D/authorized_keys" || return 1
    cat "$D/authorized_keys" >"$f" || return 1
  done
  rm -f "$D/keys" "$D/authorized_keys"
  say_line "removed the build key pair's key from authorized_keys"
}

# sanitise_step NAME [ALIAS...] -- COMMAND...: run a sanitising step unless no-sanitize keeps it.
sanitise_step() {
  names=
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    names="$names $1"
    shift
  done
  shift
  # shellcheck disable=SC2086 # the names are words
  user_keeps $names && return 0
  "$@" && return 0
  say_line "sanitising step failed: ${names# }"
  src=1
}

sanitise_image() {
  src=0
  SHRED=
  if command -v shred >/dev/null 2>&1; then
    SHRED=1
  else
    say_line "shred is missing: files are deleted, not overwritten (their bytes stay in free blocks)"
  fi
  # The staged files never stay, whatever no-sanitize says.
  { rm -f "$R/var/run/fs.tgz" "$R/var/tmp/amibake-fs.tgz" "$INSTALL" && rm -rf "$R"/var/tmp/amibake-extract.*; } || src=1
  # virt-sysprep's operation name first, then the name amibake used before (an alias).
  sanitise_step ssh-userdir -- clean_ssh_userdir
  sanitise_step cloud-init -- clean_cloud_init
  sanitise_step machine-id -- clean_machine_id
  sanitise_step ssh-hostkeys ssh-host-keys -- rm -f "$R"/etc/ssh/ssh_host_*key*
  sanitise_step bash-history shell-history -- wipe_paths "$R"/root/.bash_history "$R"/root/.sh_history "$R"/root/.ash_history \
    "$R"/root/.zsh_history "$R"/root/.python_history "$R"/root/.lesshst "$R"/root/.viminfo "$R"/home/*/.bash_history
  sanitise_step logfiles journal -- clean_logfiles
  sanitise_step tmp-files -- clean_tmp_files
  sanitise_step dhcp-client-state -- clean_dhcp_client_state
  sync
  [ $src -eq 0 ] && say_line "image sanitised"
  return $src
}

clean_machine_id() {
  if [ -e "$R/etc/machine-id" ]; then : >"$R/etc/machine-id" || return 1; fi
  rm -f "$R/var/lib/dbus/machine-id"
}

# The package inventory: what the image's package manager says is installed, as CycloneDX 1.5 JSON.
# It is the image's own report (made inside the image being baked): the build checks its shape, never
# its truth. Each query reads the database under $R, so that a test's root is asked, not the host.
# list_packages prints TYPE, then one `NAME<TAB>VERSION<TAB>ARCH<TAB>EPOCH` line per package.
list_packages() {
  if command -v dpkg-query >/dev/null 2>&1; then
    echo deb
    dpkg-query --admindir="$R/var/lib/dpkg" -W \
      -f '${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n' >"$D/dpkg" || return 1
    # Only packages whose status is installed (a removed package's config files stay in the database).
    awk -F '\t' -v OFS='\t' 'substr($1, 2, 1) == "i" { print $2, $3, $4, "" }' "$D/dpkg"
    rm -f "$D/dpkg"
  elif command -v rpm >/dev/null 2>&1; then
    echo rpm
    rpm --root "$R/" -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\t%{ARCH}\t%{EPOCH}\n'
  elif command -v apk >/dev/null 2>&1; then
    echo apk
    # apk's database: `apk info -v` joins name and version with dashes that names contain too.
    awk -v OFS='\t' '/^P:/ { n = substr($0, 3) } /^V:/ { v = substr($0, 3) } /^A:/ { a = substr($0, 3) }
      /^$/ { if (n != "") print n, v, a, ""; n = v = a = "" } END { if (n != "") print n, v, a, "" }' \
      "$R/lib/apk/db/installed"
  else
    say_line "no dpkg-query, rpm or apk on this image" >&2
    return 1
  fi
}

# sbom_json TYPE SERIAL TIMESTAMP: the package lines on stdin as the CycloneDX document. Names and
# versions are restricted by every package manager, but `"` and `\` are escaped anyway, control
# characters dropped, and the purl's parts percent-encoded.
sbom_json() {
  awk -F '\t' -v type="$1" -v serial="$2" -v stamp="$3" -v osr="$R/etc/os-release" '
  # Character by character: awks disagree on backslashes in a gsub replacement.
  function esc(s,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c == "\\" || c == "\"") out = out "\\" c
      else if (!(c in ctl)) out = out c
    }
    return out
  }
  function pct(s,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c ~ /[A-Za-z0-9.+~:_-]/) out = out c
      else if (c in ord) out = out sprintf("%%%02X", ord[c])
    }
    return out
  }
  function unquote(s) { sub(/^["\047]/, "", s); sub(/["\047]$/, "", s); return s }
  function field(k, v) { return (v == "" ? "" : sprintf(",\"%s\":\"%s\"", k, esc(v))) }
  BEGIN {
    for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i
    for (i = 1; i < 32; i++) ctl[sprintf("%c", i)] = 1
    ctl[sprintf("%c", 127)] = 1
    while ((getline line < osr) > 0) {
      k = line; sub(/=.*/, "", k); v = line; sub(/^[^=]*=/, "", v)
      os[k] = unquote(v)
    }
    distro = tolower(os["ID"] == "" ? "linux" : os["ID"])
    printf "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\""
    if (serial != "") printf ",\"serialNumber\":\"urn:uuid:%s\"", esc(serial)
    printf ",\"version\":1,\"metadata\":{\"timestamp\":\"%s\"", esc(stamp)
    printf ",\"tools\":{\"components\":[{\"type\":\"application\",\"name\":\"amibake\"}]}"
    printf ",\"component\":{\"type\":\"operating-system\",\"name\":\"%s\"", esc(distro)
    printf "%s%s}},\"components\":[", field("version", os["VERSION_ID"]), field("description", os["PRETTY_NAME"])
    n = 0
  }
  NF >= 3 && $1 != "" && $2 != "" {
    name = $1; version = $2; arch = $3; epoch = $4
    if (epoch == "(none)") epoch = ""
    if (arch == "(none)") arch = ""
    purl = "pkg:" type "/" pct(distro) "/" pct(name) "@" pct(version)
    q = "?"
    if (arch != "") { purl = purl q "arch=" pct(arch); q = "&" }
    if (epoch != "") { purl = purl q "epoch=" pct(epoch); version = epoch ":" version }
    printf "%s{\"type\":\"library\",\"name\":\"%s\",\"version\":\"%s\",\"purl\":\"%s\"}", (n++ ? "," : ""), esc(name), esc(version), esc(purl)
  }
  END { printf "]}\n" }'
}

# write_sbom: the inventory to $D/sbom.json (tmpfs: it never reaches the image), then its upload. A
# failure is only said: the inventory never fails the bake.
write_sbom() {
  if [ -z "${AMIBAKE_SBOM_URL:-}" ]; then
    say_line "no URL for the package inventory (the build has no S3 location): SBOM skipped"
    return 0
  fi
  serial=$(cat /proc/sys/kernel/random/uuid 2>/dev/null)
  stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  { list_packages >"$D/packages" && read -r kind <"$D/packages" &&
    sed 1d "$D/packages" | sbom_json "$kind" "$serial" "$stamp" >"$D/sbom.json"; } ||
    {
      say_line "could not list the installed packages: SBOM skipped"
      rm -f "$D/packages" "$D/dpkg" "$D/sbom.json"
      return 0
    }
  say_line "package inventory: $(($(wc -l <"$D/packages") - 1)) $kind packages"
  rm -f "$D/packages"
  # The URL is signed with this content type: S3 refuses the upload with any other.
  http_transfer PUT "$AMIBAKE_SBOM_URL" "$D/sbom.json" application/vnd.cyclonedx+json ||
    say_line "could not upload the package inventory"
  rm -f "$D/sbom.json"
}

step_finish() {
  trap '' PIPE
  mkdir -p "$D"
  log=$D/install.log
  n=${AMIBAKE_RESULT_WAIT:-300}
  while [ ! -e "$RESULT_JSON" ] && [ "$n" -gt 0 ]; do
    sleep 1
    n=$((n - 1))
  done
  # The install log: cloud-init's output, then what finish says (it runs where stdout may be a closed pipe).
  if [ -f "$R/var/log/cloud-init-output.log" ]; then cp "$R/var/log/cloud-init-output.log" "$log"; else : >"$log"; fi
  exec >>"$log" 2>&1
  printf '\n'
  say_line "finishing"
  load_prepared
  load_stage
  decide_status
  [ "$status" -eq $OK ] && write_sbom
  if ! sanitise_image && [ "$status" -eq $OK ]; then
    say_line "sanitising failed"
    status=$SANITISE
  fi
  say_line "install status $status"
  if [ -n "${AMIBAKE_RESULT_URL:-}" ]; then
    printf 'status=%s\n' "$status" >"$D/result"
    http_transfer PUT "$AMIBAKE_RESULT_URL" "$D/result" || say_line "could not upload the result"
  fi
  if [ -n "${AMIBAKE_LOG_URL:-}" ]; then
    cp "$log" "$D/install.log.sent"
    http_transfer PUT "$AMIBAKE_LOG_URL" "$D/install.log.sent" || say_line "could not upload the install log"
    rm -f "$D/install.log.sent"
  fi
  line="AMIBAKE-RESULT status=$status"
  if ! { printf '%s\n' "$line" >"$CONSOLE"; } 2>/dev/null; then
    printf '%s\n' "$line" >&3
  fi
}

case ${1:-} in
fetch | extract | install | log)
  mkdir -p "$D"
  "step_$1"
  ;;
finish)
  exec 3>&1
  step_finish
  exit 0
  ;;
*)
  echo "usage: $0 fetch|extract|install|log|finish" >&2
  exit 2
  ;;
esac
