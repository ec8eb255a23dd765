/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <rte_bus_vdev.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include "port.h"

/* "0000:03:00.0" or "03:00.0": a PCI device the EAL probed (allow-list it
 * with -a); anything else is a vdev string we hot-plug ourselves. */
static int
is_pci(const char *dev)
{
	unsigned d, b, s, f;
	char tail;

	return sscanf(dev, "%x:%x:%x.%x%c", &d, &b, &s, &f, &tail) == 4 ||
	       sscanf(dev, "%x:%x.%x%c", &b, &s, &f, &tail) == 3;
}

static int
find_port(const char *device, uint16_t *port_id, char *err, size_t errlen)
{
	char name[VG_DEVICE_MAX];
	int ret;

	snprintf(name, sizeof(name), "%s", device);
	name[strcspn(name, ",")] = '\0';
	/* Already there (EAL --vdev, or created by a test driver): use it. */
	if (rte_eth_dev_get_port_by_name(name, port_id) == 0)
		return 0;
	if (!is_pci(device)) {
		ret = rte_dev_probe(device);
		if (ret < 0 && ret != -EEXIST) {
			snprintf(err, errlen, "cannot create device '%s': %s",
				 device, rte_strerror(-ret));
			return ret;
		}
	}
	ret = rte_eth_dev_get_port_by_name(name, port_id);
	if (ret < 0)
		snprintf(err, errlen,
			 "no DPDK port '%s' (a PCI device must be bound to a "
			 "DPDK driver and allowed with -a %s)", name, name);
	return ret;
}

/* Checksums cost the CPU as much as a fast cipher: let the NIC fill them
 * when it can (real NICs); vdevs such as net_af_packet and net_null cannot,
 * and the gateway computes them. */
static bool
want_csum_offload(uint16_t pid, struct rte_eth_conf *conf)
{
	const uint64_t need = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			      RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(pid, &info) != 0 ||
	    (info.tx_offload_capa & need) != need)
		return false;
	conf->txmode.offloads |= need;
	return true;
}

static int
setup_queues(struct vg_port *p, struct rte_mempool *mp, char *err,
	     size_t errlen)
{
	struct rte_eth_conf conf = { 0 };
	uint16_t pid = p->port_id;
	uint16_t nrx = VG_PORT_RX_DESC, ntx = VG_PORT_TX_DESC;
	int socket = rte_eth_dev_socket_id(pid), ret;
	const char *step;

	if (socket < 0)
		socket = (int)rte_socket_id();
	p->csum_offload = want_csum_offload(pid, &conf);
	step = "configure";
	ret = rte_eth_dev_configure(pid, 1, 1, &conf);
	if (ret == 0 && (step = "adjust descriptors"))
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &nrx, &ntx);
	if (ret == 0 && (step = "set up rx queue"))
		ret = rte_eth_rx_queue_setup(pid, 0, nrx, socket, NULL, mp);
	if (ret == 0 && (step = "set up tx queue"))
		ret = rte_eth_tx_queue_setup(pid, 0, ntx, socket, NULL);
	if (ret == 0 && (step = "start"))
		ret = rte_eth_dev_start(pid);
	if (ret < 0)
		snprintf(err, errlen, "port %u: cannot %s: %s", pid, step,
			 rte_strerror(-ret));
	return ret;
}

int
vg_port_open(struct vg_port *p, const struct vg_cfg_port *c,
	     struct rte_mempool *mp, char *err, size_t errlen)
{
	int ret;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", c->name);
	p->role = c->role;
	p->addr = c->addr;
	p->mask = c->prefix ? rte_cpu_to_be_32(~0u << (32 - c->prefix)) : 0;
	p->gateway = c->gateway;
	p->vlan = c->vlan;
	ret = find_port(c->device, &p->port_id, err, errlen);
	if (ret < 0)
		return ret;
	ret = rte_eth_macaddr_get(p->port_id, &p->mac);
	if (ret < 0) {
		snprintf(err, errlen, "port '%s': no MAC address", c->name);
		return ret;
	}
	return setup_queues(p, mp, err, errlen);
}

void
vg_port_close(struct vg_port *p)
{
	rte_eth_dev_stop(p->port_id);
	rte_eth_dev_close(p->port_id);
}
