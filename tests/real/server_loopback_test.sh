#!/usr/bin/env bash
# ctest real_server_loopback_v1|v2: starts a real server with start-server.sh and shows that
# every TCP listener of every process of its process group is on 127.0.0.1 (nothing on
# 0.0.0.0, ::, or an interface address), twice over: from `ss -ltnp`, and from the sockets in
# /proc/PID/fd matched against the LISTEN rows of /proc/net/tcp and /proc/net/tcp6. Then stops
# it and shows that no process of the group and no listener on its port remain.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${1:?usage: server_loopback_test.sh v1|v2}
fail() { echo "FAIL: $*" >&2; exit 1; }
trap 'echo "FAIL: unexpected error at line $LINENO: $BASH_COMMAND" >&2' ERR

out=$("$here/start-server.sh" "$version" --lifetime 120)
echo "$out"
port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' <<<"$out")
pgid=$(sed -n 's/^pgid //p' <<<"$out")
state=$(sed -n 's/^state //p' <<<"$out")
[[ -n $port && -n $pgid && -d $state ]] || fail "start-server.sh printed no port, pgid or state"
stopped=0
trap '((stopped)) || "$here/stop-server.sh" "$state" || true' EXIT

# Let the server finish starting (the v1 server forks a broker and a worker cluster) before
# taking the picture: wait until the set of listeners has been the same for 1 s (at most 15 s).
listeners_ss() {
  local pids
  pids=$(pgrep -g "$pgid" | paste -sd'|')
  ss -Hltnp | { grep -E "pid=($pids)," || true; } | awk '{print $4}' | sort -u
}
previous=$(listeners_ss); same=0
for ((i = 0; i < 150 && same < 10; i++)); do
  sleep 0.1
  now=$(listeners_ss)
  if [[ $now == "$previous" ]]; then same=$((same + 1)); else same=0; previous=$now; fi
done

pids=$(pgrep -g "$pgid" | paste -sd' ')
echo "processes of group $pgid: $pids"
ps -o pid=,ppid=,args= -g "$pgid" | cut -c1-160 | sed 's/^/  /'

# 1. ss
mapfile -t by_ss < <(listeners_ss)
echo "listeners (ss -ltnp): ${by_ss[*]}"
((${#by_ss[@]} > 0)) || fail "ss shows no TCP listener for the server's processes"
for address in "${by_ss[@]}"; do
  [[ $address =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+$ ]] || fail "a server process listens on $address (ss)"
done
printf '%s\n' "${by_ss[@]}" | grep -qx "127.0.0.1:$port" || fail "ss: nothing listens on 127.0.0.1:$port"

# 2. /proc: socket inodes held by the group's processes, looked up among the LISTEN (0A) rows.
declare -A inodes=()
for pid in $pids; do
  for fd in /proc/"$pid"/fd/*; do
    target=$(readlink "$fd" 2>/dev/null) || continue
    [[ $target =~ ^socket:\[([0-9]+)\]$ ]] && inodes[${BASH_REMATCH[1]}]=1
  done
done
by_proc=()
while read -r local_address st inode family; do
  [[ $st == 0A && -n ${inodes[$inode]:-} ]] || continue
  hex_port=${local_address#*:}
  hex_ip=${local_address%:*}
  if [[ $family == tcp ]]; then
    # little-endian 32-bit: 0100007F is 127.0.0.1
    ip="$((16#${hex_ip:6:2})).$((16#${hex_ip:4:2})).$((16#${hex_ip:2:2})).$((16#${hex_ip:0:2}))"
  else
    ip="[$hex_ip]"
  fi
  by_proc+=("$ip:$((16#$hex_port))")
done < <(awk 'NR > 1 {print $2, $4, $10, "tcp"}' /proc/net/tcp; awk 'NR > 1 {print $2, $4, $10, "tcp6"}' /proc/net/tcp6)
mapfile -t by_proc < <(printf '%s\n' "${by_proc[@]}" | sort -u)
echo "listeners (/proc/PID/fd + /proc/net/tcp{,6}): ${by_proc[*]}"
for address in "${by_proc[@]}"; do
  # 00000000000000000000000001000000 is ::1 in /proc/net/tcp6's word order.
  [[ $address =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+$ || $address == "[00000000000000000000000001000000]:"* ]] ||
    fail "a server process listens on $address (/proc)"
done
[[ "$(printf '%s\n' "${by_proc[@]}")" == "$(printf '%s\n' "${by_ss[@]}")" ]] ||
  fail "ss and /proc disagree: ss '${by_ss[*]}', /proc '${by_proc[*]}'"

# 3. Stop: the whole group goes, and the port with it.
"$here/stop-server.sh" "$state"
stopped=1
left=$(pgrep -g "$pgid" | paste -sd' ' || true)
[[ -z $left ]] || fail "processes of group $pgid outlived stop-server.sh: $left"
for pid in $pids; do
  [[ ! -e /proc/$pid ]] || [[ $(awk '{print $5}' "/proc/$pid/stat" 2>/dev/null) != "$pgid" ]] ||
    fail "process $pid of the server is still alive"
done
if ss -Hltn "sport = :$port" | grep -q .; then fail "something still listens on port $port"; fi
[[ ! -e $state ]] || fail "state directory $state was not removed"
echo "PASS: real $version server listened on 127.0.0.1 only (${#by_ss[@]} listener(s)), and left no process behind"
