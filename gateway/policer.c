#include "policer.h"

void
vg_policer_init(struct vg_policer *p, uint32_t rate, uint32_t burst,
		uint64_t hz, uint64_t now)
{
	p->rate = rate ? rate : 1;
	p->hz = hz ? hz : 1;
	p->cap = (uint64_t)(burst ? burst : 1) * p->hz;
	p->fill = p->cap / p->rate + 1;
	p->tokens = p->cap;
	p->last = now;
}
