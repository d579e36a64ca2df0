# The `slurm` and `slurmrestd` services of scripts/services.sh (sourced, not run on its own).
#   slurm:      munged, slurmctld, four slurmd (node1..node4), slurmrestd on 127.0.0.1:$NCG_SLURMRESTD_PORT
#   slurmrestd: only the REST daemon, for tests that kill and restart it (NCG_SLURMRESTD_PORT picks the
#               instance, so a test can run a private one and leave the shared one alone).
# Every daemon we start has its PID recorded under $slurm_base/pids; `down` stops exactly those.

slurm_base="${NCG_SLURM_BASE:-/var/lib/ncg-ci/slurm}"
slurm_jwt_key="$slurm_base/jwt_hs256.key"
slurm_ctld_port=6817
slurm_node_port_first=6831
slurm_rest_port="${NCG_SLURMRESTD_PORT:-6820}"
slurm_nodes="node1 node2 node3 node4"
slurm_users="ncg-alice ncg-bob"
slurm_packages="munge slurmctld slurmd slurm-client slurmrestd slurm-wlm-jwt-plugin"

# shellcheck source=scripts/services/slurm-config.sh
. "$here/services/slurm-config.sh"
# shellcheck source=scripts/services/pids.sh
. "$here/services/pids.sh"

slurm_install() {
  local missing="" p installed
  # One dpkg-query for all packages: this runs on every `up`, and must stay quick.
  # shellcheck disable=SC2086
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' $slurm_packages 2>/dev/null || true)"
  for p in $slurm_packages; do
    echo "$installed" | grep -q "^$p install ok installed$" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  echo "slurm: installing$missing" >&2
  # Debian's postinst would start the daemons through invoke-rc.d; forbid that where systemd runs.
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1; fi
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ -d /run/systemd/system ]; then systemctl disable --now munge slurmctld slurmd slurmrestd >/dev/null 2>&1 || true; fi
}

# A token for `user` from slurmctld itself (the same thing ncg mints in-process from the key).
slurm_token() { timeout 10 scontrol token username="${1:-root}" lifespan="${2:-600}" 2>/dev/null | sed -n 's/^SLURM_JWT=//p'; }

slurm_rest_ping() {
  local port="${1:-$slurm_rest_port}" tok
  tok="$(slurm_token root 300)" || return 1
  [ -n "$tok" ] || return 1
  curl -sf -m 3 -H "X-SLURM-USER-NAME: root" -H "X-SLURM-USER-TOKEN: $tok" \
    "http://127.0.0.1:$port/slurm/v0.0.38/ping" >/dev/null
}

# Every node answering and schedulable. `sinfo` blocks for MessageTimeout while slurmctld is down:
# always under `timeout`.
slurm_nodes_ready() {
  local states
  states="$(timeout 3 sinfo -h -N -o '%N %T' 2>/dev/null)" || return 1
  [ -n "$states" ] || return 1
  ! echo "$states" | grep -vqE ' (idle|mixed|allocated|completing)$'
}

slurm_start_munged() {
  pid_alive_file munged munged && return 0
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return 0; fi # the host's own munged serves us
  mkdir -p /run/munge && chown munge:munge /run/munge
  spawn_clean runuser -u munge -- /usr/sbin/munged </dev/null >/dev/null 2>&1
  pid_record munged "$(cat /run/munge/munged.pid)"
}

slurm_start_daemons() {
  slurm_start_munged
  pid_alive_file slurmctld slurmctld || spawn_clean /usr/sbin/slurmctld </dev/null
  local n
  for n in $slurm_nodes; do
    pid_alive_file "slurmd-$n" slurmd || spawn_clean /usr/sbin/slurmd -N "$n" </dev/null
  done
}

slurm_wait_nodes() {
  local i
  for i in $(seq 1 60); do
    slurm_nodes_ready && return 0
    # A node left drained or down by an earlier run does not come back by itself.
    [ "$i" = 10 ] && timeout 5 scontrol update NodeName="$(echo "$slurm_nodes" | tr ' ' ,)" State=RESUME >/dev/null 2>&1
    sleep 0.5
  done
  echo "slurm: nodes not ready:" >&2
  timeout 3 sinfo -N -l >&2 || true
  return 1
}

slurm_up() {
  slurm_install
  slurm_make_users
  local before after
  before="$({ cat /etc/slurm/slurm.conf /etc/slurm/gres.conf 2>/dev/null || true; } | md5sum)"
  slurm_write_config
  after="$(cat /etc/slurm/slurm.conf /etc/slurm/gres.conf | md5sum)"
  # Daemons read their config at start: a changed config means a restart of what we run.
  if [ "$before" != "$after" ] && pid_alive_file slurmctld slurmctld; then
    echo "slurm: configuration changed; restarting" >&2
    slurm_down >/dev/null
  fi
  slurm_start_daemons
  slurm_wait_nodes
  slurmrestd_up
  slurm_print_info
}

slurm_down() {
  slurmrestd_down_all
  local n
  # slurmd ignores SIGTERM while it retries its registration: a short grace, then SIGKILL.
  for n in $slurm_nodes; do pid_stop "slurmd-$n" slurmd 5; done
  pid_stop slurmctld slurmctld 10
  pid_stop munged munged 5
  echo "slurm: stopped"
}

slurm_status() {
  local name
  for name in slurmctld $(for n in $slurm_nodes; do echo "slurmd-$n"; done) munged; do
    if pid_alive_file "$name" ""; then echo "slurm: $name up (pid $(pid_read "$name"))"; else echo "slurm: $name not started by ncg"; fi
  done
  timeout 3 sinfo -N -o '%N %P %T %G' 2>/dev/null | sed 's/^/slurm: /' || echo "slurm: controller not answering"
  slurmrestd_status
}

slurmrestd_up() {
  local port="$slurm_rest_port" name="slurmrestd-$slurm_rest_port"
  if ! pid_alive_file "$name" slurmrestd; then
    # slurmrestd refuses to run as root: it binds as root, then drops to nobody (-u). Its cwd becomes the
    # default working directory of jobs that name none, so start it somewhere harmless.
    # The background subshell execs into the daemon itself, so nothing of this script lingers.
    (cd / && close_fds && SLURM_JWT=daemon exec setsid bash -c 'echo $$ >"$0"; exec /usr/sbin/slurmrestd -u nobody -a rest_auth/jwt -s openapi/v0.0.38 "$1"' \
      "$slurm_base/pids/$name.pid" "127.0.0.1:$port") >>"$slurm_base/log/$name.log" 2>&1 </dev/null &
  fi
  local i
  for i in $(seq 1 100); do slurm_rest_ping "$port" && return 0; sleep 0.1; done
  echo "slurmrestd: not answering on 127.0.0.1:$port (log: $slurm_base/log/$name.log)" >&2
  return 1
}

slurmrestd_down() { pid_stop "slurmrestd-$slurm_rest_port" slurmrestd 10; }

slurmrestd_down_all() {
  local f
  for f in "$slurm_base"/pids/slurmrestd-*.pid; do
    [ -e "$f" ] || continue
    pid_stop "$(basename "$f" .pid)" slurmrestd 10
  done
}

slurmrestd_status() {
  if slurm_rest_ping "$slurm_rest_port"; then echo "slurmrestd: answering at http://127.0.0.1:$slurm_rest_port"
  else echo "slurmrestd: not answering at http://127.0.0.1:$slurm_rest_port"; fi
}

slurm_print_info() {
  cat <<INFO
slurm: up — partitions a100 (node1,node2: 4×a100 each) and h100 (node3,node4: 4×h100 each)
slurm:   REST      http://127.0.0.1:$slurm_rest_port/slurm/v0.0.38/  (openapi: /openapi/v3)
slurm:   JWT key   $slurm_jwt_key  (HS256; ncg config: auth.jwtKeyFile)
slurm:   token     scontrol token username=root lifespan=3600   → SLURM_JWT=…
slurm:   headers   X-SLURM-USER-NAME: root   X-SLURM-USER-TOKEN: <token>
slurm:   users     $slurm_users (work dirs under $slurm_base/work/<user>), account: research
slurm:   logs      $slurm_base/log
INFO
}
