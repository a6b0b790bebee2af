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
