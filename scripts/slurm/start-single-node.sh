#!/usr/bin/env bash
# Starts a single-node Slurm on this machine: munged, slurmctld and slurmd, all on localhost, so that
# `sbatch --array` runs a coverage plan's tiles here exactly as it would on a cluster.
#
# Idempotent: installs Debian's slurm-wlm and munge only when missing (as scripts/setup.sh does),
# writes /etc/slurm/slurm.conf only when there is none or when it is the one this script wrote,
# starts only the daemons that are not running, and returns at once when Slurm already answers.
# Needs root (or sudo). Exits 0 once `sinfo` shows the node idle, non-zero with the reason otherwise.
#
# The daemons it started are recorded in $LITFASS_SLURM_STATE (default /run/litfass-slurm/started);
# scripts/slurm/stop-single-node.sh stops exactly those.
set -euo pipefail

say() { echo "litfass slurm: $*" >&2; }
fail() { say "cannot start Slurm: $*"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "needs root (or sudo) to install and run munged, slurmctld and slurmd"
    exec sudo -E "$0" "$@"
fi

conf=/etc/slurm/slurm.conf
marker="# Written by litfass scripts/slurm/start-single-node.sh"
state="${LITFASS_SLURM_STATE:-/run/litfass-slurm/started}"
logs="${LITFASS_SLURM_LOGS:-/var/log/slurm}"
timeout_s="${LITFASS_SLURM_TIMEOUT:-60}"

# A Slurm that already answers with an idle or busy node needs nothing from us.
if command -v sinfo >/dev/null 2>&1 && [ -n "$(sinfo -h -o '%t' 2>/dev/null | grep -E '^(idle|mix|alloc)' || true)" ]; then
    say "already running ($(sinfo -h -o '%N %t' | head -1))"
    exit 0
fi

# 1. Packages, only those missing.
missing=()
for package in slurm-wlm munge; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || fail "apt-get install ${missing[*]} failed"
fi
for tool in munged slurmctld slurmd sinfo sbatch; do
    command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is missing after installing slurm-wlm and munge"
done

# 2. Configuration for this one machine: the controller and the only compute node are both localhost.
#    No cgroups (proctrack/linuxproc, task/none) and no accounting, so it runs inside a container.
node="$(hostname -s)"
cpus="$(nproc)"
memory_mb=$(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 * 9 / 10 ))
if [ -f "$conf" ] && ! head -1 "$conf" | grep -qF "$marker"; then
    fail "$conf exists and was not written by this script; start that Slurm yourself, or move the file away"
fi
mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd "$logs"
cat > "$conf.new" <<CONF
$marker for one machine ($node, $cpus CPUs, $memory_mb MB).
ClusterName=litfass
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
MaxArraySize=100001
MaxJobCount=200000
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=litfass Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
mv "$conf.new" "$conf"

mkdir -p "$(dirname "$state")"
touch "$state"

# The daemons must not inherit anything of the caller but nothing: descriptors above 2 (a caller may watch one to
# learn that this script ended, as Foundation's Process does with a socket, and would wait for the daemons) and
# standard input and output (a caller reading them through a pipe would wait too). Their logs are their own files.
for fd in /proc/$$/fd/*; do
    fd="${fd##*/}"
    # (255 is the shell's own handle on this script, closed on exec anyway)
    [ "$fd" -gt 2 ] 2>/dev/null && [ "$fd" -ne 255 ] && eval "exec $fd>&-" 2>/dev/null || true
done
detached() { setsid "$@" </dev/null >/dev/null 2>&1; }
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# 3. munged (as the munge user, with Debian's key), then the controller, then the node daemon.
if ! munge -n </dev/null >/dev/null 2>&1; then
    [ -s /etc/munge/munge.key ] || fail "/etc/munge/munge.key is missing (the munge package creates it)"
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    chmod 0755 /run/munge
    detached runuser -u munge -- /usr/sbin/munged || fail "munged did not start (see /var/log/munge/munged.log)"
    for _ in $(seq 1 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n </dev/null | unmunge >/dev/null 2>&1 || fail "munged started but a credential does not round-trip"
    echo "munged $(cat /run/munge/munged.pid)" >> "$state"
fi
if ! running /run/slurmctld.pid; then
    detached slurmctld -i || fail "slurmctld did not start (see $logs/slurmctld.log)"
    for _ in $(seq 1 50); do running /run/slurmctld.pid && break; sleep 0.1; done
    running /run/slurmctld.pid || fail "slurmctld exited (see $logs/slurmctld.log)"
    echo "slurmctld $(cat /run/slurmctld.pid)" >> "$state"
fi
if ! running /run/slurmd.pid; then
    detached slurmd || fail "slurmd did not start (see $logs/slurmd.log)"
    for _ in $(seq 1 50); do running /run/slurmd.pid && break; sleep 0.1; done
    running /run/slurmd.pid || fail "slurmd exited (see $logs/slurmd.log)"
    echo "slurmd $(cat /run/slurmd.pid)" >> "$state"
fi

# 4. Wait until the node is idle (ReturnToService=2 brings a node that was down back on its own).
deadline=$(( SECONDS + timeout_s ))
while [ $SECONDS -lt $deadline ]; do
    node_state="$(sinfo -h -n "$node" -o '%t' 2>/dev/null | head -1 || true)"
    case "$node_state" in
        idle|mix|alloc) say "node $node is $node_state ($cpus CPUs, $memory_mb MB); partition 'litfass'"; exit 0 ;;
        drain*|down*) scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 0.5
done
fail "node $node is '${node_state:-not listed}' after ${timeout_s} s (see $logs/slurmctld.log and $logs/slurmd.log; sinfo -R gives the reason)"
