#!/usr/bin/env bash
# test-install.sh DIR: installs the confab and confab-server .debs from DIR on this machine
# with apt (so their Depends resolve), checks the installed files, runs the installed server
# the way its systemd unit does (user confab, the packaged config, the env file) and asks
# GET /health, then purges both packages and checks they left nothing behind. Needs root.
set -euo pipefail

DIR="$1"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'package-test: %s\n' "$*" >&2; exit 1; }

shopt -s nullglob
server_debs=("$DIR"/confab-server_*.deb)
app_debs=("$DIR"/confab_*.deb)
[ ${#server_debs[@]} -eq 1 ] && [ ${#app_debs[@]} -eq 1 ] ||
  fail "expected one confab-server_*.deb and one confab_*.deb in $DIR"
apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; }
purge() { dpkg --purge confab confab-server >/dev/null 2>&1; }

server_pid=
log_file="$(mktemp)"
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -f "$log_file"
  purge || true
}
trap cleanup EXIT

# A leftover from an interrupted run would make apt skip the install.
purge
log "Installing ${server_debs[0]##*/} and ${app_debs[0]##*/}"
apt-get update -q >/dev/null
apt_install "$(realpath "${server_debs[0]}")" "$(realpath "${app_debs[0]}")"

log "Checking the installed files"
for file in /usr/bin/confab /usr/bin/confab-server \
  /usr/lib/systemd/system/confab-server.service /etc/confab/server.conf \
  /usr/share/man/man1/confab.1 /usr/share/man/man1/confab-server.1 \
  /usr/share/applications/confab.desktop \
  /usr/share/metainfo/io.github.confab_chat.Confab.metainfo.xml \
  /usr/share/icons/hicolor/scalable/apps/confab.svg; do
  [ -f "$file" ] || fail "missing $file"
done
for size in 16 22 24 32 48 64 128 256 512; do
  [ -f "/usr/share/icons/hicolor/${size}x${size}/apps/confab.png" ] || fail "missing ${size}px icon"
done
grep -qx /etc/confab/server.conf /var/lib/dpkg/info/confab-server.conffiles ||
  fail "server.conf is not a conffile"
[ "$(stat -c '%U:%G %a' /var/lib/confab)" = "confab:confab 750" ] ||
  fail "/var/lib/confab is $(stat -c '%U:%G %a' /var/lib/confab)"
[ "$(stat -c '%U:%G %a' /etc/confab/server.env)" = "root:confab 640" ] ||
  fail "/etc/confab/server.env is $(stat -c '%U:%G %a' /etc/confab/server.env)"
[ "$(getent passwd confab | cut -d: -f7)" = /usr/sbin/nologin ] || fail "confab may log in"
desktop-file-validate /usr/share/applications/confab.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.github.confab_chat.Confab.metainfo.xml
for page in confab confab-server; do
  warnings="$(MANWIDTH=80 man --warnings "$page" 2>&1 >/dev/null)"
  [ -z "$warnings" ] || fail "man $page: $warnings"
done
confab-server --version
QT_QPA_PLATFORM=offscreen confab --version
# systemd is not running here; verify needs only the unit, its binary and its man page.
unit=/usr/lib/systemd/system/confab-server.service
systemd-analyze verify "$unit" || fail "systemd-analyze verify: the unit has errors"
# The hardening keeps the exposure score at 2.0 or below (the threshold is in tenths).
systemd-analyze security --offline=true --threshold=20 "$unit" | tail -n 1

log "Starting the installed server as the unit does"
# User=confab, EnvironmentFile, WorkingDirectory, UMask and ExecStart as in the unit; only
# the port is any free one, so the check never collides with a server already running here.
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
(
  set -a
  # shellcheck disable=SC1091
  . /etc/confab/server.env
  set +a
  cd /var/lib/confab
  umask 0027
  # shellcheck disable=SC2086
  exec setpriv --reuid=confab --regid=confab --init-groups --no-new-privs \
    $exec_start --listen 127.0.0.1:0
) >"$log_file" 2>&1 &
server_pid=$!
url=
for _ in $(seq 100); do
  url="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$log_file")"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log_file"; fail "the server exited"; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log_file"; fail "the server did not say where it listens"; }
status="$(curl -s -o /dev/null -w '%{http_code}' "$url/health")"
[ "$status" = 200 ] || { cat "$log_file"; fail "GET $url/health answered $status"; }
log "GET $url/health: 200"
[ "$(stat -c %U /var/lib/confab/confab.db)" = confab ] || fail "the database is not confab's"
kill -TERM "$server_pid"
wait "$server_pid" || { cat "$log_file"; fail "the server did not stop cleanly on SIGTERM"; }
server_pid=

log "Purging"
purge
for path in /usr/bin/confab /usr/bin/confab-server /etc/confab /var/lib/confab \
  /usr/lib/systemd/system/confab-server.service /usr/share/applications/confab.desktop; do
  [ ! -e "$path" ] || fail "$path is left after purge"
done
log "package-test passed"
