/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include "wire.h"
#include "vigie/bytes.h"
#include "vigie/csum.h"

void
vg_wire_flow_init(struct vg_wire_flow *f, const uint8_t dst_mac[6],
		  const uint8_t src_mac[6], uint16_t vlan, uint32_t src_ip,
		  uint32_t dst_ip, uint16_t src_port, uint16_t dst_port)
{
	uint8_t *p = f->hdr, *ip;

	memset(f, 0, sizeof(*f));
	memcpy(p, dst_mac, 6);
	memcpy(p + 6, src_mac, 6);
	p += 12;
	if (vlan != 0) {
		vg_put_be16(p, 0x8100);
		vg_put_be16(p + 2, vlan);
		p += 4;
	}
	vg_put_be16(p, 0x0800);
	ip = p + 2;
	ip[0] = 0x45;
	ip[8] = 64;			/* TTL */
	ip[9] = 17;			/* UDP */
	memcpy(ip + 12, &src_ip, 4);
	memcpy(ip + 16, &dst_ip, 4);
	vg_put_be16(ip + 20, src_port);
	vg_put_be16(ip + 22, dst_port);
	f->hdr_len = (uint8_t)(ip + 28 - f->hdr);
}

unsigned
vg_wire_finish(struct vg_wire_flow *f, uint8_t *p, unsigned payload_len)
{
	uint8_t *ip = p + f->hdr_len - 28, *udp = ip + 20;
	uint32_t src, dst;
	uint16_t c;

	memcpy(p, f->hdr, f->hdr_len);
	vg_put_be16(ip + 2, (uint16_t)(28 + payload_len));
	vg_put_be16(ip + 4, f->ip_id++);
	c = (uint16_t)~vg_csum_raw(ip, 20, 0);
	memcpy(ip + 10, &c, 2);
	vg_put_be16(udp + 4, (uint16_t)(8 + payload_len));
	memcpy(&src, ip + 12, 4);
	memcpy(&dst, ip + 16, 4);
	c = vg_csum_udp4(src, dst, udp, (uint16_t)(8 + payload_len));
	memcpy(udp + 6, &c, 2);
	return f->hdr_len + payload_len;
}
