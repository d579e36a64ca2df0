# PID bookkeeping for scripts/services.sh (sourced). A service records the PIDs it started as
# $slurm_base/pids/<name>.pid (or the pidfile the daemon writes itself there) and stops only those.

pid_dir() { echo "${slurm_base:?}/pids"; }

pid_record() { mkdir -p "$(pid_dir)" && echo "$2" >"$(pid_dir)/$1.pid"; }

# Builtins only (read, not cat): `up` checks every daemon each time and must stay quick.
pid_read() {
  local pid=""
  read -r pid 2>/dev/null <"${slurm_base:?}/pids/$1.pid" || true
  echo "$pid"
}

# Close every descriptor above 2 in the current (sub)shell. A daemon that inherits a pipe its caller
# reads (node's execFile, CI log capture) keeps that caller waiting for end-of-file forever.
close_fds() {
  local fd
  for fd in /proc/self/fd/*; do
    fd="${fd##*/}"
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

# Run a self-daemonizing program (it forks and its parent returns) with clean descriptors.
spawn_clean() { (close_fds; exec "$@"); }

# pid_is_live PID COMM: the process exists, is not a zombie (this host's PID 1 does not reap, and
# `kill -0` succeeds on zombies), and runs the program we started (a recycled PID is not ours).
pid_is_live() {
  local pid="$1" comm="$2" stat="" name=""
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  read -r stat 2>/dev/null <"/proc/$pid/stat" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ] || return 1
  [ -z "$comm" ] && return 0
  read -r name 2>/dev/null <"/proc/$pid/comm" || return 1
  [ "$name" = "$comm" ]
}

pid_alive_file() { pid_is_live "$(pid_read "$1")" "$2"; }

# pid_stop NAME COMM GRACE_SECONDS: SIGTERM, wait, then SIGKILL; forget the pidfile.
pid_stop() {
  local name="$1" comm="$2" grace="$3" pid i
  pid="$(pid_read "$name")"
  if pid_is_live "$pid" "$comm"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 $((grace * 10))); do pid_is_live "$pid" "$comm" || break; sleep 0.1; done
    if pid_is_live "$pid" "$comm"; then
      kill -KILL "$pid" 2>/dev/null || true
      for i in $(seq 1 50); do pid_is_live "$pid" "$comm" || break; sleep 0.1; done
    fi
  fi
  rm -f "$(pid_dir)/$name.pid"
}
