/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include "neigh.h"

static int
find(const struct vg_neigh_table *t, uint16_t port, uint32_t addr)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->e[i].addr == addr && t->e[i].port == port)
			return (int)i;
	return -1;
}

int
vg_neigh_add(struct vg_neigh_table *t, uint16_t port, uint32_t addr)
{
	int i = find(t, port, addr);

	if (i >= 0)
		return i;
	if (t->n == VG_MAX_NEIGH)
		return -1;
	memset(&t->e[t->n], 0, sizeof(t->e[0]));
	t->e[t->n].addr = addr;
	t->e[t->n].port = port;
	return (int)t->n++;
}

int
vg_neigh_add_static(struct vg_neigh_table *t, uint16_t port, uint32_t addr,
		    const struct rte_ether_addr *mac)
{
	int i = vg_neigh_add(t, port, addr);

	if (i < 0)
		return -1;
	t->e[i].is_static = true;
	t->e[i].resolved = true;
	rte_ether_addr_copy(mac, &t->e[i].mac);
	return i;
}

bool
vg_neigh_learn(struct vg_neigh_table *t, uint16_t port, uint32_t addr,
	       const struct rte_ether_addr *mac, uint64_t now)
{
	int i = find(t, port, addr);
	struct vg_neigh *n;

	if (i < 0 || t->e[i].is_static)
		return false;
	n = &t->e[i];
	if (n->resolved && rte_is_same_ether_addr(&n->mac, mac))
		return false;
	rte_ether_addr_copy(mac, &n->mac);
	if (!n->resolved)
		n->next_request = now + t->refresh_tsc;
	n->resolved = true;
	return true;
}

struct vg_neigh *
vg_neigh_due(struct vg_neigh_table *t, uint64_t now, unsigned *cursor)
{
	while (*cursor < t->n) {
		struct vg_neigh *n = &t->e[(*cursor)++];

		if (n->is_static || now < n->next_request)
			continue;
		n->next_request = now + (n->resolved ? t->refresh_tsc :
					 t->retry_tsc);
		n->requests++;
		return n;
	}
	return NULL;
}
