#!/bin/sh
# amibake test runner, written to /run/amibake/amibake-test.sh by the test user data (userdata-test.gz)
# on an instance launched from the new AMI, beside /run/amibake/test.sh (the image source's script/test.sh).
# It runs from power_state's condition, once cloud-init has finished this (first) boot: it waits for
# cloud-init's verdict, runs test.sh as root, and reports one status the way the install does: the
# test log and `status=<n>` through the presigned URLs of stage.env when present, the
# `AMIBAKE-RESULT status=<n>` line on the console. Always exits 0, so that the instance powers off.
# POSIX sh (dash). stage.env holds presigned URLs: never print a URL, never pass one on a command line.
# AMIBAKE_ROOT, AMIBAKE_CONSOLE and AMIBAKE_RESULT_WAIT are for tests (another root, console, no wait).
# Paths, AMIBAKE_* names and status codes are those of src/core/contract.ts
# (test/compile/test-guest.test.ts reads this file and compares).

R=${AMIBAKE_ROOT:-/}
R=${R%/}
D=$R/run/amibake
CONSOLE=${AMIBAKE_CONSOLE:-/dev/console}
TEST=$R/run/amibake/test.sh
LOG=$R/run/amibake/test.log
RESULT_JSON=$R/run/cloud-init/result.json
CLOUD=$R/var/lib/cloud

# Status codes: GUEST_STATUS in src/core/contract.ts (the test's share of it).
OK=0 CLOUDINIT=1 TEST_FAILED=8

say_line() { printf 'amibake: %s\n' "$*"; }

# shellcheck source=/dev/null # written by the build's part of the user data
load_stage() { [ -f "$D/stage.env" ] && . "$D/stage.env"; }

# The same transfer as the guest script's (test/compile/test-guest.test.ts checks the copies agree).
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

# cloud-init's record of this boot: on the first boot of a sanitised image, the instance it boots
# as is the only one it knows (the install's `cloud-init clean` removed the build instance's).
boot_facts() {
  iid=$(cat "$CLOUD/data/instance-id" 2>/dev/null)
  known=
  for d in "$CLOUD"/instances/*; do
    [ -d "$d" ] && known="$known ${d##*/}"
  done
  say_line "test boot: instance ${iid:-unknown}; instances cloud-init knows on this disk:${known:- none}"
  if [ "${known# }" != "$iid" ]; then
    say_line "not the image's first boot: cloud-init kept the state of another instance"
  fi
}

# CLOUDINIT when cloud-init recorded an error (or no result) for this boot, else OK.
cloud_init_status() {
  if [ ! -f "$RESULT_JSON" ]; then
    say_line "cloud-init recorded no result"
    return $CLOUDINIT
  fi
  case $(tr -d ' \t\r\n' <"$RESULT_JSON") in
  *'"errors":[]'*) return $OK ;;
  esac
  say_line "cloud-init recorded errors:"
  cat "$RESULT_JSON"
  return $CLOUDINIT
}

# test.sh as root from /, stdin closed, through the interpreter of its #! line (/run is noexec on
# Debian and Ubuntu), sh without one. Its output goes to the log and, when it can, the console.
run_test() {
  if [ ! -f "$TEST" ]; then
    say_line "test.sh is missing"
    return 127
  fi
  chmod 700 "$TEST"
  interp=$(sed -n '1s/^#![[:space:]]*//p' "$TEST")
  out=/dev/null
  if { : >>"$CONSOLE"; } 2>/dev/null; then out=$CONSOLE; fi
  say_line "running test.sh"
  { (cd "$R/" && exec ${interp:-/bin/sh} "$TEST") </dev/null 2>&1; echo $? >"$D/test.rc"; } | tee -a "$LOG" >>"$out"
  rc=$(cat "$D/test.rc" 2>/dev/null)
  rm -f "$D/test.rc"
  return "${rc:-127}"
}

test_main() {
  trap '' PIPE
  mkdir -p "$D" && chmod 700 "$D"
  n=${AMIBAKE_RESULT_WAIT:-300}
  while [ ! -e "$RESULT_JSON" ] && [ "$n" -gt 0 ]; do
    sleep 1
    n=$((n - 1))
  done
  : >"$LOG"
  exec >>"$LOG" 2>&1
  boot_facts
  cloud_init_status
  status=$?
  run_test
  rc=$?
  if [ "$rc" -ne 0 ]; then
    say_line "test.sh failed (exit $rc)"
    [ "$status" -ne $OK ] || status=$TEST_FAILED
  else
    say_line "test.sh passed"
  fi
  say_line "test status $status"
  load_stage
  if [ -n "${AMIBAKE_RESULT_URL:-}" ]; then
    printf 'status=%s\n' "$status" >"$D/result"
    http_transfer PUT "$AMIBAKE_RESULT_URL" "$D/result" || say_line "could not upload the result"
  fi
  if [ -n "${AMIBAKE_LOG_URL:-}" ]; then
    cp "$LOG" "$D/test.log.sent"
    http_transfer PUT "$AMIBAKE_LOG_URL" "$D/test.log.sent" || say_line "could not upload the test log"
    rm -f "$D/test.log.sent"
  fi
  line="AMIBAKE-RESULT status=$status"
  if ! { printf '%s\n' "$line" >>"$CONSOLE"; } 2>/dev/null; then
    printf '%s\n' "$line" >&3
  fi
}

exec 3>&1
test_main
exit 0
