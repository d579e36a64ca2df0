# Writes the test Slurm's configuration (sourced by scripts/services/slurm.sh; not run on its own).
#
# Layout (one host, four slurmd daemons, fake typed GPUs):
#   partition a100: node1, node2 — 4 × a100 each (port 6831, 6832)
#   partition h100: node3, node4 — 4 × h100 each (port 6833, 6834)
# so a 2-node × 2-GPU gang fits in either partition and two GPU types exist across nodes.
# Each node advertises 16 CPUs and 64000 MB; `config_overrides` lets that exceed the real machine.

# The marker lets `up` refuse to overwrite a slurm.conf it did not write (a real site's).
slurm_conf_marker='# written by ncg scripts/services/slurm-config.sh'

# slurm_write_config: slurm.conf and gres.conf into /etc/slurm (the default path, so sinfo/scontrol
# need no SLURM_CONF), fake GPU device nodes and the JWT key under $slurm_base.
slurm_write_config() {
  local conf=/etc/slurm/slurm.conf
  if [ -f "$conf" ] && ! grep -qF "$slurm_conf_marker" "$conf"; then
    echo "slurm: $conf exists and was not written by ncg; refusing to overwrite it" >&2
    return 1
  fi
  mkdir -p /etc/slurm "$slurm_base"/{state,pids,log,spool,fakedev,work}
  slurm_make_fake_gpus
  slurm_make_jwt_key
  slurm_render_conf >"$conf.tmp" && mv "$conf.tmp" "$conf"
  slurm_render_gres >/etc/slurm/gres.conf.tmp && mv /etc/slurm/gres.conf.tmp /etc/slurm/gres.conf
}

# Clones of /dev/null as char devices: slurmd drops file-less GPUs and complains about regular files.
slurm_make_fake_gpus() {
  local node i
  for node in node1 node2 node3 node4; do
    mkdir -p "$slurm_base/fakedev/$node"
    for i in 0 1 2 3; do
      [ -c "$slurm_base/fakedev/$node/nvidia$i" ] && continue
      rm -f "$slurm_base/fakedev/$node/nvidia$i"
      # Without CAP_MKNOD fall back to regular files: they still work, slurmd only logs an error.
      mknod -m 666 "$slurm_base/fakedev/$node/nvidia$i" c 1 3 2>/dev/null || : >"$slurm_base/fakedev/$node/nvidia$i"
    done
  done
}

# The HS256 key is kept across restarts so tokens minted earlier stay valid.
slurm_make_jwt_key() {
  if [ ! -s "$slurm_jwt_key" ]; then
    dd if=/dev/urandom of="$slurm_jwt_key" bs=32 count=1 status=none
  fi
  chmod 600 "$slurm_jwt_key"
}

slurm_render_conf() {
  cat <<CONF
$slurm_conf_marker — test cluster for ncg; rewritten on every \`scripts/services.sh up slurm\`.
ClusterName=ncgci
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$slurm_jwt_key
MailProg=/bin/true
MpiDefault=none
StateSaveLocation=$slurm_base/state
SlurmdSpoolDir=$slurm_base/spool/%n
SlurmctldPidFile=$slurm_base/pids/slurmctld.pid
SlurmdPidFile=$slurm_base/pids/slurmd-%n.pid
SlurmctldLogFile=$slurm_base/log/slurmctld.log
SlurmdLogFile=$slurm_base/log/slurmd-%n.log
SlurmctldPort=$slurm_ctld_port
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Required with CR_*_Memory: otherwise a job without a memory request takes a whole node's memory.
DefMemPerCPU=1000
GresTypes=gpu
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/linux
JobCompType=jobcomp/filetxt
JobCompLoc=$slurm_base/log/jobcomp.log
# Finished jobs stay visible over REST for an hour, long enough for ncg's poll to see every final state.
MinJobAge=3600
# Walltime tests: kill exactly at the limit, SIGKILL 2 s after SIGTERM.
OverTimeLimit=0
KillWait=2
ReturnToService=2
SlurmdParameters=config_overrides
SlurmctldDebug=info
SlurmdDebug=info
NodeName=node[1-2] NodeHostname=localhost NodeAddr=127.0.0.1 Port=[$slurm_node_port_first-$((slurm_node_port_first + 1))] CPUs=16 RealMemory=64000 Gres=gpu:a100:4 State=UNKNOWN
NodeName=node[3-4] NodeHostname=localhost NodeAddr=127.0.0.1 Port=[$((slurm_node_port_first + 2))-$((slurm_node_port_first + 3))] CPUs=16 RealMemory=64000 Gres=gpu:h100:4 State=UNKNOWN
PartitionName=a100 Nodes=node[1-2] Default=YES MaxTime=INFINITE State=UP
PartitionName=h100 Nodes=node[3-4] MaxTime=INFINITE State=UP
CONF
}

slurm_render_gres() {
  echo "$slurm_conf_marker"
  echo "AutoDetect=off"
  local node type
  for node in node1 node2 node3 node4; do
    case "$node" in node1 | node2) type=a100 ;; *) type=h100 ;; esac
    echo "NodeName=$node Name=gpu Type=$type File=$slurm_base/fakedev/$node/nvidia[0-3]"
  done
}

# Unix users the test jobs run as (a job's user must exist on the node), each with a work directory.
slurm_make_users() {
  local u
  for u in $slurm_users; do
    id -u "$u" >/dev/null 2>&1 || useradd --no-create-home --shell /bin/bash "$u"
    mkdir -p "$slurm_base/work/$u"
    chown "$u:" "$slurm_base/work/$u"
  done
  chmod 755 "$slurm_base" "$slurm_base/work"
}
