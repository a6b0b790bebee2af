/* Maps and helpers shared by connect.bpf.c and egress.bpf.c. Each object declares these maps;
 * the loader pins them under <bpffs>/maps/<name>, so the object loaded second reuses the
 * instance the first one created and both see one set of state.
 */
#ifndef SLUICE_SHARED_BPF_H
#define SLUICE_SHARED_BPF_H

#include "sluice/abi.h"

/* Sizes rather than __type(): libbpf 1.1 cannot size a BTF key type inside a map-in-map
 * inner definition ("can't determine key size"). */
struct name_trie {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, SLUICE_MAX_NAME_ENTRIES);
	__uint(key_size, sizeof(struct sluice_name_key));
	__uint(value_size, sizeof(struct sluice_dest_value));
	__uint(map_flags, BPF_F_NO_PREALLOC);
};

/* The active policy's hostname trie, swapped as a whole like dest_policy. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct name_trie);
} name_policy SEC(".maps");

/* Address -> the name it was resolved for, learnt from DNS answers. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SLUICE_MAX_DNS_BINDINGS);
	__uint(key_size, 16);
	__uint(value_size, sizeof(struct sluice_dns_binding));
} dns_bindings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sluice_sk_state);
} sk_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLUICE_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} conn_counters SEC(".maps");

/* The inline hold, per process (struct sluice_hold). A plain hash, not an LRU: evicting an
 * armed hold would release held data. The agent removes the records of exited processes. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SLUICE_MAX_HOLDS);
	__type(key, __u32);
	__type(value, struct sluice_hold);
} holds SEC(".maps");

/* The agent's answers to the hold (struct sluice_hold_answer); only the agent writes them. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SLUICE_MAX_HOLDS);
	__type(key, __u32);
	__type(value, struct sluice_hold_answer);
} hold_answers SEC(".maps");

static __always_inline __u64 answered(__u32 tgid, __u64 *answered_ns)
{
	struct sluice_hold_answer *a = bpf_map_lookup_elem(&hold_answers, &tgid);

	if (!a)
		return 0;
	if (answered_ns)
		*answered_ns = a->answered_ns;
	return a->answered;
}

/* Creates the hold record of a process that has an inspect-class socket. */
static __always_inline void ensure_hold(__u32 tgid)
{
	struct sluice_hold zero = {};

	if (!bpf_map_lookup_elem(&holds, &tgid))
		bpf_map_update_elem(&holds, &tgid, &zero, BPF_NOEXIST);
}

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&conn_counters, &which);

	if (v)
		*v += 1;
}

/* The verdict for a name key in the active name trie, or NULL. */
static __always_inline struct sluice_dest_value *lookup_name(struct sluice_name_key *key)
{
	__u32 slot = 0;
	void *trie = bpf_map_lookup_elem(&name_policy, &slot);

	if (!trie)
		return NULL;
	return bpf_map_lookup_elem(trie, key);
}

#endif /* SLUICE_SHARED_BPF_H */
