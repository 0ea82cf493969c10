#!/usr/bin/env bash
# A private containerd for the end-to-end tests and the demo: its own config, root, state and
# sockets under one short directory (unix socket paths must stay under 108 bytes), in its own
# network namespace, so it never touches a system containerd or the host's network.
# The facts behind the config (and its pitfalls) are in docs/containerd-e2e.md of the shared docs.
#
#   containerd.sh start BASE [BINARY...]  write the config, link each BINARY (shims) into BASE/bin,
#                                        which is first on containerd's PATH, start containerd
#   containerd.sh stop-daemon BASE        stop the containerd process only (tasks and shims live on)
#   containerd.sh start-daemon BASE       start containerd again on the same root and state
#   containerd.sh stop BASE               kill every task, stop containerd and its shims, unmount,
#                                        remove the cgroups and directories it made, remove BASE
#   containerd.sh status BASE             exit 0 when its containerd is running
#   containerd.sh ctr BASE ARGS...        run ctr against it
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "containerd.sh: $*" >&2; exit 1; }

[ $# -ge 2 ] || usage
command=$1
BASE=$(realpath -m "$2")
shift 2
SOCK=$BASE/run/containerd.sock
PIDFILE=$BASE/containerd.pid
CGROUP_ROOT=/sys/fs/cgroup
[ ${#SOCK} -lt 90 ] || die "BASE is too long for a unix socket path: $BASE"
case "$BASE" in /|/tmp|/run|/var|/usr|/home|/root) die "refusing BASE=$BASE";; esac

ctr_() { ctr -a "$SOCK" "$@"; }

daemon_pid() {
    local pid
    pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
    [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$(command -v containerd)")" ] || return 1
    echo "$pid"
}

write_config() {
    cat > "$BASE/config.toml" <<EOF
version = 2
root = "$BASE/root"
state = "$BASE/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  level = "debug"
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$BASE/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "registry.k8s.io/pause:3.6"
    netns_mounts_under_state_dir = true
    disable_apparmor = true
    # This VM lacks CAP_SYS_RESOURCE: containerd must not try to lower oom_score_adj.
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          Root = "$BASE/run/runc"
      # The swim shim: binary containerd-shim-swim-v1, found on containerd's PATH.
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.swim]
        runtime_type = "io.containerd.swim.v1"
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$BASE/cni/net.d"
EOF
}

start_daemon() {
    if daemon_pid >/dev/null; then die "containerd is already running for $BASE"; fi
    # unshare and sh both exec, so $! is containerd's own pid.
    PATH="$BASE/bin:$PATH" setsid unshare --net sh -c 'ip link set lo up && exec containerd --config "$0"' \
        "$BASE/config.toml" >> "$BASE/logs/containerd.log" 2>&1 < /dev/null &
    echo $! > "$PIDFILE"
    local tries=0
    until ctr_ version > /dev/null 2>&1; do
        tries=$((tries + 1))
        if [ $tries -gt 400 ] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
            tail -n 30 "$BASE/logs/containerd.log" >&2 || true
            die "containerd did not start (log: $BASE/logs/containerd.log)"
        fi
        sleep 0.05
    done
}

stop_daemon() {
    local pid
    pid=$(daemon_pid) || { rm -f "$PIDFILE"; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    # The bolt database stays locked until the process is gone: wait for it.
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
    rm -f "$PIDFILE"
}

# The cgroups of every hierarchy down to two levels (/default/<id>, /k8s.io/<id>), one
# "hierarchy/path" a line: what existed before start, so that stop removes only the cgroups
# made while this containerd ran (and only empty ones: rmdir refuses the others).
list_cgroups() {
    find "$CGROUP_ROOT" -mindepth 2 -maxdepth 3 -type d 2>/dev/null | sed "s#^$CGROUP_ROOT/##" | sort
}

start() {
    command -v containerd > /dev/null && command -v ctr > /dev/null || die "containerd and ctr are not installed (apt-get install containerd runc)"
    if [ -e "$BASE/config.toml" ] && daemon_pid > /dev/null; then die "already running: $BASE"; fi
    mkdir -p "$BASE"/{root,state,run/fifo,run/runc,opt,bin,logs,cni/net.d,images}
    list_cgroups > "$BASE/cgroups-before"
    # Remember which shared runtime directories existed, to remove them afterwards only if ours.
    : > "$BASE/run-dirs-created"
    for dir in /run/containerd /run/containerd/s /run/containerd/fifo; do
        [ -d "$dir" ] || echo "$dir" >> "$BASE/run-dirs-created"
    done
    local binary
    for binary in "$@"; do
        [ -x "$binary" ] || die "not an executable: $binary"
        ln -sf "$(realpath "$binary")" "$BASE/bin/$(basename "$binary")"
    done
    write_config
    start_daemon
}

# Processes started on behalf of this containerd: shims carry its socket in their arguments.
shim_pids() {
    local proc pid
    for proc in /proc/[0-9]*; do
        pid=${proc#/proc/}
        [ "$pid" = $$ ] && continue
        tr '\0' ' ' 2>/dev/null < "$proc/cmdline" | grep -qF -- "-address $SOCK " && echo "$pid"
    done
    return 0
}

# Processes left in the cgroups of this containerd's containers (named by their ids, given as
# arguments), made since start.
cgroup_pids() {
    local name
    comm -13 "$BASE/cgroups-before" <(list_cgroups) | while read -r name; do
        for id in "$@"; do
            # (|| true: a name that matches no id must not end the script under set -e/pipefail)
            if [ "${name##*/}" = "$id" ]; then cat "$CGROUP_ROOT/$name/cgroup.procs" 2>/dev/null || true; fi
        done
    done | sort -u
}

stop() {
    [ -d "$BASE" ] || return 0
    # Shim sockets, from the bundles' address files, while the bundles still exist.
    local sockets ids
    sockets=$(cat "$BASE"/state/io.containerd.runtime.v2.task/*/*/address 2>/dev/null | sed 's#^unix://##' || true)
    ids=$(ls "$BASE"/state/io.containerd.runtime.v2.task/*/ 2>/dev/null | grep -v ':$' || true)
    if daemon_pid > /dev/null; then
        local ns id
        for ns in $(ctr_ namespaces ls -q 2>/dev/null); do
            for id in $(ctr_ -n "$ns" tasks ls -q 2>/dev/null); do
                ctr_ -n "$ns" tasks kill -s SIGKILL "$id" > /dev/null 2>&1 || true
            done
            for id in $(ctr_ -n "$ns" tasks ls -q 2>/dev/null); do
                timeout 10 ctr_ -n "$ns" tasks rm -f "$id" > /dev/null 2>&1 || true
            done
            for id in $(ctr_ -n "$ns" containers ls -q 2>/dev/null); do
                timeout 10 ctr_ -n "$ns" containers rm "$id" > /dev/null 2>&1 || true
            done
        done
    fi
    stop_daemon
    # Shims outlive containerd; so may a container whose shim failed. End them by pid.
    local pids
    for _ in 1 2 3; do
        pids=$( (shim_pids; [ -f "$BASE/cgroups-before" ] && cgroup_pids $ids) | sort -u)
        [ -n "$pids" ] || break
        kill -KILL $pids 2>/dev/null || true
        sleep 0.2
    done
    local socket
    for socket in $sockets; do
        case "$socket" in /*) [ -S "$socket" ] && rm -f "$socket";; esac
    done
    # Unmount what is left (rootfs overlays, CRI netns bind mounts), deepest first.
    grep -F " $BASE/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    if [ -f "$BASE/cgroups-before" ]; then
        local name
        comm -13 "$BASE/cgroups-before" <(list_cgroups) | sort -r | while read -r name; do
            rmdir "$CGROUP_ROOT/$name" 2>/dev/null || true
        done
    fi
    if [ -f "$BASE/run-dirs-created" ]; then
        local dir
        tac "$BASE/run-dirs-created" | while read -r dir; do rmdir "$dir" 2>/dev/null || true; done
    fi
    rm -rf "$BASE"
}

case "$command" in
    start) start "$@" ;;
    stop) stop ;;
    stop-daemon) stop_daemon ;;
    start-daemon) start_daemon ;;
    status) daemon_pid > /dev/null ;;
    ctr) ctr_ "$@" ;;
    *) usage ;;
esac
