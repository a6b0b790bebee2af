# Shared by the sluice-agent .deb maintainer scripts and the .rpm scriptlets (inlined into each
# at build time by packaging/build-packages.sh), so both packages act the same way.

SLUICE_AGENT_BIN=/usr/sbin/sluice-agent
SLUICE_AGENT_CONFIG=/etc/sluice/agent.yaml
SLUICE_AGENT_STATE=/var/lib/sluice
# Written on removal: by purge time dpkg has deleted the conffile that names the bpffs dir.
SLUICE_AGENT_BPFFS_RECORD=/var/lib/sluice/.removed-bpffs-dir

# The directory the agent pins under: `bpffs:` in the config, else the agent's default.
sluice_agent_bpffs() {
  _dir=""
  if [ -r "$SLUICE_AGENT_CONFIG" ]; then
    _dir=$(sed -n "s/^bpffs:[[:space:]]*[\"']\{0,1\}\([^\"'#[:space:]]*\).*/\1/p" \
      "$SLUICE_AGENT_CONFIG" | tail -n 1)
  fi
  echo "${_dir:-/sys/fs/bpf/sluice}"
}

# Detach and unpin everything under the bpffs directory $1. `sluice-agent --uninstall` does it
# while the binary is still installed; after that, unlinking the pins does the same, because a
# cgroup bpf_link is detached when its last reference (the pin) goes. Only ever touches a
# directory that is on a bpffs, whatever the config says.
sluice_agent_remove_enforcement() {
  _bpffs=$1
  [ -d "$_bpffs" ] || return 0
  if [ "$(stat -f -c %T "$_bpffs" 2>/dev/null)" != "bpf_fs" ]; then
    echo "sluice-agent: $_bpffs is not on a bpffs; not removing it" >&2
    return 0
  fi
  if [ -x "$SLUICE_AGENT_BIN" ]; then
    "$SLUICE_AGENT_BIN" --uninstall --bpffs "$_bpffs" || true
  fi
  if [ -d "$_bpffs" ]; then
    rm -rf "$_bpffs/links" "$_bpffs/maps"
    if mountpoint -q "$_bpffs" 2>/dev/null; then umount -l "$_bpffs" || true; fi
    rmdir "$_bpffs" 2>/dev/null || echo "sluice-agent: $_bpffs is not empty; left in place" >&2
  fi
  echo "sluice-agent: enforcement pinned under $_bpffs removed"
}

# systemd is the running init (not merely installed): only then are units started or stopped.
sluice_systemd_running() {
  [ -d /run/systemd/system ]
}
