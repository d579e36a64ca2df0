# The `prometheus` service of scripts/services.sh (sourced, not run on its own).
#   One Prometheus 2.42 (Debian's `prometheus`) on 127.0.0.1:$NCG_PROMETHEUS_PORT (default 9090), 1 s scrape and
#   evaluation interval, admin API and lifecycle endpoints on, ncg's rules from deploy/prometheus/*.yml.
#   Targets come from file_sd directories, so tests add and remove exporters without a restart:
#     $prom_base/targets/ncg/*.json    ncg servers (/metrics)
#     $prom_base/targets/dcgm/*.json   dcgm-exporter-shaped exporters (sim clusters); give each target the
#                                      labels `ncg_cluster` and, for the sim, `__metrics_path__=/metrics/<id>`
#   New targets are scraped about 5 s after their file appears (Prometheus throttles discovery updates).
# The PID we start is recorded under $prom_base/pids; `down` stops exactly that process.

prom_base="${NCG_PROMETHEUS_BASE:-/var/lib/ncg-ci/prometheus}"
prom_port="${NCG_PROMETHEUS_PORT:-9090}"
prom_repo="$(cd "$here/.." && pwd)"

# shellcheck source=scripts/services/pids.sh
. "$here/services/pids.sh"

prom_url() { echo "http://127.0.0.1:$prom_port"; }
prom_ready() { curl -sf -m 2 "$(prom_url)/-/ready" >/dev/null 2>&1; }
prom_pidfile() { echo "$prom_base/pids/prometheus-$prom_port.pid"; }

prometheus_install() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return 0
  echo "prometheus: installing Debian's prometheus (--no-install-recommends: no node-exporter)" >&2
  # Debian's postinst would start the daemon through invoke-rc.d; forbid that where systemd runs.
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ -d /run/systemd/system ]; then systemctl disable --now prometheus >/dev/null 2>&1 || true; fi
}

prometheus_write_config() {
  mkdir -p "$prom_base/targets/ncg" "$prom_base/targets/dcgm" "$prom_base/data" "$prom_base/pids" "$prom_base/log"
  # scrape_timeout must not exceed the interval; the 10 s default would make the config invalid.
  cat >"$prom_base/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $prom_repo/deploy/prometheus/*.yml
scrape_configs:
  - job_name: ncg
    file_sd_configs: [{ files: ['$prom_base/targets/ncg/*.json'], refresh_interval: 1s }]
  - job_name: dcgm
    file_sd_configs: [{ files: ['$prom_base/targets/dcgm/*.json'], refresh_interval: 1s }]
EOF
}

prometheus_up() {
  prometheus_install
  prometheus_write_config
  if prom_ready; then
    # Running already (ours): pick up a changed config or rule files without a restart.
    curl -sf -m 5 -X POST "$(prom_url)/-/reload" >/dev/null || true
    echo "prometheus: answering at $(prom_url) (targets in $prom_base/targets)"
    return 0
  fi
  local pidfile; pidfile="$(prom_pidfile)"
  # The background subshell execs into the daemon itself, so nothing of this script lingers.
  (cd / && close_fds && exec setsid bash -c 'echo $$ >"$0"; exec prometheus "$@"' "$pidfile" \
    --config.file="$prom_base/prometheus.yml" --storage.tsdb.path="$prom_base/data" \
    --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$prom_port" \
    --web.enable-lifecycle --web.enable-admin-api) >>"$prom_base/log/prometheus-$prom_port.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 100); do prom_ready && break; sleep 0.1; done
  prom_ready || { echo "prometheus: not answering on $(prom_url) (log: $prom_base/log/prometheus-$prom_port.log)" >&2; return 1; }
  echo "prometheus: answering at $(prom_url) (targets in $prom_base/targets; data in $prom_base/data)"
}

prometheus_down() {
  local pidfile pid i; pidfile="$(prom_pidfile)"
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if pid_is_live "$pid" prometheus; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do pid_is_live "$pid" prometheus || break; sleep 0.1; done
    if pid_is_live "$pid" prometheus; then kill -KILL "$pid" 2>/dev/null || true; fi
    echo "prometheus: stopped (pid $pid)"
  else
    echo "prometheus: not running (no live process recorded in $pidfile)"
  fi
  rm -f "$pidfile"
}

prometheus_status() {
  if prom_ready; then echo "prometheus: up at $(prom_url)"; else echo "prometheus: down"; fi
}

prometheus_restart() { prometheus_down && prometheus_up; }
