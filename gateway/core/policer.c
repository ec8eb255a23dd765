/* SPDX-License-Identifier: BSD-3-Clause */
#include "policer.h"

void
vg_policer_init(struct vg_policer *p, uint32_t rate, uint32_t burst,
		uint64_t hz, uint64_t now)
{
	uint64_t iv = hz / (rate ? rate : 1);

	p->interval = iv == 0 ? 1 : iv > UINT32_MAX ? UINT32_MAX : (uint32_t)iv;
	p->burst = burst ? burst : 1;
	p->tat = now;
}
