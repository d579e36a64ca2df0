#!/usr/bin/env bash
# Start, stop and inspect the real services ncg's tests use, on this host:
#   scripts/services.sh up|down|status|restart <service…>
# Services: postgres, slurm (scripts/services/slurm.sh), slurmrestd (only Slurm's REST daemon, for tests
# that kill and restart it; NCG_SLURMRESTD_PORT picks the instance), prometheus (scripts/services/prometheus.sh), chromium (Debian's, for the browser test).
# Each `up` is idempotent and waits until the service answers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-status}"; shift || true
[ $# -gt 0 ] || set -- postgres

pg_url="${NCG_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

pg_answers() { pg_isready -q -h 127.0.0.1 -p 5432 -t 2 >/dev/null 2>&1; }

postgres_up() {
  if pg_answers; then echo "postgres: answering at 127.0.0.1:5432"; return 0; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "postgres: not installed; installing postgresql from Debian" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  local version; version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do pg_answers && break; sleep 0.5; done
  pg_answers || { echo "postgres: did not come up" >&2; return 1; }
  echo "postgres: answering at 127.0.0.1:5432 ($pg_url)"
}
postgres_down() {
  # The machine's PostgreSQL is shared with other work; the project never stops it.
  echo "postgres: left running (it is the machine's service, not started by ncg)"
}
postgres_status() { if pg_answers; then echo "postgres: up"; else echo "postgres: down"; fi; }
postgres_restart() { postgres_up; }

# shellcheck source=scripts/services/slurm.sh
. "$here/services/slurm.sh"
slurm_restart() { slurm_down && slurm_up; }
slurmrestd_restart() { slurmrestd_down && slurmrestd_up; }
# shellcheck source=scripts/services/prometheus.sh
. "$here/services/prometheus.sh"

# Chromium (Debian's package) for the dashboard's browser test, driven by playwright-core.
chromium_answers() { /usr/bin/chromium --version >/dev/null 2>&1; }
chromium_up() {
  if ! chromium_answers; then
    echo "chromium: installing Debian's chromium (--no-install-recommends)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  chromium_answers || { echo "chromium: /usr/bin/chromium does not run" >&2; return 1; }
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null) at /usr/bin/chromium"
}
chromium_down() { echo "chromium: nothing to stop (tests start and stop their own browsers)"; }
chromium_status() { if chromium_answers; then echo "chromium: installed"; else echo "chromium: not installed"; fi; }
chromium_restart() { chromium_up; }

case "$cmd" in
  up | down | status | restart) ;;
  *) echo "usage: scripts/services.sh up|down|status|restart <service…>" >&2; exit 2 ;;
esac

for svc in "$@"; do
  case "$svc" in
    postgres | slurm | slurmrestd | prometheus | chromium) "${svc}_${cmd}" ;;
    *) echo "unknown service: $svc (known: postgres, slurm, slurmrestd, prometheus, chromium)" >&2; exit 2 ;;
  esac
done
