/* vigie-bench: the configuration both roles share (config.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_byteorder.h>
#include <rte_ip.h>
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
vg_bench_key(struct vg_master_key *key, enum vg_suite suite)
{
	const struct vg_suite_info *si = vg_suite_get(suite);

	key->len = (uint8_t)(si->key_len + si->salt_len);
	for (unsigned b = 0; b < key->len; b++)
		key->bytes[b] = (uint8_t)rand();
}
