// File: bpffs.h
//
// The agent pins its maps and links under a directory on a BPF filesystem so that
// enforcement outlives the agent process (restart, upgrade, kill -9). This makes sure that
// directory exists on a bpffs, mounting one if the host has none.
#pragma once

#include <string>

#include "sluice/common/result.h"

namespace sluice::agent {

bool isOnBpffs(const std::string& path);

// Ensures `dir` exists on a bpffs. If /sys/fs/bpf is not mounted and `dir` is under it,
// bpffs is mounted there; a `dir` elsewhere gets its own bpffs mount.
Status ensureBpffsDir(const std::string& dir);

}  // namespace sluice::agent
