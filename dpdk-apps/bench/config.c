/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-bench: the configuration both roles share (config.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include "config.h"

int
vg_bench_config(struct vg_cfg *cfg, const char *engine, unsigned mbufs,
		enum vg_port_role fed)
{
	static const char *const ring = "net_ring_vgb_acc";
	static const char *const sink = "net_null0,no-rx=1";

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->engine, sizeof(cfg->engine), "%s", engine);
	snprintf(cfg->cryptodev, sizeof(cfg->cryptodev), "crypto_aesni_mb");
	snprintf(cfg->cryptodev_gcm, sizeof(cfg->cryptodev_gcm),
		 "crypto_aesni_gcm");
	cfg->mbufs = mbufs;
	cfg->arp_retry_ms = 1000;
	/* The index reservations on tmpfs (the bench measures the data
	 * path, not a disk), one directory per run; no policer limit. */
	snprintf(cfg->state_dir, sizeof(cfg->state_dir),
		 "/dev/shm/vigie-bench.%d", (int)getpid());
	cfg->max_pps = 10000000;
	cfg->max_burst = 1000000;
	cfg->ports = calloc(2, sizeof(*cfg->ports));
	if (cfg->ports == NULL)
		return -1;
	cfg->n_ports = 2;
	cfg->ports[0] = (struct vg_cfg_port){ .name = "access",
		.role = VG_ROLE_ACCESS, .prefix = 16,
		.addr = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 1)) };
	cfg->ports[1] = (struct vg_cfg_port){ .name = "backbone",
		.role = VG_ROLE_BACKBONE, .prefix = 16,
		.addr = rte_cpu_to_be_32(RTE_IPV4(198, 19, 0, 1)) };
	snprintf(cfg->ports[0].device, sizeof(cfg->ports[0].device), "%s",
		 fed == VG_ROLE_ACCESS ? ring : sink);
	snprintf(cfg->ports[1].device, sizeof(cfg->ports[1].device), "%s",
		 fed == VG_ROLE_ACCESS ? sink : ring);
	return 0;
}

void
vg_bench_frame(uint8_t *h, const struct rte_ether_addr *dst_mac,
	       uint32_t src_ip, uint32_t dst_ip, uint16_t dst_port,
	       unsigned payload)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)h;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(h, 0, sizeof(*eh) + sizeof(*ip) + sizeof(*udp));
	rte_ether_addr_copy(dst_mac, &eh->dst_addr);
	eh->src_addr.addr_bytes[0] = 2;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(28 + payload));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = src_ip;
	ip->dst_addr = dst_ip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(7000);
	udp->dst_port = rte_cpu_to_be_16(dst_port);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + payload));
}

void
vg_bench_key(struct vg_master_key *key, enum vg_suite suite)
{
	const struct vg_suite_info *si = vg_suite_get(suite);

	key->len = (uint8_t)(si->key_len + si->salt_len);
	for (unsigned b = 0; b < key->len; b++)
		key->bytes[b] = (uint8_t)rand();
}

void
vg_bench_state_remove(void)
{
	char d[64], p[96];

	snprintf(d, sizeof(d), "/dev/shm/vigie-bench.%d", (int)getpid());
	snprintf(p, sizeof(p), "%s/vigie.state", d);
	unlink(p);
	snprintf(p, sizeof(p), "%s/lock", d);
	unlink(p);
	rmdir(d);
}
